"""Escrow settlement: COFFEE paid for an order is released to the merchant once the order is ready.

The platform's settler calls this as the service principal every few seconds (and tests call it directly);
it is safe to repeat: the escrow contract releases each order at most once, and a released payment is
marked so it is not looked at again.
"""

from __future__ import annotations

from functools import partial

from pydantic import BaseModel, Field
from sqlalchemy import select

from contracts import coffee
from contracts.chain import Chain
from contracts.coffee import EscrowStatus
from store.orders import Order
from store.payments import Payment
from tools.context import ToolContext
from tools.fields import Whole
from tools.onchain import on_chain
from tools.orders.models import OrderState
from tools.principal import Role
from tools.registry import Internal, capability

DONE = (OrderState.READY.value, OrderState.COLLECTED.value)


class ReleaseEscrows(BaseModel):
    limit: Whole = Field(default=50, ge=1, le=500, description="At most this many payments per call.")


class Released(BaseModel):
    released: list[int] = Field(description="Orders whose COFFEE went to the merchant in this call.")


@capability(domain="payments", roles={Role.SERVICE}, mutating=True,
            rest=Internal("the platform's own chain loop releases escrowed COFFEE of ready orders"))
async def release_escrows(ctx: ToolContext, cmd: ReleaseEscrows) -> Released:
    """Release the escrowed COFFEE of orders that are ready or collected to the merchant (platform service)."""
    rows = await ctx.session.execute(
        select(Payment, Order.id).join(Order, Order.id == Payment.order_id)
        .where(Payment.provider == "coffee", Payment.state == "captured", Payment.settled_at.is_(None),
               Order.state.in_(DONE)).limit(cmd.limit).with_for_update(of=Payment))
    released = []
    for payment, order_id in rows.all():
        ended = await on_chain(ctx, partial(_release, order_id=order_id))
        if ended == EscrowStatus.RELEASED:
            payment.settled_at = ctx.now()
            released.append(order_id)
    await ctx.session.flush()
    return Released(released=released)


def _release(chain: Chain, order_id: int) -> EscrowStatus:
    return coffee.settle_escrow(chain, order_id, EscrowStatus.RELEASED)
