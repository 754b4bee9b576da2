"""Stripe's webhook: verify the signature, apply each event once, reconcile the card payment it names.

A forged, tampered or stale delivery is refused before anything is read from it; a redelivered event id answers
`replayed` and changes nothing. Events find their payment by PaymentIntent id; an event about an intent we have
no payment for, or of a type we do not act on, is recorded and ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.orders import Order
from store.payments import Payment, StripeEvent
from tools.context import ToolContext
from tools.orders.lifecycle import refund_order
from tools.orders.models import TRANSITIONS, OrderState
from tools.orders.service import load_order
from tools.payments.capabilities import view
from tools.payments.card import CURRENCY, CardEvent
from tools.payments.models import Method, PaymentView
from tools.payments.settle import OPEN_STATES, book_refund, on_captured
from tools.principal import Role
from tools.registry import Internal, capability

log = logging.getLogger(__name__)
SERVICE_ONLY = frozenset({Role.SERVICE})
Outcome = Literal["captured", "failed", "refunded", "unchanged", "ignored", "amount_mismatch", "replayed"]


class StripeDelivery(BaseModel):
    payload: str = Field(min_length=1, max_length=512_000, description="The webhook request body, byte for byte "
                         "as received (the signature covers it).")
    signature: str = Field(default="", max_length=2_000, description="The Stripe-Signature header.")


class EventReceipt(BaseModel):
    event_id: str
    type: str
    outcome: Outcome = Field(description="What the event did: replayed (seen before: nothing changed), ignored "
                             "(not about a card payment of ours), unchanged (already applied), amount_mismatch "
                             "(left for staff), or the payment's new state.")
    payment: PaymentView | None = None


Handler = Callable[[ToolContext, CardEvent, Order, Payment], Awaitable[Outcome]]


async def _succeeded(ctx: ToolContext, event: CardEvent, order: Order, payment: Payment) -> Outcome:
    if payment.state not in OPEN_STATES:
        return "unchanged"
    if event.amount != payment.amount_cents or event.currency != CURRENCY:
        log.warning("Stripe event %s: %s %s for payment %s of %s cents; not captured", event.id, event.amount,
                    event.currency, payment.id, payment.amount_cents)
        return "amount_mismatch"
    await on_captured(ctx, order, payment)
    return "captured"


async def _failed(ctx: ToolContext, event: CardEvent, order: Order, payment: Payment) -> Outcome:
    if payment.state not in OPEN_STATES:
        return "unchanged"
    payment.state, payment.updated_at = "failed", ctx.now()
    return "failed"


async def _refunded(ctx: ToolContext, event: CardEvent, order: Order, payment: Payment) -> Outcome:
    """A refund made at Stripe (its dashboard): book what Stripe refunded beyond what we already booked."""
    extra = min((event.amount_refunded or 0) - payment.refunded_cents, payment.amount_cents - payment.refunded_cents)
    if payment.state != "captured" or extra <= 0:
        return "unchanged"
    await book_refund(ctx, payment, extra, "refunded at Stripe")
    if payment.state == "refunded" and OrderState.REFUNDED in TRANSITIONS[OrderState(order.state)]:
        await refund_order(ctx, order, "refunded at Stripe")
    return "refunded"


HANDLERS: dict[str, Handler] = {"payment_intent.succeeded": _succeeded,
                                "payment_intent.payment_failed": _failed, "charge.refunded": _refunded}


async def _first_delivery(session: AsyncSession, record: StripeEvent) -> bool:
    if await session.get(StripeEvent, record.id) is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(record)
    except IntegrityError:
        return False  # a concurrent delivery of the same event committed first
    return True


async def _payment_of(ctx: ToolContext, intent_id: str) -> tuple[Order, Payment] | None:
    """The card payment of this PaymentIntent and its order, both locked (order first, as every payment call)."""
    by_intent = (Payment.provider == Method.CARD.value, Payment.provider_ref == intent_id)
    order_id = await ctx.session.scalar(select(Payment.order_id).where(*by_intent))
    if order_id is None:
        return None
    order = await load_order(ctx, order_id, lock=True)
    payment = await ctx.session.scalar(select(Payment).where(*by_intent).with_for_update()
                                       .execution_options(populate_existing=True))
    return (order, payment) if payment is not None else None


@capability(domain="payments", roles=SERVICE_ONLY, mutating=True,
            rest=Internal("Stripe calls POST /api/v1/webhooks/stripe (channels/rest/webhooks.py), which passes "
                          "the raw signed body"))
async def handle_stripe_event(ctx: ToolContext, cmd: StripeDelivery) -> EventReceipt:
    """Apply a Stripe webhook event (the webhook endpoint only). The Stripe-Signature must hold for the configured
    secret and be at most five minutes old; each event id is applied once.

    payment_intent.succeeded captures the card payment waiting for it (the amount must match) and sends the order
    to the kitchen; payment_intent.payment_failed marks it failed (the order may be paid again); charge.refunded
    books a refund made at Stripe."""
    event = ctx.services.need_cards().verify(cmd.payload, cmd.signature)
    record = StripeEvent(id=event.id, type=event.type, intent_id=event.intent_id, outcome="ignored",
                         received_at=ctx.now())
    if not await _first_delivery(ctx.session, record):
        return EventReceipt(event_id=event.id, type=event.type, outcome="replayed")
    handler = HANDLERS.get(event.type)
    found = await _payment_of(ctx, event.intent_id) if handler and event.intent_id else None
    if handler is None or found is None:
        return EventReceipt(event_id=event.id, type=event.type, outcome="ignored")
    order, payment = found
    record.outcome = await handler(ctx, event, order, payment)
    await ctx.session.flush()
    return EventReceipt(event_id=event.id, type=event.type, outcome=record.outcome, payment=view(payment, order))
