"""A read-only snapshot of the catalog (menu, prices, sizes, milks, extras, recipes), cached briefly.

Pricing and recipe arithmetic run against this snapshot instead of a dozen queries per order line. The
catalog changes rarely and only through staff tooling; the TTL bounds how stale another process can be,
and `invalidate()` is for capabilities that change the menu.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import Extra, Ingredient, ItemPrice, Location, MenuItem, Milk, RecipeComponent, Size

R = TypeVar("R")


@dataclass(frozen=True)
class ItemRec:
    id: str
    name: str
    category: str
    description: str
    vegan: bool
    caffeinated: bool
    temperature: str
    allergens: list[str]
    milk_ml: int
    default_milk: str | None
    accepts_extras: bool
    available: bool


@dataclass(frozen=True)
class MilkRec:
    id: str
    name: str
    price_cents: int
    vegan: bool
    allergens: list[str]
    ingredient_id: str


@dataclass(frozen=True)
class ExtraRec:
    id: str
    name: str
    price_cents: int
    vegan: bool
    allergens: list[str]
    ingredient_id: str
    amount: int
    replaces_ingredient_id: str | None


@dataclass(frozen=True)
class IngredientRec:
    id: str
    name: str
    unit: str


def _plain(cls: type[R], row: Any) -> R:
    """Copy a row into an immutable record: no ORM instance outlives the session that loaded it."""
    return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})  # type: ignore[arg-type]  # a generic record built from a row's same-named columns


@dataclass(frozen=True)
class Snapshot:
    items: dict[str, ItemRec]
    prices: dict[str, dict[str, int]]
    sizes: dict[str, int]
    milks: dict[str, MilkRec]
    extras: dict[str, ExtraRec]
    recipes: dict[str, dict[str, int]]
    ingredients: dict[str, IngredientRec]
    locations: dict[str, str]
    """Shop id -> name."""


async def load_snapshot(session: AsyncSession) -> Snapshot:
    prices: dict[str, dict[str, int]] = {}
    for p in await session.scalars(select(ItemPrice).order_by(ItemPrice.price_cents)):
        prices.setdefault(p.item_id, {})[p.size] = p.price_cents
    recipes: dict[str, dict[str, int]] = {}
    for r in await session.scalars(select(RecipeComponent)):
        recipes.setdefault(r.item_id, {})[r.ingredient_id] = r.amount
    return Snapshot(
        items={i.id: _plain(ItemRec, i) for i in await session.scalars(select(MenuItem).order_by(MenuItem.name))},
        prices=prices,
        sizes={s.id: s.recipe_percent for s in await session.scalars(select(Size))},
        milks={m.id: _plain(MilkRec, m)
               for m in await session.scalars(select(Milk).order_by(Milk.price_cents, Milk.id))},
        extras={e.id: _plain(ExtraRec, e) for e in await session.scalars(select(Extra).order_by(Extra.id))},
        recipes=recipes,
        ingredients={i.id: _plain(IngredientRec, i) for i in await session.scalars(select(Ingredient))},
        locations={loc.id: loc.name for loc in await session.scalars(select(Location))},
    )


class CatalogCache:
    """Loads through the caller's own session: taking a second connection while a write transaction holds
    one can starve the pool when many writers queue for SQLite's lock."""

    def __init__(self, ttl_seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._snapshot: Snapshot | None = None
        self._loaded_at = 0.0

    async def get(self, session: AsyncSession) -> Snapshot:
        now = self._monotonic()
        if self._snapshot is None or now - self._loaded_at > self._ttl:
            self._snapshot = await load_snapshot(session)
            self._loaded_at = now
        return self._snapshot

    def invalidate(self) -> None:
        self._snapshot = None
