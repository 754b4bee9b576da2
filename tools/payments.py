"""Payments of orders. The amount is always the order's own total, never the caller's; every charge and
refund needs an idempotency key. Provider for now: stored value (the customer's wallet), which also earns
loyalty points. Card (Stripe) and COFFEE (escrow contract) arrive with their providers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import uuid4

from pydantic import BaseModel, Field
from sqlalchemy import select

from store.money import Payment
from store.ordering import Order
from tools.context import ToolContext
from tools.errors import IllegalTransition, InvalidInput, NotFound
from tools.kitchen.jobs import enqueue_order
from tools.orders.lifecycle import refund_order
from tools.orders.models import TRANSITIONS, OrderId, OrderRef, OrderState
from tools.orders.service import load_order, transition
from tools.principal import CUSTOMERS_AND_STAFF, STAFF_ONLY
from tools.registry import capability
from tools.wallet.ledger import LOYALTY, SALES, Move, points, post, wallet
from tools.wallet.refunds import captured_payment, points_for, return_payment


class PayOrder(BaseModel):
    order_id: int = OrderId
    method: Literal["stored_value"] = Field(default="stored_value", description="How to pay: the customer's "
                                            "stored-value wallet (card and COFFEE arrive later).")


class RefundPayment(BaseModel):
    order_id: int = OrderId
    amount_cents: int | None = Field(default=None, ge=1, description="Part of the payment to return; default: "
                                     "all that is left. A full refund also refunds the order.")
    reason: str = Field(min_length=1, max_length=200)


class PaymentView(BaseModel):
    payment_id: str
    order_id: int
    customer_id: str
    provider: str
    state: Literal["pending", "authorized", "captured", "failed", "refunded"]
    amount_cents: int
    refunded_cents: int
    points_earned: int
    order_state: OrderState
    created_at: datetime


class PaymentList(BaseModel):
    payments: list[PaymentView]


def _view(p: Payment, order: Order) -> PaymentView:
    return PaymentView(payment_id=p.id, order_id=p.order_id, customer_id=p.customer_id, provider=p.provider,
                       state=p.state, amount_cents=p.amount_cents, refunded_cents=p.refunded_cents,  # type: ignore[arg-type]
                       points_earned=points_for(p.amount_cents), order_state=OrderState(order.state),
                       created_at=p.created_at)


@capability(domain="payments", roles=CUSTOMERS_AND_STAFF, mutating=True, idempotent=True)
async def pay_order(ctx: ToolContext, cmd: PayOrder) -> PaymentView:
    """Pay a placed order in full from the customer's stored value; it then goes to the kitchen (queued).

    Earns one loyalty point per whole dollar. Needs an idempotency key: a retried call with the same key
    returns the first payment and charges nothing more. Insufficient funds charges nothing.
    """
    order = await load_order(ctx, cmd.order_id, lock=True)
    if order.state != OrderState.PLACED:
        raise IllegalTransition(f"order {order.id} is {order.state}; only a placed order can be paid",
                                order_id=order.id, state=order.state)
    amount, who, now = order.total_cents or 0, order.customer_id, ctx.now()
    payment = Payment(id=uuid4().hex, order_id=order.id, customer_id=who, provider=cmd.method, amount_cents=amount,
                      refunded_cents=0, state="captured", created_at=now, updated_at=now)
    ctx.session.add(payment)
    await ctx.session.flush()
    await post(ctx.session, "payment", now, [Move(wallet(who), "cents", -amount), Move(SALES, "cents", amount)],
               payment_id=payment.id, memo=f"order {order.id}")
    if earned := points_for(amount):
        await post(ctx.session, "points_earned", now, [Move(points(who), "points", earned),
                                                       Move(LOYALTY, "points", -earned)],
                   payment_id=payment.id, memo=f"order {order.id}")
    transition(ctx, order, OrderState.PAID, f"paid {amount} cents by {cmd.method}")
    await enqueue_order(ctx.session, await ctx.menu(), order, now)
    await ctx.session.flush()
    return _view(payment, order)


@capability(domain="payments", roles=STAFF_ONLY, mutating=True, idempotent=True, needs_approval=True)
async def refund_payment(ctx: ToolContext, cmd: RefundPayment) -> PaymentView:
    """Return all or part of an order's payment to where it came from (staff; an agent's request waits for a
    human's approval). A full refund also refunds the order: its drinks leave the kitchen. Loyalty points
    earned on the refunded dollars are taken back (as far as the customer still has them)."""
    order = await load_order(ctx, cmd.order_id, lock=True)
    payment = await captured_payment(ctx.session, order.id)
    if payment is None:
        raise NotFound(f"order {order.id} has no payment to refund", order_id=order.id)
    left = payment.amount_cents - payment.refunded_cents
    amount = cmd.amount_cents or left
    if amount > left:
        raise InvalidInput(f"only {left} cents of this payment are left to refund", left=left)
    await return_payment(ctx.session, payment, amount, ctx.now(), cmd.reason)
    if payment.state == "refunded" and OrderState.REFUNDED in TRANSITIONS[OrderState(order.state)]:
        await refund_order(ctx, order, cmd.reason)  # a collected order keeps its state; only the money moves
    await ctx.session.flush()
    return _view(payment, order)


@capability(domain="payments", roles=CUSTOMERS_AND_STAFF)
async def list_payments(ctx: ToolContext, cmd: OrderRef) -> PaymentList:
    """An order's payments and refunds so far (customers: their own orders)."""
    order = await load_order(ctx, cmd.order_id)
    rows = await ctx.session.scalars(select(Payment).where(Payment.order_id == order.id).order_by(Payment.created_at))
    return PaymentList(payments=[_view(p, order) for p in rows])
