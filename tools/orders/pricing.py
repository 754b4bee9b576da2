"""Check an order line against the menu and price it. Unit price = size price + milk + extras."""

from __future__ import annotations

from dataclasses import dataclass

from tools.errors import InvalidInput, UnknownItem
from tools.menu.snapshot import ItemRec, Snapshot


@dataclass(frozen=True)
class PricedLine:
    item: ItemRec
    size: str
    quantity: int
    milk: str | None
    extras: list[str]
    unit_price_cents: int


def _pick_size(item: ItemRec, sizes: dict[str, int], wanted: str | None) -> str:
    if wanted is None:
        return "medium" if "medium" in sizes else next(iter(sizes))
    size = wanted.strip().lower()
    if size not in sizes:
        offered = ", ".join(sizes)
        raise InvalidInput(f"{item.name} comes in {offered}, not {wanted!r}", item_id=item.id, sizes=offered)
    return size


def _milk_price(menu: Snapshot, item: ItemRec, wanted: str | None) -> tuple[str | None, int]:
    if wanted is None:
        return item.default_milk, 0
    if not item.milk_ml:
        raise InvalidInput(f"{item.name} is not made with milk", item_id=item.id)
    milk = menu.milks.get(wanted.strip().lower())
    if milk is None:
        raise InvalidInput(f"no milk called {wanted!r}; choose {', '.join(menu.milks)}", milk=wanted)
    return milk.id, milk.price_cents


def _extras_price(menu: Snapshot, item: ItemRec, wanted: list[str]) -> tuple[list[str], int]:
    if not wanted:
        return [], 0
    if not item.accepts_extras:
        raise InvalidInput(f"{item.name} does not take extras", item_id=item.id)
    ids = [e.strip().lower() for e in wanted]
    unknown = [e for e in ids if e not in menu.extras]
    if unknown:
        raise InvalidInput(f"unknown extra {unknown[0]!r}; choose {', '.join(menu.extras)}", extra=unknown[0])
    return ids, sum(menu.extras[e].price_cents for e in ids)


def price_line(menu: Snapshot, item_id: str, size: str | None, quantity: int, milk: str | None,
               extras: list[str]) -> PricedLine:
    """Validate one line against the menu and price it; raises InvalidInput naming what is wrong."""
    item = menu.items.get(item_id.strip().lower())
    if item is None or not item.available:
        raise UnknownItem(f"{item_id!r} is not on the menu", item_id=item_id)
    sizes = menu.prices.get(item.id, {})
    chosen = _pick_size(item, sizes, size)
    milk_id, milk_cents = _milk_price(menu, item, milk)
    extra_ids, extras_cents = _extras_price(menu, item, extras)
    return PricedLine(item, chosen, quantity, milk_id, extra_ids, sizes[chosen] + milk_cents + extras_cents)
