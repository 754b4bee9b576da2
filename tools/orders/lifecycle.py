"""Order lifecycle capabilities: place (reserving stock), create-and-place, cancel, staff transitions, reads."""

from __future__ import annotations

from sqlalchemy import select

from store.orders import Order
from tools.context import ToolContext
from tools.errors import IllegalTransition, InvalidInput
from tools.inventory import ensure_location_scope, release, reserve
from tools.kitchen.jobs import cancel_jobs, enqueue_order, finish_by_hand
from tools.notifications.events import order_ready
from tools.orders.cart import add_line, new_draft
from tools.orders.models import (
    AdvanceOrder,
    CancelOrder,
    CreateOrder,
    ListOrders,
    OrderList,
    OrderRef,
    OrderState,
    OrderView,
)
from tools.orders.pricing import price_line
from tools.orders.service import ensure_draft, load_order, total_cents, transition, view
from tools.payments.settle import captured_payment, open_payment, return_payment
from tools.principal import CUSTOMERS_AND_STAFF, STAFF_ONLY
from tools.registry import Rest, Talk, capability
from tools.stock.alerts import stock_moved

S = OrderState


def _moves(order: Order, sign: int) -> dict[str, int]:
    return {r.ingredient_id: sign * r.amount for r in order.reservations}


async def _stock_moved(ctx: ToolContext, order: Order, moved: dict[str, int]) -> None:
    await stock_moved(ctx.session, ctx.now(), ctx.principal.as_header(), order.location_id, moved)


async def _release(ctx: ToolContext, order: Order) -> None:
    returned = _moves(order, +1)
    await release(ctx.session, order)
    await _stock_moved(ctx, order, returned)


async def _place(ctx: ToolContext, order: Order) -> OrderView:
    ensure_draft(order)
    if not order.lines:
        raise InvalidInput(f"order {order.id} has no lines to place", order_id=order.id)
    menu = await ctx.menu()
    for line in order.lines:  # re-price at placement: the customer pays today's menu price
        priced = price_line(menu, line.item_id, line.size, line.quantity, line.milk, line.extras)
        line.unit_price_cents = priced.unit_price_cents
    await reserve(ctx.session, menu, order)
    await _stock_moved(ctx, order, _moves(order, -1))
    transition(ctx, order, S.PLACED)
    order.total_cents = total_cents(order)
    order.placed_at = ctx.now()
    await ctx.session.flush()
    return await view(ctx, order)


@capability(domain="orders", roles=CUSTOMERS_AND_STAFF, mutating=True, idempotent=True,
            rest=Rest("POST", "/orders/{order_id}/place"))
async def place_order(ctx: ToolContext, cmd: OrderRef) -> OrderView:
    """Place a draft order: freeze its price and reserve its ingredients. Confirm with the customer first.

    Needs an idempotency key: a retried call with the same key returns the first result.
    Fails with out_of_stock (naming the ingredient) when the shop cannot make it; nothing changes then.
    """
    return await _place(ctx, await load_order(ctx, cmd.order_id, lock=True))


@capability(domain="orders", roles=CUSTOMERS_AND_STAFF, mutating=True, idempotent=True, repeatable=True,
            rest=Rest("POST", "/orders", 201))
async def create_order(ctx: ToolContext, cmd: CreateOrder) -> OrderView:
    """Create and place an order in one step from its lines. Confirm with the customer first.

    Needs an idempotency key: a retried call with the same key returns the first result, the same key
    with a different request is refused. Out of stock or a bad line changes nothing.
    """
    order = await new_draft(ctx, cmd.location_id, cmd.customer_id)
    for spec in cmd.lines:
        await add_line(ctx, order, spec)
    return await _place(ctx, order)


@capability(domain="orders", roles=CUSTOMERS_AND_STAFF, mutating=True, rest=Rest("POST", "/orders/{order_id}/cancel"))
async def cancel_order(ctx: ToolContext, cmd: CancelOrder) -> OrderView:
    """Cancel an order and return its reserved ingredients. A draft or placed order becomes cancelled; an order
    paid through the platform and not yet being made is refunded to where it was paid from (its state becomes
    refunded). Once brewing, only staff can refund it."""
    order = await load_order(ctx, cmd.order_id, lock=True)
    if order.state in (S.PAID, S.QUEUED):
        payment = await captured_payment(ctx.session, order.id)
        if payment is None:
            raise IllegalTransition(f"order {order.id} was paid at the till; staff can refund it",
                                    order_id=order.id, state=order.state)
        reason = cmd.reason or "cancelled by the customer"
        await return_payment(ctx, payment, payment.amount_cents - payment.refunded_cents, reason)
        await refund_order(ctx, order, reason)
    else:
        if order.state == S.PLACED and (waiting := await open_payment(ctx.session, order.id)) is not None:
            raise IllegalTransition(f"order {order.id} has a {waiting.provider} payment being confirmed; cancel it "
                                    "once that settles", order_id=order.id, payment_id=waiting.id)
        transition(ctx, order, S.CANCELLED, cmd.reason)
        await _release(ctx, order)
    await ctx.session.flush()
    return await view(ctx, order)


