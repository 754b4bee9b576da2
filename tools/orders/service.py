"""Shared order mechanics: load with ownership checks, record transitions, build views."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from store.orders import Order, OrderEvent
from tools.context import ToolContext
from tools.errors import IllegalTransition, NotFound
from tools.inventory import ensure_location_scope
from tools.orders.models import TRANSITIONS, OrderEventView, OrderLineView, OrderState, OrderView
from tools.principal import Role


async def load_order(ctx: ToolContext, order_id: int, *, lock: bool = False) -> Order:
    """The order, if this principal may see it. Someone else's order is reported as missing."""
    query = select(Order).where(Order.id == order_id)
    if lock:
        query = query.with_for_update()
    order = await ctx.session.scalar(query)
    p = ctx.principal
    if order is None or (p.role in (Role.CUSTOMER, Role.GUEST) and order.customer_id != p.id):
        raise NotFound(f"no order {order_id}", order_id=order_id)
    if p.is_staff:
        ensure_location_scope(p, order.location_id)
    return order


def transition(ctx: ToolContext, order: Order, to: OrderState, note: str | None = None) -> None:
    """Move the order to `to` if the state machine allows it, recording who and when."""
    current = OrderState(order.state)
    if to not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none"
        raise IllegalTransition(f"order {order.id} is {current.value}; it cannot become {to.value} "
                                f"(allowed: {allowed})", order_id=order.id, state=current.value, to=to.value)
    move(order, to, ctx.now(), ctx.principal.as_header(), note)


def move(order: Order, to: OrderState, now: datetime, actor: str, note: str | None = None) -> None:
    """Record a move the caller has checked is legal."""
    order.events.append(OrderEvent(from_state=order.state, to_state=to.value, at=now, actor=actor, note=note))
    order.state = to.value
    order.updated_at = now


def ensure_draft(order: Order) -> None:
    if order.state != OrderState.DRAFT:
        raise IllegalTransition(f"order {order.id} is {order.state}; only a draft can be changed",
                                order_id=order.id, state=order.state)


def total_cents(order: Order) -> int:
    return sum(line.unit_price_cents * line.quantity for line in order.lines)


async def view(ctx: ToolContext, order: Order) -> OrderView:
    items = (await ctx.menu()).items
    lines = [
        OrderLineView(line_id=ln.id, item_id=ln.item_id,
                      item_name=items[ln.item_id].name if ln.item_id in items else ln.item_id,
                      size=ln.size, quantity=ln.quantity, milk=ln.milk, extras=list(ln.extras),
                      unit_price_cents=ln.unit_price_cents, line_total_cents=ln.unit_price_cents * ln.quantity)
        for ln in order.lines
    ]
    events = [OrderEventView(from_state=e.from_state, to_state=e.to_state, at=e.at, actor=e.actor, note=e.note)
              for e in order.events]
    return OrderView(
        order_id=order.id, customer_id=order.customer_id, location_id=order.location_id,
        state=OrderState(order.state), lines=lines,
        total_cents=order.total_cents if order.total_cents is not None else total_cents(order),
        created_at=order.created_at, placed_at=order.placed_at, events=events,
        next_states=sorted(TRANSITIONS[OrderState(order.state)]),
    )
