"""Check an order line against the menu and price it. Unit price = size price + milk + extras."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.catalog import Extra, ItemPrice, MenuItem, Milk
from tools.errors import InvalidInput, UnknownItem


@dataclass(frozen=True)
class PricedLine:
    item: MenuItem
    size: str
    quantity: int
    milk: str | None
    extras: list[str]
    unit_price_cents: int


def _pick_size(item: MenuItem, sizes: dict[str, int], wanted: str | None) -> str:
    if wanted is None:
        return "medium" if "medium" in sizes else min(sizes, key=sizes.__getitem__)
    size = wanted.strip().lower()
    if size not in sizes:
        offered = ", ".join(sorted(sizes, key=sizes.__getitem__))
        raise InvalidInput(f"{item.name} comes in {offered}, not {wanted!r}", item_id=item.id, sizes=offered)
    return size


async def _milk_price(session: AsyncSession, item: MenuItem, wanted: str | None) -> tuple[str | None, int]:
    if wanted is None:
        return item.default_milk, 0
    if not item.milk_ml:
        raise InvalidInput(f"{item.name} is not made with milk", item_id=item.id)
    milk = await session.get(Milk, wanted.strip().lower())
    if milk is None:
        names = ", ".join(await session.scalars(select(Milk.id).order_by(Milk.id)))
        raise InvalidInput(f"no milk called {wanted!r}; choose {names}", milk=wanted)
    return milk.id, milk.price_cents


async def _extras_price(session: AsyncSession, item: MenuItem, wanted: list[str]) -> tuple[list[str], int]:
    if not wanted:
        return [], 0
    if not item.accepts_extras:
        raise InvalidInput(f"{item.name} does not take extras", item_id=item.id)
    ids = [e.strip().lower() for e in wanted]
    found = {e.id: e for e in await session.scalars(select(Extra).where(Extra.id.in_(ids)))}
    unknown = [e for e in ids if e not in found]
    if unknown:
        names = ", ".join(await session.scalars(select(Extra.id).order_by(Extra.id)))
        raise InvalidInput(f"unknown extra {unknown[0]!r}; choose {names}", extra=unknown[0])
    return ids, sum(found[e].price_cents for e in ids)


async def price_line(
    session: AsyncSession, item_id: str, size: str | None, quantity: int, milk: str | None, extras: list[str]
) -> PricedLine:
    """Validate one line against the live menu and price it; raises InvalidInput naming what is wrong."""
    item = await session.get(MenuItem, item_id.strip().lower())
    if item is None or not item.available:
        raise UnknownItem(f"{item_id!r} is not on the menu", item_id=item_id)
    sizes = dict((await session.execute(
        select(ItemPrice.size, ItemPrice.price_cents).where(ItemPrice.item_id == item.id))).all())
    chosen = _pick_size(item, sizes, size)
    milk_id, milk_cents = await _milk_price(session, item, milk)
    extra_ids, extras_cents = await _extras_price(session, item, extras)
    return PricedLine(item, chosen, quantity, milk_id, extra_ids, sizes[chosen] + milk_cents + extras_cents)
