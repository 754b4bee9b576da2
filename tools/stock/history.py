"""A shop's daily demand history: an item's sales, or an ingredient's use (items sold × recipes, with the milk each
drink was made with), one value per local day, days without sales as zero."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import MenuItem, Milk, RecipeComponent
from store.sales import ItemSalesDay


def _daily(by_day: dict[date, float], before: date, days: int) -> list[float]:
    return [by_day.get(before - timedelta(days=k), 0.0) for k in range(days, 0, -1)]


async def item_history(session: AsyncSession, location_id: str, item_id: str, before: date, days: int
                       ) -> list[float]:
    """Units of the item sold on each of the `days` local days before `before`."""
    rows = await session.execute(select(ItemSalesDay.day, func.sum(ItemSalesDay.quantity)).where(
        ItemSalesDay.location_id == location_id, ItemSalesDay.item_id == item_id,
        ItemSalesDay.day >= before - timedelta(days=days), ItemSalesDay.day < before).group_by(ItemSalesDay.day))
    return _daily({day: float(n) for day, n in rows.all()}, before, days)


async def ingredient_history(session: AsyncSession, location_id: str, ingredient_id: str, before: date, days: int
                             ) -> list[float]:
    """The ingredient (in its stock unit) the items sold used on each of the `days` local days before `before`."""
    per_item: dict[str, float] = defaultdict(float, {r.item_id: float(r.amount) for r in (await session.scalars(
        select(RecipeComponent).where(RecipeComponent.ingredient_id == ingredient_id))).all()})
    milks = set((await session.scalars(select(Milk.id).where(Milk.ingredient_id == ingredient_id))).all())
    milk_ml = {i: ml for i, ml in (await session.execute(select(MenuItem.id, MenuItem.milk_ml))).all()}
    users = set(per_item) | ({i for i, ml in milk_ml.items() if ml} if milks else set())
    rows = await session.execute(select(ItemSalesDay.day, ItemSalesDay.item_id, ItemSalesDay.milk_id,
                                        ItemSalesDay.quantity).where(
        ItemSalesDay.location_id == location_id, ItemSalesDay.item_id.in_(users),
        ItemSalesDay.day >= before - timedelta(days=days), ItemSalesDay.day < before))
    by_day: dict[date, float] = defaultdict(float)
    for day, item_id, milk_id, quantity in rows.all():
        by_day[day] += quantity * (per_item[item_id] + (milk_ml[item_id] if milk_id in milks else 0))
    return _daily(by_day, before, days)


async def ingredient_histories(session: AsyncSession, location_id: str, before: date, days: int
                               ) -> dict[str, list[float]]:
    """Every ingredient's daily use at a shop (as `ingredient_history` gives one), from one read of its sales."""
    recipes: dict[str, dict[str, float]] = defaultdict(dict)
    for r in (await session.scalars(select(RecipeComponent))).all():
        recipes[r.item_id][r.ingredient_id] = float(r.amount)
    milks = {m.id: m.ingredient_id for m in (await session.scalars(select(Milk))).all()}
    milk_ml = {i: ml for i, ml in (await session.execute(select(MenuItem.id, MenuItem.milk_ml))).all()}
    rows = await session.execute(select(ItemSalesDay.day, ItemSalesDay.item_id, ItemSalesDay.milk_id,
                                        ItemSalesDay.quantity).where(
        ItemSalesDay.location_id == location_id, ItemSalesDay.day >= before - timedelta(days=days),
        ItemSalesDay.day < before))
    use: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for day, item_id, milk_id, quantity in rows.all():
        for ingredient_id, amount in recipes.get(item_id, {}).items():
            use[ingredient_id][day] += quantity * amount
        if milk_id in milks and milk_ml.get(item_id):
            use[milks[milk_id]][day] += quantity * milk_ml[item_id]
    return {i: _daily(by_day, before, days) for i, by_day in use.items()}
