"""A seeded sales history: `weeks` of hourly trade per shop before a day, with weekly and daily patterns and noise
(`seed/sales.toml`), written once into an empty store."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import Location
from store.sales import SalesHour
from store.sales_shape import SalesShape, ShopShape, load_shape
from store.seed_items import seed_items

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Hour(BaseModel):
    location_id: str
    starts_at: datetime
    orders: int
    drinks: int
    revenue_cents: int


def _day(shape: SalesShape, shop: ShopShape, location: Location, day: date, rng: random.Random) -> list[Hour]:
    span = location.opening_hours.get(DAYS[day.weekday()])
    if not span:
        return []
    tz = ZoneInfo(location.timezone)
    opens, closes = time.fromisoformat(span[0]), time.fromisoformat(span[1])
    hours = list(range(opens.hour, closes.hour + (1 if closes.minute else 0)))
    weights = [shape.hours.get(f"{h:02d}", 1.0) for h in hours]
    total = shop.orders_per_day * shop.weekdays[DAYS[day.weekday()]]
    rows = []
    for h, w in zip(hours, weights, strict=True):
        orders = max(0, round(total * w / sum(weights) * rng.gauss(1.0, shape.noise)))
        drinks = round(orders * shape.drinks_per_order)
        rows.append(Hour(location_id=location.id, starts_at=datetime.combine(day, time(h), tz), orders=orders,
                         drinks=drinks, revenue_cents=drinks * shape.cents_per_drink))
    return rows


async def seed_sales(session: AsyncSession, today: date) -> int:
    """Write the history before `today` if the store has none; returns how many hours were written."""
    if await session.scalar(select(func.count()).select_from(SalesHour)):
        return 0
    shape = load_shape()
    rng = random.Random(shape.seed)
    rows: list[dict[str, object]] = []
    days: dict[str, dict[date, tuple[int, int]]] = {}
    for location in (await session.scalars(select(Location).order_by(Location.id))).all():
        shop = shape.shops.get(location.id)
        if shop is None:
            continue
        days[location.id] = {}
        for k in range(shape.weeks * 7, 0, -1):
            day = today - timedelta(days=k)
            hours = _day(shape, shop, location, day, rng)
            days[location.id][day] = (sum(h.orders for h in hours), sum(h.drinks for h in hours))
            rows += [h.model_dump() for h in hours]
    for start in range(0, len(rows), 1000):
        await session.execute(insert(SalesHour), rows[start:start + 1000])
    await seed_items(session, shape, days)
    return len(rows)
