"""Webhooks from outside services. Stripe's needs the raw body (its signature covers the exact bytes), so this
route is written by hand; it only translates the request into the `handle_stripe_event` call."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request

from channels.rest.deps import ServingDep
from tools.payments.webhooks import EventReceipt
from tools.principal import Principal, Role

router = APIRouter(prefix="/api/v1/webhooks", tags=["payments"])
STRIPE = Principal(role=Role.SERVICE, id="stripe")


@router.post("/stripe", response_model=EventReceipt, summary="Receive a signed Stripe event (Stripe calls this).")
async def stripe_webhook(
    request: Request, serving: ServingDep,
    stripe_signature: Annotated[str, Header(alias="Stripe-Signature")] = "",
) -> Any:
    payload = (await request.body()).decode("utf-8", errors="replace")
    return await serving.gateway.call("handle_stripe_event", {"payload": payload, "signature": stripe_signature},
                                       principal=STRIPE)
