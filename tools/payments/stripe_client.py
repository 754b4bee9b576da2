"""The card processor on Stripe's official SDK: PaymentIntents, Refunds, and signed webhook events.

Every Stripe failure becomes a domain error here (a decline, a reused key, a refused API key), so nothing above
this module knows the SDK. The API key stays inside the SDK client: it is never logged nor put in an error.
Request parameters are fully determined by their idempotency key (no per-attempt ids, no free text), because
Stripe refuses a key reused with different parameters.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import stripe
from pydantic import BaseModel, ValidationError

from tools.errors import IdempotencyConflict, InvalidInput, InvalidSignature, NotConfigured, PaymentRejected
from tools.payments.card import CURRENCY, CardEvent, ChargeRequest, Intent

log = logging.getLogger(__name__)
TOLERANCE_SECONDS = 300
"""How old a webhook signature may be (Stripe's own default): older deliveries are refused as replays."""


class _Object(BaseModel):
    """The parts of an event's `data.object` reconciliation reads (a PaymentIntent or a Charge)."""

    object: str = ""
    id: str | None = None
    amount: int | None = None
    currency: str | None = None
    payment_intent: str | None = None
    amount_refunded: int | None = None
    last_payment_error: dict[str, Any] | None = None

    def decline_code(self) -> str | None:
        error = self.last_payment_error or {}
        return error.get("decline_code") or error.get("code")


def _intent(raw: dict[str, Any]) -> Intent:
    found = _Object.model_validate(raw)
    return Intent(id=raw["id"], status=raw["status"], amount=raw["amount"], currency=raw["currency"],
                  decline_code=found.decline_code())


def card_event(raw: dict[str, Any]) -> CardEvent:
    """Reduce a verified Stripe event (as a plain dict) to what reconciliation reads."""
    try:
        obj = _Object.model_validate(raw["data"]["object"])
        intent = obj.id if obj.object == "payment_intent" else obj.payment_intent
        return CardEvent(id=raw["id"], type=raw["type"], intent_id=intent, amount=obj.amount, currency=obj.currency,
                         amount_refunded=obj.amount_refunded, decline_code=obj.decline_code())
    except (KeyError, TypeError, ValidationError) as exc:
        raise InvalidInput("the webhook body is not a Stripe event") from exc


@contextmanager
def _as_domain_errors(action: str) -> Iterator[None]:
    try:
        yield
    except stripe.CardError as exc:
        decline = getattr(exc.error, "decline_code", None)
        raise PaymentRejected(exc.user_message or "the card was declined", code=exc.code,
                              decline_code=decline) from None
    except stripe.IdempotencyError:
        raise IdempotencyConflict("this idempotency key was already used with Stripe for a different request") \
            from None
    except (stripe.AuthenticationError, stripe.PermissionError):
        log.error("Stripe refused the configured API key (%s)", action)
        raise NotConfigured("Stripe refused the configured API key", service="stripe") from None
    except stripe.InvalidRequestError as exc:
        if exc.param == "payment_method":
            raise InvalidInput(f"payment_method: {exc.user_message}", code=exc.code) from None
        raise PaymentRejected(f"Stripe refused the {action}: {exc.user_message}", code=exc.code,
                              param=exc.param) from None
    except stripe.StripeError as exc:
        log.warning("Stripe %s failed: %s", action, type(exc).__name__)
        raise PaymentRejected(f"Stripe did not complete the {action}; retry with the same idempotency key",
                              reason="provider_unavailable", retry=True) from None


class StripeCards:
    """The `CardProcessor` port on a `stripe.StripeClient` (async calls over httpx)."""

    def __init__(self, api_key: str, *, webhook_secret: str | None = None, api_base: str | None = None,
                 tolerance: int = TOLERANCE_SECONDS, timeout: float = 30.0) -> None:
        bases: Any = {"api": api_base} if api_base else None
        self._client = stripe.StripeClient(api_key, base_addresses=bases,
                                           http_client=stripe.HTTPXClient(timeout=timeout))
        self._secret = webhook_secret
        self._tolerance = tolerance

    def __repr__(self) -> str:
        return "StripeCards()"  # the client holds the key: keep it out of every repr

    async def charge(self, request: ChargeRequest) -> Intent:
        params: Any = {
            "amount": request.amount_cents, "currency": CURRENCY, "payment_method": request.payment_method,
            "confirm": True, "payment_method_types": ["card"], "description": f"Go Coffee order {request.order_id}",
            "metadata": {"order_id": str(request.order_id)},
        }
        with _as_domain_errors("charge"):
            intent = await self._client.v1.payment_intents.create_async(
                params, {"idempotency_key": request.idempotency_key})
        return _intent(intent.to_dict())

    async def retrieve(self, intent_id: str) -> Intent:
        with _as_domain_errors("lookup"):
            intent = await self._client.v1.payment_intents.retrieve_async(intent_id)
        return _intent(intent.to_dict())

    async def refund(self, intent_id: str, amount: int, reason: str, idempotency_key: str) -> None:
        params: Any = {"payment_intent": intent_id, "amount": amount, "reason": "requested_by_customer"}
        with _as_domain_errors("refund"):
            refund = await self._client.v1.refunds.create_async(params, {"idempotency_key": idempotency_key})
        if refund.status in ("failed", "canceled"):
            raise PaymentRejected(f"Stripe did not refund the payment ({refund.status})", status=refund.status)

    def verify(self, payload: str, signature: str) -> CardEvent:
        if not self._secret:
            raise NotConfigured("Stripe webhooks are not set up here (GOCOFFEE_STRIPE_WEBHOOK_SECRET)",
                                service="stripe")
        try:
            event = stripe.Webhook.construct_event(payload, signature, self._secret, self._tolerance)
        except stripe.SignatureVerificationError as exc:
            raise InvalidSignature(f"the Stripe-Signature does not hold: {exc.user_message}") from None
        except (ValueError, AttributeError, TypeError):
            raise InvalidInput("the webhook body is not a Stripe event") from None
        return card_event(event.to_dict())
