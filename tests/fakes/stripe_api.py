"""A fake of Stripe's API (PaymentIntents, Refunds) on a real 127.0.0.1 port, in Stripe's wire format.

Requests arrive form-encoded with bracketed nested keys (`metadata[order_id]`, `payment_method_types[0]`), as the
official SDK sends them; replies are JSON shaped like Stripe's objects; errors are Stripe's `{"error": {...}}`
bodies with Stripe's status codes (402 declined card, 400 idempotency error or bad request, 401 bad key, 404
missing object). An Idempotency-Key is honoured the Stripe way: the same key with the same endpoint and
parameters replays the first reply (declines included), with anything else it is a 400 `idempotency_error`.

Test payment methods, as Stripe's test mode names them: pm_card_visa succeeds; pm_card_chargeDeclined and
pm_card_visa_chargeDeclinedInsufficientFunds are declined. pm_card_processing is this fake's own: its intent
stays `processing` until the test calls `succeed()` or `fail()`, which return the event Stripe would then send.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import stripe
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.live import serving

API_KEY = "sk_test_gocoffee_fake_key_0123456789"
WEBHOOK_SECRET = "whsec_gocoffee_fake_secret"
SUCCEEDS = {"pm_card_visa", "pm_card_mastercard"}
DECLINES = {"pm_card_chargeDeclined": "generic_decline",
            "pm_card_visa_chargeDeclinedInsufficientFunds": "insufficient_funds"}
PROCESSING = "pm_card_processing"
Json = dict[str, Any]
Reply = tuple[int, Json]


def decode_form(body: str) -> Json:
    """Stripe's form encoding back into nested objects: `a[b]=1` → {"a": {"b": "1"}}, `a[0]=x` → {"a": ["x"]}."""
    root: Json = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        path = re.findall(r"[^\[\]]+", key)
        node = root
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(k.isdigit() for k in node):
        return [_lists(node[k]) for k in sorted(node, key=int)]
    return {k: _lists(v) for k, v in node.items()}


def error(status: int, kind: str, message: str, **extra: Any) -> Reply:
    return status, {"error": {"type": kind, "message": message, **extra}}


def sign(payload: str, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """A Stripe-Signature header, computed by the SDK's own signing code."""
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=at)


@dataclass
class _Stored:
    endpoint: str
    params: Json
    reply: Reply


