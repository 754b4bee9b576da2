"""Receiving a delivery against a purchase order: the shop's stock grows by what arrived undamaged, in the same
transaction as the receipt, and the order becomes partially received or received."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select, update

from store.engine import rows_changed
from store.inventory import Stock
from store.purchasing import PurchaseOrder, PurchaseOrderLine, Receipt
from tools.context import ToolContext
from tools.errors import IllegalTransition, InvalidInput, NotFound
from tools.inventory import ensure_location_scope
from tools.principal import STAFF_ONLY
from tools.registry import Rest, capability
from tools.scheduling.labour import dollars
from tools.stock.models import ReceiptOut, ReceiveDelivery
from tools.stock.purchase_orders import out

RECEIVABLE = ("submitted", "partially_received")


def _check(cmd: ReceiveDelivery, ordered: dict[str, PurchaseOrderLine]) -> None:
    seen = Counter(line.ingredient_id for line in cmd.lines)
    twice = [i for i, n in seen.items() if n > 1]
    if twice:
        raise InvalidInput(f"{', '.join(twice)} named more than once", ingredients=twice)
    for line in cmd.lines:
        if line.ingredient_id not in ordered:
            raise InvalidInput(f"{line.ingredient_id} is not on purchase order {cmd.order_id}",
                               ingredient_id=line.ingredient_id)
        if line.damaged > line.quantity:
            raise InvalidInput(f"{line.damaged} damaged of {line.quantity} {line.ingredient_id} that arrived",
                               ingredient_id=line.ingredient_id)


@capability(domain="stock", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/purchase-orders/{order_id}/receipts", 201))
async def receive_delivery(ctx: ToolContext, cmd: ReceiveDelivery) -> ReceiptOut:
    """Record a delivery against a submitted purchase order: per ingredient the units that arrived (more or less
    than ordered), those damaged, and the pack price charged if it differs. Stock grows by what arrived undamaged;
    the order is received once every line is, else partially received. Send an idempotency key: a retried
    delivery is then recorded once."""
    po = await ctx.session.get(PurchaseOrder, cmd.order_id)
    if po is None:
        raise NotFound(f"no purchase order {cmd.order_id}", order_id=cmd.order_id)
    ensure_location_scope(ctx.principal, po.location_id)
    if po.state not in RECEIVABLE:
        raise IllegalTransition(f"purchase order {po.id} is {po.state}; only a submitted order is received",
                                order_id=po.id, state=po.state)
    ordered = {r.ingredient_id: r for r in (await ctx.session.scalars(
        select(PurchaseOrderLine).where(PurchaseOrderLine.order_id == po.id))).all()}
    _check(cmd, ordered)
    stocked, prices = {}, []
    for line in cmd.lines:
        good = line.quantity - line.damaged
        row = ordered[line.ingredient_id]
        row.received += good
        stocked[line.ingredient_id] = good
        if good and not rows_changed(await ctx.session.execute(update(Stock).where(
                Stock.location_id == po.location_id, Stock.ingredient_id == line.ingredient_id)
                .values(quantity=Stock.quantity + good))):
            ctx.session.add(Stock(location_id=po.location_id, ingredient_id=line.ingredient_id, quantity=good))
        if line.pack_cents is not None and line.pack_cents != row.pack_cents:
            prices.append(f"{line.ingredient_id}: charged {dollars(line.pack_cents)} a pack, ordered at "
                          f"{dollars(row.pack_cents)}")
    short = {i: r.packs * r.pack - r.received for i, r in ordered.items() if r.received < r.packs * r.pack}
    po.state, po.version = ("partially_received" if short else "received"), po.version + 1
    receipt = Receipt(order_id=po.id, lines=[line.model_dump() for line in cmd.lines], note=cmd.note,
                      received_by=ctx.principal.person, received_at=ctx.now())
    ctx.session.add(receipt)
    await ctx.session.flush()
    return ReceiptOut(receipt_id=receipt.id, order=await out(ctx.session, po), stocked=stocked, short=short,
                      price_differences=prices)