@capability(domain="orders", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/orders/{order_id}/transitions"),
            talk=Talk(
                asks=("mark order", "mark it", "mark as", "as ready", "is ready", "are ready", "picked up",
                      "collected", "move order", "set order", "brewing order", "as paid", "is paid", "has paid",
                      "been picked", "to queued"),
                unless=("machine", "on m"),
                values={"collected": ("picked up", "collected", "picked"), "ready": ("ready",),
                        "brewing": ("brewing",), "queued": ("queued",), "paid": ("paid",)},
                confirm="Shall I mark order {order_id} {to_state}?",
                done="Order {order_id} is now {state}.",
                questions={"order_id": "Which order? Please tell me its number.",
                           "to_state": "What should order {order_id} become: paid, brewing, ready or collected?"}))
async def advance_order(ctx: ToolContext, cmd: AdvanceOrder) -> OrderView:
    """Move an order along its lifecycle (staff): paid, queued, brewing, ready, collected or refunded.

    A paid order goes straight to the kitchen's queue (queued), or to ready if it has nothing to brew;
    Ready by hand counts its unmade drinks as made by hand; a refund drops its drinks from the queue and stops
    any being brewed.

    Only legal transitions are accepted; the reply lists the states the order may move to next.
    """
    to = OrderState(cmd.to_state)
    order = await load_order(ctx, cmd.order_id, lock=True)
    if to == S.REFUNDED and await captured_payment(ctx.session, order.id):
        raise InvalidInput(f"order {order.id} was paid through the platform: use refund_payment, which returns "
                           "the money", order_id=order.id)
    if to == S.REFUNDED:
        await refund_order(ctx, order, cmd.note)
    else:
        transition(ctx, order, to, cmd.note)
    if to == S.PAID:
        await enqueue_order(ctx.session, await ctx.menu(), order, ctx.now())
    if to == S.READY:
        await finish_by_hand(ctx.session, order, ctx.now(), ctx.principal.as_header())
        await order_ready(ctx.session, ctx.now(), order)
    await ctx.session.flush()
    return await view(ctx, order)


async def refund_order(ctx: ToolContext, order: Order, note: str | None) -> None:
    """Mark the order refunded: its drinks leave the kitchen and, if nothing was made yet, stock comes back."""
    before = order.state
    transition(ctx, order, S.REFUNDED, note)
    await cancel_jobs(ctx.session, order, ctx.now(), ctx.principal.as_header())
    if before in (S.PAID, S.QUEUED):
        await _release(ctx, order)  # nothing was made yet


@capability(domain="orders", roles=CUSTOMERS_AND_STAFF, rest=Rest("GET", "/orders/{order_id}"))
async def get_order(ctx: ToolContext, cmd: OrderRef) -> OrderView:
    """Get an order with its lines, total, state, allowed next states and state history."""
    return await view(ctx, await load_order(ctx, cmd.order_id))


@capability(domain="orders", roles=CUSTOMERS_AND_STAFF, rest=Rest("GET", "/orders"))
async def list_orders(ctx: ToolContext, cmd: ListOrders) -> OrderList:
    """List orders, newest first: a customer sees their own; staff see their shop's (or any, for managers)."""
    p = ctx.principal
    query = select(Order).order_by(Order.id.desc()).limit(cmd.limit)
    if not p.is_staff:
        query = query.where(Order.customer_id == p.id)
    location = cmd.location_id or (p.location_id if p.is_staff else None)
    if location:
        if p.is_staff:
            ensure_location_scope(p, location)
        query = query.where(Order.location_id == location)
    if cmd.state:
        query = query.where(Order.state == cmd.state.value)
    orders = (await ctx.session.scalars(query)).all()
    return OrderList(orders=[await view(ctx, o) for o in orders])