@dataclass
class FakeStripe:
    url: str = ""
    intents: dict[str, Json] = field(default_factory=dict)
    charges: dict[str, Json] = field(default_factory=dict)
    refunds: list[Json] = field(default_factory=list)
    requests: list[tuple[str, Json]] = field(default_factory=list)
    _keys: dict[str, _Stored] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/v1/payment_intents", self._route(self._create_intent), methods=["POST"]),
            Route("/v1/payment_intents/{id}", self._route(self._get_intent), methods=["GET"]),
            Route("/v1/refunds", self._route(self._create_refund), methods=["POST"]),
        ])

    # -- what tests read and do ---------------------------------------------------------------------------------

    def settings(self, **changes: str | None) -> dict[str, str | None]:
        """GOCOFFEE_STRIPE_* settings pointing the platform at this fake."""
        return {"stripe_api_key": API_KEY, "stripe_webhook_secret": WEBHOOK_SECRET, "stripe_api_base": self.url,
                **changes}

    def intents_created(self) -> int:
        with self._lock:
            return len(self.intents)

    def collected_cents(self) -> int:
        """Money Stripe holds for us: captured minus refunded."""
        with self._lock:
            return sum(c["amount_captured"] - c["amount_refunded"] for c in self.charges.values())

    def refunded_cents(self, intent_id: str) -> int:
        with self._lock:
            return sum(r["amount"] for r in self.refunds if r["payment_intent"] == intent_id)

    def succeed(self, intent_id: str) -> str:
        """Finish a processing intent; the `payment_intent.succeeded` event Stripe would send."""
        with self._lock:
            intent = self.intents[intent_id]
            self._charge(intent)
            intent.update(status="succeeded", amount_received=intent["amount"])
            return self.event("payment_intent.succeeded", intent)

    def fail(self, intent_id: str) -> str:
        with self._lock:
            intent = self.intents[intent_id]
            intent.update(status="requires_payment_method", last_payment_error=self._decline("generic_decline"))
            return self.event("payment_intent.payment_failed", intent)

    def dashboard_refund(self, intent_id: str, amount: int) -> str:
        """A refund made in Stripe's dashboard; the `charge.refunded` event Stripe would send."""
        with self._lock:
            status, body = self._create_refund({"payment_intent": intent_id, "amount": str(amount)}, {})
            assert status == 200, body
            return self.event("charge.refunded", self.charges[self.intents[intent_id]["latest_charge"]])

    @staticmethod
    def event(kind: str, obj: Json) -> str:
        return json.dumps({"id": f"evt_{secrets.token_hex(12)}", "object": "event", "api_version": stripe.api_version,
                           "created": int(time.time()), "data": {"object": obj}, "livemode": False,
                           "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None}, "type": kind},
                          indent=2)

    # -- the wire ------------------------------------------------------------------------------------------------

    def _route(self, handler: Callable[[Json, dict[str, str]], Reply]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> JSONResponse:
            headers = {"Request-Id": f"req_{secrets.token_hex(8)}", "Stripe-Version": stripe.api_version}
            if request.headers.get("authorization") != f"Bearer {API_KEY}":
                status, body = error(401, "invalid_request_error", "Invalid API Key provided: sk_****")
                return JSONResponse(body, status, headers=headers)
            params = decode_form((await request.body()).decode())
            status, body, replayed = self._answer(request, handler, params)
            if replayed:
                headers["Idempotent-Replayed"] = "true"
            return JSONResponse(body, status, headers=headers)

        return endpoint

    def _answer(self, request: Request, handler: Callable[[Json, dict[str, str]], Reply],
                params: Json) -> tuple[int, Json, bool]:
        key, endpoint = request.headers.get("idempotency-key"), f"{request.method} {request.url.path}"
        with self._lock:
            self.requests.append((endpoint, params))
            stored = self._keys.get(key) if key and request.method == "POST" else None
            if stored is not None:
                if (stored.endpoint, stored.params) != (endpoint, params):
                    return *error(400, "idempotency_error", "Keys for idempotent requests can only be used with "
                                  "the same parameters they were first used with."), False
                return *stored.reply, True
            reply = handler(params, dict(request.path_params))
            if key and request.method == "POST":
                self._keys[key] = _Stored(endpoint, params, reply)
            return *reply, False

    def _create_intent(self, params: Json, _: dict[str, str]) -> Reply:
        for name in ("amount", "currency"):
            if name not in params:
                return error(400, "invalid_request_error", f"Missing required param: {name}.", param=name,
                             code="parameter_missing")
        method = params.get("payment_method", "")
        if method not in SUCCEEDS | DECLINES.keys() | {PROCESSING}:
            return error(400, "invalid_request_error", f"No such PaymentMethod: '{method}'", param="payment_method",
                         code="resource_missing")
        intent = self._new_intent(params, method)
        if params.get("confirm") != "true":
            return 200, intent
        if method in DECLINES:
            failure = self._decline(DECLINES[method])
            intent.update(status="requires_payment_method", last_payment_error=failure)
            return 402, {"error": {**failure, "payment_intent": intent}}
        if method in SUCCEEDS:
            self._charge(intent)
            intent.update(status="succeeded", amount_received=intent["amount"])
        else:
            intent["status"] = "processing"
        return 200, intent

    def _new_intent(self, params: Json, method: str) -> Json:
        intent_id = f"pi_{secrets.token_hex(12)}"
        self.intents[intent_id] = {
            "id": intent_id, "object": "payment_intent", "amount": int(params["amount"]), "amount_capturable": 0,
            "amount_received": 0, "currency": params["currency"], "status": "requires_confirmation",
            "capture_method": "automatic", "confirmation_method": "automatic", "payment_method": method,
            "payment_method_types": params.get("payment_method_types", ["card"]),
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}", "created": int(time.time()),
            "description": params.get("description"), "metadata": params.get("metadata", {}),
            "latest_charge": None, "last_payment_error": None, "next_action": None, "livemode": False,
        }
        return self.intents[intent_id]

    def _charge(self, intent: Json) -> None:
        charge_id = f"ch_{secrets.token_hex(12)}"
        self.charges[charge_id] = {"id": charge_id, "object": "charge", "amount": intent["amount"],
                                   "amount_captured": intent["amount"], "amount_refunded": 0, "captured": True,
                                   "currency": intent["currency"], "payment_intent": intent["id"], "paid": True,
                                   "refunded": False, "status": "succeeded", "livemode": False}
        intent["latest_charge"] = charge_id

    @staticmethod
    def _decline(code: str) -> Json:
        return {"type": "card_error", "code": "card_declined", "decline_code": code,
                "message": "Your card was declined.", "doc_url": "https://stripe.com/docs/error-codes/card-declined"}

    def _get_intent(self, _: Json, path: dict[str, str]) -> Reply:
        intent = self.intents.get(path["id"])
        if intent is None:
            return error(404, "invalid_request_error", f"No such payment_intent: '{path['id']}'", param="intent",
                         code="resource_missing")
        return 200, intent

    def _create_refund(self, params: Json, _: dict[str, str]) -> Reply:
        intent = self.intents.get(params.get("payment_intent", ""))
        if intent is None or intent["latest_charge"] is None:
            return error(400, "invalid_request_error", "This PaymentIntent has no charge to refund.",
                         param="payment_intent", code="charge_not_refundable")
        charge = self.charges[intent["latest_charge"]]
        left = charge["amount_captured"] - charge["amount_refunded"]
        amount = int(params.get("amount", left))
        if left == 0:
            return error(400, "invalid_request_error", f"Charge {charge['id']} has already been refunded.",
                         code="charge_already_refunded")
        if amount > left:
            return error(400, "invalid_request_error", f"Refund amount ({amount}) is greater than unrefunded amount "
                         f"on charge ({left})", param="amount")
        charge.update(amount_refunded=charge["amount_refunded"] + amount, refunded=amount == left)
        refund = {"id": f"re_{secrets.token_hex(12)}", "object": "refund", "amount": amount, "charge": charge["id"],
                  "currency": charge["currency"], "payment_intent": intent["id"], "reason": params.get("reason"),
                  "metadata": params.get("metadata", {}), "status": "succeeded", "created": int(time.time())}
        self.refunds.append(refund)
        return 200, refund


def serve_fake_stripe() -> AbstractContextManager[FakeStripe]:
    """A fresh fake on a free port (`url`)."""
    return serving(FakeStripe())
