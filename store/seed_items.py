"""The seeded history by item: each shop-day's drinks (from the hourly history) and food split over the menu by a
mix kept as data (`seed/sales.toml`), and each milky drink's milks — so ingredient use is orders × recipes."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import Location, MenuItem
from store.sales import ItemSalesDay
from store.sales_shape import SalesShape

SPLIT_SEED = 1
"""Offset of the split's own random stream, so the hourly history stays what it was."""


def _count(rng: random.Random, mean: float) -> int:
    """A day's count around `mean` (Poisson-like spread): slow items have days with none."""
    if mean < 30:  # Knuth's method: exact for the small counts where it matters
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def _split(rng: random.Random, total: float, weights: dict[str, float]) -> dict[str, int]:
    whole = sum(weights.values())
    return {item: _count(rng, total * w / whole) for item, w in weights.items()}


def _milks(rng: random.Random, item: MenuItem, quantity: int, shares: dict[str, float]) -> dict[str, int]:
    """How many of `quantity` had each other milk (about its share), the rest the drink's own."""
    out: dict[str, int] = {}
    left = quantity
    for milk, share in shares.items():
        out[milk] = min(left, _count(rng, quantity * share))
        left -= out[milk]
    out[item.default_milk or ""] = out.get(item.default_milk or "", 0) + left
    return out


def item_rows(shape: SalesShape, location: Location, items: Sequence[MenuItem], days: dict[date, tuple[int, int]],
              rng: random.Random) -> list[dict[str, object]]:
    """Per local day (its orders and drinks), the items sold and with which milk."""
    mix = shape.shops[location.id].mix
    menu = {i.id: i for i in items}
    drinks = {i.id: shape.drinks.get(i.id, 1.0) * mix.get(i.id, 1.0) for i in items if i.category != "bakery"
              and i.id not in shape.food}
    food = {i: w * mix.get(i, 1.0) for i, w in shape.food.items() if i in menu}
    shares = {m: s * mix.get(m, 1.0) for m, s in shape.milks.items()}
    rows: list[dict[str, object]] = []
    for day, (orders, drunk) in sorted(days.items()):
        sold = {**_split(rng, drunk, drinks), **_split(rng, orders * shape.food_per_order, food)}
        for item_id, quantity in sold.items():
            milks = _milks(rng, menu[item_id], quantity, shares) if menu[item_id].milk_ml else {"": quantity}
            rows += [{"location_id": location.id, "day": day, "item_id": item_id, "milk_id": milk, "quantity": n}
                     for milk, n in sorted(milks.items()) if n]
    return rows


async def seed_items(session: AsyncSession, shape: SalesShape, days: dict[str, dict[date, tuple[int, int]]]) -> int:
    """Write the item history for each shop's days (orders, drinks); returns how many rows were written."""
    rng = random.Random(shape.seed + SPLIT_SEED)
    items = (await session.scalars(select(MenuItem).order_by(MenuItem.id))).all()
    rows: list[dict[str, object]] = []
    for location in (await session.scalars(select(Location).order_by(Location.id))).all():
        if location.id in days:
            rows += item_rows(shape, location, items, days[location.id], rng)
    for start in range(0, len(rows), 2000):
        await session.execute(insert(ItemSalesDay), rows[start:start + 2000])
    return len(rows)
