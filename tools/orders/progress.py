"""How a paid order's drinks are coming along in the kitchen, as its customer or staff see it."""

from __future__ import annotations

from tools.context import ToolContext
from tools.kitchen.jobs import drink_view, order_jobs
from tools.kitchen.models import OrderProgress
from tools.orders.models import OrderRef, OrderState
from tools.orders.service import load_order
from tools.principal import CUSTOMERS_AND_STAFF
from tools.registry import Rest, capability


@capability(domain="orders", roles=CUSTOMERS_AND_STAFF, rest=Rest("GET", "/orders/{order_id}/progress"))
async def get_order_progress(ctx: ToolContext, cmd: OrderRef) -> OrderProgress:
    """How an order's drinks are coming along: each drink queued, brewing or done. Customers see their own."""
    order = await load_order(ctx, cmd.order_id)
    jobs = await order_jobs(ctx.session, order.id)
    return OrderProgress(order_id=order.id, state=OrderState(order.state), drinks=[drink_view(j) for j in jobs])
