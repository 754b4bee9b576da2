"""Card payments: the provider over a card-processor port (Stripe PaymentIntents; the SDK adapter is stripe_client).

A card payment's reference is its PaymentIntent id. Stripe's idempotency keys are derived from what stays the
same when a request is retried (the caller and their key; the payment and its refunds so far), never from ids
we generate per attempt, so a retry after a lost reply finds the first charge instead of making a second.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from pydantic import BaseModel

from store.payments import Payment
from tools.context import ToolContext
from tools.errors import InvalidInput, PaymentRejected
from tools.payments.models import PaymentState, PayOrder

CARD_CLEARING = "house:card"
CURRENCY = "usd"
STATES: dict[str, PaymentState] = {"succeeded": "captured", "requires_capture": "authorized", "processing": "pending"}
"""PaymentIntent status → payment state; any other status after confirming is a failed payment."""


class ChargeRequest(BaseModel):
    """Everything in it is the same on a retry (our payment id is not: a new one is made per attempt)."""

    amount_cents: int
    payment_method: str
    order_id: int
    idempotency_key: str


class Intent(BaseModel):
    """What the platform needs of a PaymentIntent."""

    id: str
    status: str
    amount: int
    currency: str
    decline_code: str | None = None


class CardEvent(BaseModel):
    """A webhook event whose signature held, reduced to what reconciliation reads."""

    id: str
    type: str
    intent_id: str | None = None
    amount: int | None = None
    currency: str | None = None
    amount_refunded: int | None = None
    """charge.* events: everything refunded on the charge so far."""
    decline_code: str | None = None


class CardProcessor(Protocol):
    """Stripe, behind the port the card provider uses. Errors arrive as domain errors (declines, key reuse)."""

    async def charge(self, request: ChargeRequest) -> Intent:
        """Create and confirm a PaymentIntent for `amount_cents` (card only, no redirects)."""
        ...

    async def retrieve(self, intent_id: str) -> Intent: ...

    async def refund(self, intent_id: str, amount: int, reason: str, idempotency_key: str) -> None: ...

    def verify(self, payload: str, signature: str) -> CardEvent:
        """The event in a webhook body, if its Stripe-Signature holds for our secret and is recent."""
        ...


def stripe_key(*parts: str) -> str:
    """A Stripe idempotency key from stable parts (hashed: bounded length, no caller ids at Stripe)."""
    return "gocoffee-" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def charge_key(ctx: ToolContext) -> str:
    if ctx.idempotency_key is None:
        raise InvalidInput("a card charge needs an idempotency key")
    return stripe_key("charge", ctx.principal.as_header(), ctx.idempotency_key)


def refund_key(payment: Payment, amount: int) -> str:
    return stripe_key("refund", payment.id, str(payment.refunded_cents), str(amount))


class Card:
    def source(self, payment: Payment) -> str:
        return CARD_CLEARING

    async def charge(self, ctx: ToolContext, payment: Payment, cmd: PayOrder) -> None:
        cards = ctx.services.need_cards()
        if not cmd.payment_method or cmd.tx_hash:
            raise InvalidInput("card needs a payment_method (pm_…) and takes no tx_hash")
        intent = await cards.charge(ChargeRequest(amount_cents=payment.amount_cents, payment_method=cmd.payment_method,
                                                  order_id=payment.order_id, idempotency_key=charge_key(ctx)))
        state = STATES.get(intent.status)
        if state is None:
            raise PaymentRejected(f"the card payment was not completed ({intent.status})", status=intent.status,
                                  decline_code=intent.decline_code, reference=intent.id)
        payment.state, payment.provider_ref = state, intent.id

    async def refund(self, ctx: ToolContext, payment: Payment, amount: int, reason: str) -> None:
        assert payment.provider_ref is not None, "a captured card payment has its PaymentIntent"
        await ctx.services.need_cards().refund(payment.provider_ref, amount, reason, refund_key(payment, amount))

    async def recheck(self, ctx: ToolContext, payment: Payment) -> bool:
        """Ask Stripe again; an intent that can no longer succeed marks the payment failed (the order may be
        paid again)."""
        assert payment.provider_ref is not None, "an open card payment has its PaymentIntent"
        intent = await ctx.services.need_cards().retrieve(payment.provider_ref)
        state = STATES.get(intent.status, "failed")
        if state != "captured":
            payment.state, payment.updated_at = state, ctx.now()
        return state == "captured"


CARD = Card()
