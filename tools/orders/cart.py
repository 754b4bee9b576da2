"""Cart capabilities: open a draft order, add / change / remove lines, quote it."""

from __future__ import annotations

from store.orders import Order, OrderEvent, OrderLine
from tools.context import ToolContext
from tools.errors import Forbidden, InvalidInput, NotFound
from tools.inventory import ensure_location_scope, require_location
from tools.orders.models import (
    MAX_LINES,
    AddOrderLine,
    CreateCart,
    LineSpec,
    OrderRef,
    OrderState,
    OrderView,
    RemoveOrderLine,
    UpdateOrderLine,
)
from tools.orders.pricing import price_line
from tools.orders.service import ensure_draft, load_order, view
from tools.principal import CUSTOMERS_AND_STAFF
from tools.registry import Rest, capability


def customer_for(ctx: ToolContext, requested: str | None) -> str:
    """Customers order for themselves; staff must say whom the order is for."""
    p = ctx.principal
    if not p.is_staff:
        if requested not in (None, p.id):
            raise Forbidden("customers can only order for themselves")
        return p.id
    if not requested:
        raise InvalidInput("staff must give customer_id for the order")
    return requested


async def new_draft(ctx: ToolContext, location_id: str, customer_id: str | None) -> Order:
    require_location(await ctx.menu(), location_id)
    if ctx.principal.is_staff:
        ensure_location_scope(ctx.principal, location_id)
    now = ctx.now()
    first = OrderEvent(from_state=None, to_state=OrderState.DRAFT.value, at=now,
                       actor=ctx.principal.as_header(), note=None)
    order = Order(customer_id=customer_for(ctx, customer_id), location_id=location_id,
                  state=OrderState.DRAFT.value, created_at=now, updated_at=now,
                  lines=[], events=[first], reservations=[])
    ctx.session.add(order)
    return order


async def add_line(ctx: ToolContext, order: Order, cmd: LineSpec) -> None:
    if len(order.lines) >= MAX_LINES:
        raise InvalidInput(f"an order holds at most {MAX_LINES} lines")
    priced = price_line(await ctx.menu(), cmd.item_id, cmd.size, cmd.quantity, cmd.milk, cmd.extras)
    order.lines.append(OrderLine(item_id=priced.item.id, size=priced.size, quantity=priced.quantity,
                                 milk=priced.milk, extras=priced.extras, unit_price_cents=priced.unit_price_cents))
    order.updated_at = ctx.now()


def _line(order: Order, line_id: int) -> OrderLine:
    for line in order.lines:
        if line.id == line_id:
            return line
    raise NotFound(f"order {order.id} has no line {line_id}", order_id=order.id, line_id=line_id)


@capability(domain="orders", roles=CUSTOMERS_AND_STAFF, mutating=True, rest=Rest("POST", "/carts", 201))
async def create_cart(ctx: ToolContext, cmd: CreateCart) -> OrderView:
    """Open a draft order (a cart) at a shop, optionally with its first lines. Then change lines, quote, place.

    The reply is priced like `quote_order`. Nothing is reserved until the order is placed.
    """
    order = await new_draft(ctx, cmd.location_id, cmd.customer_id)
    for spec in cmd.lines:
        await add_line(ctx, order, spec)
    await ctx.session.flush()
    return await view(ctx, order)


@capability(domain="orders", roles=CUSTOMERS_AND_STAFF, mutating=True, rest=Rest("POST", "/orders/{order_id}/lines"))
async def add_order_line(ctx: ToolContext, cmd: AddOrderLine) -> OrderView:
    """Add a line (item, size, quantity, milk, extras) to a draft order."""
    order = await load_order(ctx, cmd.order_id, lock=True)
    ensure_draft(order)
    await add_line(ctx, order, cmd)
    await ctx.session.flush()
    return await view(ctx, order)


@capability(domain="orders", roles=CUSTOMERS_AND_STAFF, mutating=True,
            rest=Rest("PATCH", "/orders/{order_id}/lines/{line_id}"))
async def update_order_line(ctx: ToolContext, cmd: UpdateOrderLine) -> OrderView:
    """Change a line of a draft order: size, quantity, milk or extras (fields left out stay as they are)."""
    order = await load_order(ctx, cmd.order_id, lock=True)
    ensure_draft(order)
    line = _line(order, cmd.line_id)
    priced = price_line(
        await ctx.menu(), line.item_id, cmd.size or line.size, cmd.quantity or line.quantity,
        cmd.milk if cmd.milk is not None else line.milk,
        cmd.extras if cmd.extras is not None else list(line.extras),
    )
    line.size, line.quantity, line.milk = priced.size, priced.quantity, priced.milk
    line.extras, line.unit_price_cents = priced.extras, priced.unit_price_cents
    order.updated_at = ctx.now()
    await ctx.session.flush()
    return await view(ctx, order)


@capability(domain="orders", roles=CUSTOMERS_AND_STAFF, mutating=True,
            rest=Rest("DELETE", "/orders/{order_id}/lines/{line_id}"))
async def remove_order_line(ctx: ToolContext, cmd: RemoveOrderLine) -> OrderView:
    """Remove a line from a draft order."""
    order = await load_order(ctx, cmd.order_id, lock=True)
    ensure_draft(order)
    order.lines.remove(_line(order, cmd.line_id))
    order.updated_at = ctx.now()
    await ctx.session.flush()
    return await view(ctx, order)


@capability(domain="orders", roles=CUSTOMERS_AND_STAFF, rest=Rest("GET", "/orders/{order_id}/quote"))
async def quote_order(ctx: ToolContext, cmd: OrderRef) -> OrderView:
    """Price an order: each line (priced when it was added) and the total, in cents. Changes nothing."""
    order = await load_order(ctx, cmd.order_id)
    return await view(ctx, order)
