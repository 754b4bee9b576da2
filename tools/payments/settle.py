"""The provider-independent halves of a payment: what capture and refund do to the ledger, loyalty and order.

Every captured payment books its amount from the provider's source account to the house's sales, and earns
loyalty points; every refund books it back and takes the points back (as far as the customer still has them).
So the ledger reconciles whichever way an order was paid.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.orders import Order
from store.payments import Payment
from tools.context import ToolContext
from tools.kitchen.jobs import enqueue_order
from tools.orders.models import OrderState
from tools.orders.service import transition
from tools.payments.card import CARD
from tools.payments.coffee import COFFEE
from tools.payments.models import Method
from tools.payments.providers import STORED_VALUE, Provider
from tools.wallet.ledger import LOYALTY, POINTS_PER_DOLLAR, SALES, Move, balance, points, post

PROVIDERS: dict[str, Provider] = {Method.STORED_VALUE: STORED_VALUE, Method.CARD: CARD, Method.COFFEE: COFFEE}
OPEN_STATES = ("pending", "authorized")


def points_for(cents: int) -> int:
    """Loyalty: one point per whole dollar paid, whatever the method."""
    return cents // 100 * POINTS_PER_DOLLAR


async def captured_payment(session: AsyncSession, order_id: int) -> Payment | None:
    return await session.scalar(select(Payment).where(Payment.order_id == order_id, Payment.state == "captured")
                                .with_for_update())


async def open_payment(session: AsyncSession, order_id: int) -> Payment | None:
    """A payment of the order still waiting for its provider (card processing, COFFEE confirmations)."""
    return await session.scalar(select(Payment).where(Payment.order_id == order_id, Payment.state.in_(OPEN_STATES))
                                .with_for_update())


async def on_captured(ctx: ToolContext, order: Order, payment: Payment) -> None:
    """Book a payment its provider has captured and send the order to the kitchen."""
    now, who, amount = ctx.now(), payment.customer_id, payment.amount_cents
    source = PROVIDERS[payment.provider].source(payment)
    await post(ctx.session, "payment", now, [Move(source, "cents", -amount), Move(SALES, "cents", amount)],
               payment_id=payment.id, memo=f"order {order.id} by {payment.provider}")
    if earned := points_for(amount):
        await post(ctx.session, "points_earned", now, [Move(points(who), "points", earned),
                                                       Move(LOYALTY, "points", -earned)],
                   payment_id=payment.id, memo=f"order {order.id}")
    payment.state, payment.updated_at = "captured", now
    transition(ctx, order, OrderState.PAID, f"paid {amount} cents by {payment.provider}")
    await enqueue_order(ctx.session, await ctx.menu(), order, now)


async def return_payment(ctx: ToolContext, payment: Payment, amount: int, reason: str) -> None:
    """Give `amount` back through the provider it came from (the caller checked it is at most what is left).

    The payment is `refunded` once nothing is left."""
    await PROVIDERS[payment.provider].refund(ctx, payment, amount, reason)
    await book_refund(ctx, payment, amount, reason)


async def book_refund(ctx: ToolContext, payment: Payment, amount: int, reason: str) -> None:
    """Book `amount` the provider has already given back (by us, or at the provider, e.g. Stripe's dashboard)."""
    now, who = ctx.now(), payment.customer_id
    source = PROVIDERS[payment.provider].source(payment)
    await post(ctx.session, "refund", now, [Move(source, "cents", amount), Move(SALES, "cents", -amount)],
               payment_id=payment.id, memo=reason)
    if clawback := min(points_for(amount), await balance(ctx.session, points(who), "points")):
        await post(ctx.session, "points_returned", now, [Move(points(who), "points", -clawback),
                                                         Move(LOYALTY, "points", clawback)], payment_id=payment.id)
    payment.refunded_cents += amount
    payment.updated_at = now
    if payment.refunded_cents == payment.amount_cents:
        payment.state = "refunded"
