"""The seeded suppliers (`store/seed/suppliers.toml`) and each shop's par levels, derived from its sales history:
`par_days` of the shop's average daily use, rounded up to whole packs, and a first reorder point."""

from __future__ import annotations

import math
import statistics
import tomllib
from datetime import datetime
from importlib import resources
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import Location
from store.purchasing import ParLevel, Supplier, SupplierProduct
from tools.stock.history import ingredient_histories
from tools.stock.restock import z_score

HISTORY_DAYS = 56


class Product(BaseModel):
    ingredient: str
    pack: int
    pack_cents: int
    shelf_days: int | None = None


class SupplierShape(BaseModel):
    name: str
    lead_days: int
    delivers: list[str]
    min_order_cents: int
    par_days: int
    products: list[Product]


def load_suppliers() -> dict[str, SupplierShape]:
    raw = tomllib.loads(resources.files("store").joinpath("seed/suppliers.toml").read_text(encoding="utf-8"))
    return {k: SupplierShape.model_validate(v) for k, v in raw["suppliers"].items()}


def reorder_point(use: list[float], shape: SupplierShape) -> int:
    """Until the first restock suggestion sets it from the forecast: the history's mean use over the lead time
    and the average gap between deliveries, plus safety stock from its daily spread."""
    cover = shape.lead_days + 7 / len(shape.delivers)
    return math.ceil(statistics.fmean(use) * cover + z_score() * statistics.pstdev(use) * math.sqrt(cover))


async def seed_purchasing(session: AsyncSession, now: datetime) -> int:
    """Write the suppliers and par levels into a store that has none (needs the sales history first); returns how
    many par levels were written."""
    if await session.scalar(select(func.count()).select_from(Supplier)):
        return 0
    shapes = load_suppliers()
    for sid, shape in shapes.items():
        session.add(Supplier(id=sid, name=shape.name, lead_days=shape.lead_days, delivers=shape.delivers,
                             min_order_cents=shape.min_order_cents, par_days=shape.par_days))
        await session.flush()
        session.add_all([SupplierProduct(ingredient_id=p.ingredient, supplier_id=sid, pack=p.pack,
                                         pack_cents=p.pack_cents, shelf_days=p.shelf_days) for p in shape.products])
    await session.flush()
    written = 0
    for location in (await session.scalars(select(Location).order_by(Location.id))).all():
        today = now.astimezone(ZoneInfo(location.timezone)).date()
        histories = await ingredient_histories(session, location.id, today, HISTORY_DAYS)
        for shape in shapes.values():
            for p in shape.products:
                use = histories.get(p.ingredient, [0.0] * HISTORY_DAYS)
                packs = max(1, math.ceil(sum(use) / HISTORY_DAYS * shape.par_days / p.pack))
                session.add(ParLevel(location_id=location.id, ingredient_id=p.ingredient, quantity=packs * p.pack,
                                     reorder_point=reorder_point(use, shape)))
                written += 1
    await session.flush()
    return written
