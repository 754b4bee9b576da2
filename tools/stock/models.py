"""The stock domain's inputs and answers: demand forecasts and days of cover."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from tools.fields import IngredientRef, ShopRef, Slot

ProductRef = Annotated[str, Field(min_length=1, max_length=40, description=(
    "A menu item id ('latte') or an ingredient id ('oat_milk').")), Slot("product")]


class ForecastQuery(BaseModel):
    location_id: ShopRef
    product: ProductRef
    starts_on: Annotated[date | None, Slot("date")] = Field(
        default=None, description="First local day (default: today); at most 14 days ahead.")
    days: int = Field(default=7, ge=1, le=28, description="How many days.")


class DayForecast(BaseModel):
    day: date
    weekday: str
    expected: float
    low: float
    high: float


class DemandForecast(BaseModel):
    location_id: str
    product: str
    name: str
    kind: str
    """item (units sold) or ingredient (used by the items sold, in its stock unit)."""
    unit: str
    starts_on: date
    days: int
    daily: list[DayForecast]
    total: float
    total_low: float
    total_high: float
    """The total's 80 % interval, from the daily ones (taken as independent)."""
    total_shown: str
    range_shown: str
    busiest: str
    model: str
    history_days: int


class CoverQuery(BaseModel):
    location_id: ShopRef
    ingredient_id: IngredientRef


class DaysOfCover(BaseModel):
    location_id: str
    ingredient_id: str
    ingredient_name: str
    unit: str
    on_hand: int
    per_day: float
    """The forecast's average daily use over the coming four weeks."""
    days_of_cover: float
    runs_out_on: date | None
    """The day the forecast use passes what is on hand, if within four weeks."""
    on_hand_shown: str
    per_day_shown: str
    runs_out_note: str
