"""Low stock: when a change takes an ingredient at a shop from at or above its reorder point to below it, the shop's
keyholders get a task and a notification — once per crossing, not on every order while it stays low. The task's key
is held until stock is back at or above the point (which ticks the task off), so concurrent orders crossing
together make one.

Called in the transaction of the change (an order's reservation, waste, a transfer, a delivery)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.engine import insert_or_skip
from store.inventory import Stock
from store.menu import Ingredient
from store.purchasing import ParLevel
from store.tasks import Task
from tools.notifications.events import render
from tools.notifications.outbox import audience_of, notify
from tools.stock.units import shown


def _key(location_id: str, ingredient_id: str) -> str:
    return f"low_stock:{location_id}:{ingredient_id}"


async def stock_moved(session: AsyncSession, now: datetime, by: str, location_id: str,
                      moved: Mapping[str, int]) -> list[str]:
    """After stock moved (units per ingredient, negative: taken), open or close each one's low-stock task; returns
    the ingredients that crossed below their reorder point."""
    ids = sorted(i for i, delta in moved.items() if delta)
    rows = (await session.execute(
        select(Stock.ingredient_id, Stock.quantity, ParLevel.reorder_point, Ingredient.name, Ingredient.unit)
        .join(ParLevel, (ParLevel.location_id == Stock.location_id) & (ParLevel.ingredient_id == Stock.ingredient_id))
        .join(Ingredient, Ingredient.id == Stock.ingredient_id)
        .where(Stock.location_id == location_id, Stock.ingredient_id.in_(ids)))).all()
    low = []
    for ingredient_id, quantity, point, name, unit in rows:
        if quantity >= point:
            await _close(session, now, by, location_id, ingredient_id)
        elif quantity - moved[ingredient_id] >= point and await _open(session, now, by, location_id, ingredient_id, name):
            low.append(ingredient_id)
            await notify(session, now, topic="low_stock", audience=audience_of("keyholder", location_id),
                         text=render("low_stock", {"location_id": location_id, "name": name,
                                                   "on_hand": shown(quantity, unit), "point": shown(point, unit)}),
                         by=by, link=f"stock:{location_id}:{ingredient_id}")
    return low


async def _open(session: AsyncSession, now: datetime, by: str, location_id: str, ingredient_id: str,
                name: str) -> bool:
    row = {"title": f"Low on {name}: restock or ask another shop", "location_id": location_id,
           "assignee_role": "keyholder", "due_at": now, "priority": "high", "state": "open", "about_kind": "stock",
           "about_id": ingredient_id, "source": "stock", "key": _key(location_id, ingredient_id), "created_by": by,
           "created_at": now, "version": 1}
    made = await session.execute(insert_or_skip(session, Task, row, "key").returning(Task.id))
    return made.scalar() is not None


async def _close(session: AsyncSession, now: datetime, by: str, location_id: str, ingredient_id: str) -> None:
    key = _key(location_id, ingredient_id)
    await session.execute(update(Task).where(Task.key == key, Task.state == "open")
                          .values(state="done", done_by=by, done_at=now, version=Task.version + 1))
    await session.execute(update(Task).where(Task.key == key).values(key=None))
