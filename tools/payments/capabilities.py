"""Payment capabilities: pay an order, confirm a pending payment, refund, list.

The amount is always the order's own total, never the caller's; every charge and refund needs an
idempotency key, so a retried call returns the first result and moves no money twice.
"""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import select

from store.orders import Order
from store.payments import Payment
from tools.approval_rules import manager_approved
from tools.context import ToolContext
from tools.errors import ApprovalRequired, IllegalTransition, InvalidInput, NotFound
from tools.orders.lifecycle import refund_order
from tools.orders.models import TRANSITIONS, OrderRef, OrderState
from tools.orders.service import load_order
from tools.payments.models import ConfirmPayment, PaymentList, PaymentView, PayOrder, RefundPayment
from tools.payments.settle import PROVIDERS, captured_payment, on_captured, open_payment, points_for, return_payment
from tools.principal import CUSTOMERS_AND_STAFF, STAFF_ONLY, Role
from tools.registry import Rest, capability
from tools.second_factor import require_step_up


def view(p: Payment, order: Order) -> PaymentView:
    return PaymentView(payment_id=p.id, order_id=p.order_id, customer_id=p.customer_id, provider=p.provider,
                       state=p.state, amount_cents=p.amount_cents, refunded_cents=p.refunded_cents,
                       points_earned=points_for(p.amount_cents) if p.state in ("captured", "refunded") else 0,
                       reference=p.provider_ref, order_state=OrderState(order.state), created_at=p.created_at,
                       settled_at=p.settled_at)


@capability(domain="payments", roles=CUSTOMERS_AND_STAFF, mutating=True, idempotent=True,
            rest=Rest("POST", "/orders/{order_id}/payments", 201))
async def pay_order(ctx: ToolContext, cmd: PayOrder) -> PaymentView:
    """Pay a placed order in full; once captured it goes to the kitchen (queued). Confirm the amount first.

    method: stored_value (the wallet balance), card (Stripe, with a payment_method) or coffee (COFFEE from your
    Go Coffee account, or a tx_hash of your own escrow payment). Earns one loyalty point per whole dollar.
    Needs an idempotency key: a retry with the same key returns the first payment and charges nothing more.
    A refused payment (insufficient funds, declined card, bad proof) charges nothing. A payment the provider
    has not finished is `pending`: confirm_payment checks it again.
    """
    order = await load_order(ctx, cmd.order_id, lock=True)
    if order.state != OrderState.PLACED:
        raise IllegalTransition(f"order {order.id} is {order.state}; only a placed order can be paid",
                                order_id=order.id, state=order.state)
    if (waiting := await open_payment(ctx.session, order.id)) is not None:
        raise IllegalTransition(f"order {order.id} already has a {waiting.provider} payment being confirmed; "
                                "use confirm_payment", order_id=order.id, payment_id=waiting.id)
    now = ctx.now()
    payment = Payment(id=uuid4().hex, order_id=order.id, customer_id=order.customer_id, provider=cmd.method.value,
                      amount_cents=order.total_cents or 0, refunded_cents=0, state="pending", created_at=now,
                      updated_at=now)
    ctx.session.add(payment)
    await ctx.session.flush()
    await PROVIDERS[payment.provider].charge(ctx, payment, cmd)
    if payment.state == "captured":
        await on_captured(ctx, order, payment)
    await ctx.session.flush()
    return view(payment, order)


@capability(domain="payments", roles=CUSTOMERS_AND_STAFF, mutating=True,
            rest=Rest("POST", "/orders/{order_id}/payments/confirm"))
async def confirm_payment(ctx: ToolContext, cmd: ConfirmPayment) -> PaymentView:
    """Check a pending payment of an order with its provider again (COFFEE confirmations, card processing).

    Once the provider confirms, the payment is captured and the order goes to the kitchen."""
    order = await load_order(ctx, cmd.order_id, lock=True)
    payment = await open_payment(ctx.session, order.id)
    if payment is None:
        raise NotFound(f"order {order.id} has no payment waiting for confirmation", order_id=order.id)
    if await PROVIDERS[payment.provider].recheck(ctx, payment):
        await on_captured(ctx, order, payment)
    await ctx.session.flush()
    return view(payment, order)


async def _check_refund_rights(ctx: ToolContext, amount: int, cmd: RefundPayment) -> None:
    limit = ctx.services.rules.refund_approval_cents
    if amount <= limit:
        return
    if ctx.principal.role in (Role.MANAGER, Role.SERVICE):
        require_step_up(ctx.principal, ctx.now(), f"a refund above ${limit / 100:.2f}")
        return
    if await manager_approved(ctx.session, cmd.approval_id, "refund_payment", order_id=cmd.order_id,
                              amount_cents=cmd.amount_cents):
        return
    raise ApprovalRequired(f"refunds above ${limit / 100:.2f} need a manager's approval", limit_cents=limit,
                           amount_cents=amount)


@capability(domain="payments", roles=STAFF_ONLY, mutating=True, idempotent=True, needs_approval=True,
            rest=Rest("POST", "/orders/{order_id}/refunds"))
async def refund_payment(ctx: ToolContext, cmd: RefundPayment) -> PaymentView:
    """Return all or part of an order's payment the way it was paid (staff; above the approval limit a manager
    must approve; an agent's request always waits for a human). A full refund also refunds the order: its drinks
    leave the kitchen. Loyalty points earned on the refunded dollars are taken back."""
    order = await load_order(ctx, cmd.order_id, lock=True)
    payment = await captured_payment(ctx.session, order.id)
    if payment is None:
        raise NotFound(f"order {order.id} has no payment to refund", order_id=order.id)
    left = payment.amount_cents - payment.refunded_cents
    amount = cmd.amount_cents or left
    if amount > left:
        raise InvalidInput(f"only {left} cents of this payment are left to refund", left=left)
    await _check_refund_rights(ctx, amount, cmd)
    await return_payment(ctx, payment, amount, cmd.reason)
    if payment.state == "refunded" and OrderState.REFUNDED in TRANSITIONS[OrderState(order.state)]:
        await refund_order(ctx, order, cmd.reason)  # a collected order keeps its state; only the money moves
    await ctx.session.flush()
    return view(payment, order)


@capability(domain="payments", roles=CUSTOMERS_AND_STAFF, rest=Rest("GET", "/orders/{order_id}/payments"))
async def list_payments(ctx: ToolContext, cmd: OrderRef) -> PaymentList:
    """An order's payments and refunds so far (customers: their own orders)."""
    order = await load_order(ctx, cmd.order_id)
    rows = await ctx.session.scalars(select(Payment).where(Payment.order_id == order.id).order_by(Payment.created_at))
    return PaymentList(payments=[view(p, order) for p in rows])
