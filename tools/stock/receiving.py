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
from tools.registry import Rest, Talk, capability
from tools.scheduling.labour import dollars
from tools.stock.alerts import stock_moved
from tools.stock.models import ReceiptOut, ReceiveDelivery, ReceivedLine, RecordDelivery
from tools.stock.purchase_orders import out
from tools.stock.units import shown

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
    return await _receive(ctx, po, cmd)


async def _receive(ctx: ToolContext, po: PurchaseOrder, cmd: ReceiveDelivery) -> ReceiptOut:
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
    await stock_moved(ctx.session, ctx.now(), ctx.principal.as_header(), po.location_id, stocked)
    short = {i: r.packs * r.pack - r.received for i, r in ordered.items() if r.received < r.packs * r.pack}
    po.state, po.version = ("partially_received" if short else "received"), po.version + 1
    receipt = Receipt(order_id=po.id, lines=[line.model_dump() for line in cmd.lines], note=cmd.note,
                      received_by=ctx.principal.person, received_at=ctx.now())
    ctx.session.add(receipt)
    await ctx.session.flush()
    return ReceiptOut(receipt_id=receipt.id, order_id=po.id, order=await out(ctx.session, po), stocked=stocked,
                      short=short, price_differences=prices, summary=await _summary(ctx, po, stocked, short))


async def _summary(ctx: ToolContext, po: PurchaseOrder, stocked: dict[str, int], short: dict[str, int]) -> str:
    menu = await ctx.menu()

    def said(units: dict[str, int]) -> str:
        return ", ".join(f"{shown(n, menu.ingredients[i].unit)} {menu.ingredients[i].name}" for i, n in units.items())

    owed = f"; still owed: {said(short)}" if short else ""
    return f"{said(stocked) or 'nothing'} stocked at {po.location_id}; the order is {po.state.replace('_', ' ')}{owed}"


@capability(domain="stock", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/deliveries", 201), talk=Talk(
    asks=("delivery", "deliveries", "came in", "arrived", "delivered", "received", "turned up", "showed up",
          "dropped off", "took in", "taken in"),
    unless=("transfer", "order ready", "drink"),
    confirm="Shall I receive {quantity} of {ingredient_id} at {location_id} against its purchase order?",
    done="Received against purchase order {order_id}: {summary}.",
    questions={"ingredient_id": "What arrived?", "quantity": "How much arrived, and in which unit?"}))
async def record_delivery(ctx: ToolContext, cmd: RecordDelivery) -> ReceiptOut:
    """Receive one ingredient that arrived at a shop against the oldest open purchase order that has it (as
    receive_delivery does for a whole order). Without an open order for it, nothing changes: a delivery that came
    without one is a restock (adjust_stock)."""
    ensure_location_scope(ctx.principal, cmd.location_id)
    po = await ctx.session.scalar(select(PurchaseOrder).join(
        PurchaseOrderLine, PurchaseOrderLine.order_id == PurchaseOrder.id).where(
        PurchaseOrder.location_id == cmd.location_id, PurchaseOrder.state.in_(RECEIVABLE),
        PurchaseOrderLine.ingredient_id == cmd.ingredient_id).order_by(PurchaseOrder.id).limit(1))
    if po is None:
        raise NotFound(f"no open purchase order at {cmd.location_id} has {cmd.ingredient_id}; if it came without "
                       "one, record it as a restock", location_id=cmd.location_id, ingredient_id=cmd.ingredient_id)
    line = ReceivedLine(ingredient_id=cmd.ingredient_id, quantity=cmd.quantity, damaged=cmd.damaged)
    return await _receive(ctx, po, ReceiveDelivery(order_id=po.id, lines=[line]))
