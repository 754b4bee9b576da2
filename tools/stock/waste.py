"""Waste: what a shop throws away (an ingredient, or finished items and so their recipe's ingredients) leaves its
stock — never below zero — and is written down with its reason and value."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select, update

from store.engine import rows_changed
from store.inventory import Stock
from store.orders import OrderLine
from store.purchasing import SupplierProduct
from store.stock_moves import WasteRecord
from tools.context import ToolContext
from tools.errors import Conflict, NotFound
from tools.inventory import ensure_location_scope, ingredient_needs, require_location
from tools.menu.snapshot import Snapshot
from tools.principal import STAFF_ONLY, Role
from tools.registry import Rest, Talk, capability
from tools.scheduling.labour import dollars
from tools.stock.alerts import stock_moved
from tools.stock.models import RecordWaste, WasteOut, WasteQuery, WasteSummary
from tools.stock.units import shown

REASONS = {"expired": ("expired", "stale", "went off", "gone off", "out of date", "past its date", "spoiled", "spoilt",
                       "sour", "went bad", "gone bad", "mouldy", "moldy"),
           "spilled": ("spilled", "spilt", "spill", "dropped", "knocked over", "knocked off", "broke", "broken", "fell",
                       "on the floor", "all over the floor", "split"),
           "quality": ("quality", "burnt", "burned", "made wrong", "remade", "remake", "wrong", "bad shot", "too weak",
                       "too strong", "came out bad", "not good enough"),
           "returned": ("returned", "sent back", "brought back", "send back")}


def _taken(menu: Snapshot, product: str, quantity: int) -> tuple[str, str, Counter[str]]:
    """The product's kind and name, and the ingredient units wasting `quantity` of it takes (a menu item before an
    ingredient of the same id: a croissant sold is the croissant stocked)."""
    item = menu.items.get(product)
    if item is None and product in menu.ingredients:
        return "ingredient", menu.ingredients[product].name, Counter({product: quantity})
    if item is None:
        raise NotFound(f"no menu item or ingredient {product!r}", product=product)
    size = min(menu.sizes, key=lambda s: abs(menu.sizes[s] - 100))
    line = OrderLine(item_id=product, size=size, quantity=quantity, milk=item.default_milk, extras=[])
    return "item", item.name, ingredient_needs(menu, [line])


async def _value(ctx: ToolContext, taken: Counter[str]) -> int:
    packs = (await ctx.session.scalars(select(SupplierProduct).where(SupplierProduct.ingredient_id.in_(taken)))).all()
    return round(sum(taken[p.ingredient_id] * p.pack_cents / p.pack for p in packs))


@capability(domain="stock", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/waste", 201), talk=Talk(
    asks=("waste", "wasted", "write off", "written off", "threw away", "thrown away", "throw away", "binned", "bin",
          "tossed", "chucked", "dumped", "spilled", "spilt", "expired", "went off", "gone off", "went stale", "stale",
          "spoiled", "spoilt", "out of date", "had to toss", "had to throw", "sent back", "returned", "toss", "dump",
          "pour away", "poured away", "down the sink", "down the drain", "as waste", "log waste", "on the floor",
          "all over the floor"),
    unless=("refund", "how much", "this week", "report"),
    values=REASONS,
    confirm="Shall I write off {quantity} {product} at {location_id} ({reason})?",
    done="Written off: {quantity} {name} at {location_id} ({reason}), {value}; took {taken_shown} from stock.",
    questions={"product": "What was wasted?", "quantity": "How much?",
               "reason": "Why: expired, spilled, quality, or returned by a customer?"}))
async def record_waste(ctx: ToolContext, cmd: RecordWaste) -> WasteOut:
    """Write off wasted stock at a shop: an ingredient (in its stock unit) or finished menu items (their recipe's
    ingredients at the regular size, with the default milk), with the reason. Stock never goes below zero: waste
    larger than what is there is refused and nothing changes."""
    ensure_location_scope(ctx.principal, cmd.location_id)
    menu = await ctx.menu()
    require_location(menu, cmd.location_id)
    kind, name, taken = _taken(menu, cmd.product, cmd.quantity)
    for ingredient_id in sorted(taken):
        changed = await ctx.session.execute(update(Stock).where(
            Stock.location_id == cmd.location_id, Stock.ingredient_id == ingredient_id,
            Stock.quantity >= taken[ingredient_id]).values(quantity=Stock.quantity - taken[ingredient_id]))
        if rows_changed(changed) != 1:
            raise Conflict(f"{cmd.location_id} has less {menu.ingredients[ingredient_id].name} than that waste takes "
                           f"({taken[ingredient_id]} {menu.ingredients[ingredient_id].unit})",
                           ingredient_id=ingredient_id, needed=taken[ingredient_id])
    value = await _value(ctx, taken)
    row = WasteRecord(location_id=cmd.location_id, product=cmd.product, kind=kind, quantity=cmd.quantity,
                      taken=dict(taken), value_cents=value, reason=cmd.reason, note=cmd.note,
                      recorded_by=ctx.principal.person, recorded_at=ctx.now())
    ctx.session.add(row)
    await ctx.session.flush()
    low = await stock_moved(ctx.session, ctx.now(), ctx.principal.as_header(), cmd.location_id,
                            {i: -n for i, n in taken.items()})
    shown_taken = ", ".join(f"{shown(n, menu.ingredients[i].unit)} {menu.ingredients[i].name}"
                            for i, n in sorted(taken.items()))
    return WasteOut(waste_id=row.id, location_id=cmd.location_id, product=cmd.product, name=name, kind=kind,
                    quantity=cmd.quantity, reason=cmd.reason, taken=dict(taken), taken_shown=shown_taken,
                    value_cents=value, value=dollars(value), low=low)


@capability(domain="stock", roles=STAFF_ONLY, rest=Rest("GET", "/waste"), talk=Talk(
    asks=("how much have we wasted", "how much did we waste", "waste report", "waste this week", "wasted this week",
          "wastage", "write-offs", "write offs", "how much waste", "what did we waste", "what have we wasted",
          "wasted lately", "wasted recently", "been wasting", "throwing away", "been throwing", "show me the waste"),
    done="Waste{where} over the last {days} days: {records} records, {value} ({reasons}). Most: {top}."))
async def get_waste(ctx: ToolContext, cmd: WasteQuery) -> WasteSummary:
    """What was written off over the last days — at one shop (staff: their own) or every shop — by value, per
    reason, and the products most wasted."""
    shop = ctx.principal.location_id if ctx.principal.role == Role.STAFF else cmd.location_id
    query = select(WasteRecord).where(WasteRecord.recorded_at >= ctx.now() - timedelta(days=cmd.days))
    if shop:
        ensure_location_scope(ctx.principal, shop)
        query = query.where(WasteRecord.location_id == shop)
    rows = (await ctx.session.scalars(query)).all()
    by_reason: Counter[str] = Counter()
    by_product: Counter[str] = Counter()
    for r in rows:
        by_reason[r.reason] += r.value_cents
        by_product[r.product] += r.value_cents
    menu = await ctx.menu()
    names = {i: rec.name for i, rec in menu.ingredients.items()} | {i: rec.name for i, rec in menu.items.items()}
    total = sum(by_reason.values())
    return WasteSummary(location_id=shop, days=cmd.days, records=len(rows), value_cents=total, value=dollars(total),
                        by_reason={k: dollars(v) for k, v in by_reason.most_common()},
                        where=f" at {shop}" if shop else "",
                        reasons=", ".join(f"{k} {dollars(v)}" for k, v in by_reason.most_common()) or "none",
                        top=", ".join(f"{names.get(p, p)} {dollars(v)}" for p, v in by_product.most_common(3))
                        or "nothing")
