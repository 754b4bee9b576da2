"""The shape of the seeded sales history (`seed/sales.toml`)."""

from __future__ import annotations

import tomllib
from importlib import resources

from pydantic import BaseModel


class ShopShape(BaseModel):
    orders_per_day: int
    weekdays: dict[str, float]
    mix: dict[str, float] = {}
    """Factors on the chain's item and milk weights at this shop."""


class SalesShape(BaseModel):
    weeks: int
    seed: int
    drinks_per_order: float
    cents_per_drink: int
    noise: float
    shops: dict[str, ShopShape]
    hours: dict[str, float]
    food_per_order: float
    drinks: dict[str, float]
    food: dict[str, float]
    milks: dict[str, float]


def load_shape() -> SalesShape:
    return SalesShape.model_validate(tomllib.loads(
        resources.files("store").joinpath("seed/sales.toml").read_text(encoding="utf-8")))
