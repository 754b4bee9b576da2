"""The Stripe wire: the official SDK reads the fake's replies as its own objects (so the fake speaks Stripe), and
the adapter turns Stripe's answers and webhook signatures into domain terms."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator

import pytest
import stripe

from tests.fakes.stripe_api import API_KEY, WEBHOOK_SECRET, FakeStripe, serve_fake_stripe, sign
from tools.errors import IdempotencyConflict, InvalidInput, InvalidSignature, NotConfigured, PaymentRejected
from tools.payments.card import CardEvent, ChargeRequest
from tools.payments.stripe_client import StripeCards

pytestmark = pytest.mark.anyio
VISA = {"amount": 480, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
        "payment_method_types": ["card"], "metadata": {"order_id": "7"}}


@pytest.fixture
def fake() -> Iterator[FakeStripe]:
    with serve_fake_stripe() as f:
        yield f


def sdk(fake: FakeStripe, key: str = API_KEY) -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": fake.url}, http_client=stripe.HTTPXClient())


def charge(method: str = "pm_card_visa", key: str = "k-1") -> ChargeRequest:
    return ChargeRequest(amount_cents=480, payment_method=method, order_id=7, idempotency_key=key)


async def test_the_sdk_reads_the_fakes_replies_as_its_own_objects(fake: FakeStripe) -> None:
    intents = sdk(fake).v1.payment_intents
    intent = await intents.create_async(VISA, {"idempotency_key": "k-1"})  # type: ignore[arg-type]
    assert isinstance(intent, stripe.PaymentIntent) and intent.status == "succeeded" and intent.amount == 480
    assert fake.requests[-1] == ("POST /v1/payment_intents", {
        "amount": "480", "currency": "usd", "payment_method": "pm_card_visa", "confirm": "true",
        "payment_method_types": ["card"], "metadata": {"order_id": "7"}})
    again = await intents.create_async(VISA, {"idempotency_key": "k-1"})  # type: ignore[arg-type]
    assert again.id == intent.id and again.last_response.headers["Idempotent-Replayed"] == "true"
    with pytest.raises(stripe.IdempotencyError):
        await intents.create_async({**VISA, "amount": 481}, {"idempotency_key": "k-1"})  # type: ignore[arg-type]
    with pytest.raises(stripe.CardError) as declined:
        await intents.create_async({**VISA, "payment_method": "pm_card_chargeDeclined"})  # type: ignore[arg-type]
    error = declined.value.error
    assert declined.value.http_status == 402 and declined.value.code == "card_declined"
    assert error is not None and error.decline_code == "generic_decline"
    assert isinstance(error.payment_intent, stripe.PaymentIntent)
    refund = await sdk(fake).v1.refunds.create_async({"payment_intent": intent.id, "amount": 100})
    assert isinstance(refund, stripe.Refund) and refund.status == "succeeded" and refund.amount == 100
    assert isinstance(await intents.retrieve_async(intent.id), stripe.PaymentIntent)
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await intents.retrieve_async("pi_missing")
    assert missing.value.http_status == 404 and missing.value.code == "resource_missing"
    with pytest.raises(stripe.AuthenticationError):
        await sdk(fake, "sk_test_not_ours").v1.payment_intents.retrieve_async(intent.id)


async def test_stripe_events_from_the_fake_verify_into_the_sdks_own_objects(fake: FakeStripe) -> None:
    intent = await sdk(fake).v1.payment_intents.create_async(
        {**VISA, "payment_method": "pm_card_processing"})  # type: ignore[arg-type]
    payload = fake.succeed(intent.id)
    event = stripe.Webhook.construct_event(payload, sign(payload), WEBHOOK_SECRET)
    assert isinstance(event, stripe.Event) and isinstance(event.data.object, stripe.PaymentIntent)
    refunded = fake.dashboard_refund(intent.id, 100)
    assert isinstance(stripe.Webhook.construct_event(refunded, sign(refunded), WEBHOOK_SECRET).data.object,
                      stripe.Charge)


async def test_the_adapter_charges_once_per_key_and_speaks_in_domain_errors(
        fake: FakeStripe, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    cards = StripeCards(API_KEY, api_base=fake.url, webhook_secret=WEBHOOK_SECRET)
    first = await cards.charge(charge())
    assert first.status == "succeeded" and first.amount == 480 and first.currency == "usd"
    assert await cards.charge(charge()) == first and fake.intents_created() == 1
    with pytest.raises(IdempotencyConflict):
        await cards.charge(charge("pm_card_mastercard"))
    with pytest.raises(PaymentRejected) as declined:
        await cards.charge(charge("pm_card_visa_chargeDeclinedInsufficientFunds", key="k-2"))
    assert declined.value.details == {"code": "card_declined", "decline_code": "insufficient_funds"}
    with pytest.raises(InvalidInput):
        await cards.charge(charge("pm_card_nonexistent", key="k-3"))
    processing = await cards.charge(charge("pm_card_processing", key="k-4"))
    assert processing.status == "processing"
    fake.succeed(processing.id)
    assert (await cards.retrieve(processing.id)).status == "succeeded"
    assert fake.intents_created() == 3  # visa, declined, processing: an unknown card makes none

    await cards.refund(first.id, 100, "cold", "rk-1")
    await cards.refund(first.id, 100, "said differently on retry", "rk-1")
    assert fake.refunded_cents(first.id) == 100
    with pytest.raises(PaymentRejected):
        await cards.refund(first.id, 400, "too much", "rk-2")

    wrong = StripeCards("sk_test_wrong_key_abcdef", api_base=fake.url)
    with pytest.raises(NotConfigured) as refused:
        await wrong.charge(charge(key="k-5"))
    shown = refused.value.body().model_dump_json() + repr(wrong) + repr(cards) + caplog.text
    assert "sk_test_wrong_key" not in shown and API_KEY not in shown


async def test_webhook_signatures_hold_only_for_our_secret_and_recent_deliveries(fake: FakeStripe) -> None:
    cards = StripeCards(API_KEY, api_base=fake.url, webhook_secret=WEBHOOK_SECRET)
    intent = await cards.charge(charge("pm_card_processing"))
    payload = fake.succeed(intent.id)
    event = cards.verify(payload, sign(payload))
    assert event == CardEvent(id=json.loads(payload)["id"], type="payment_intent.succeeded", intent_id=intent.id,
                              amount=480, currency="usd")
    refunded = fake.dashboard_refund(intent.id, 80)
    assert cards.verify(refunded, sign(refunded)).amount_refunded == 80
    assert cards.verify(refunded, sign(refunded)).intent_id == intent.id

    tampered = payload.replace('"amount": 480', '"amount": 1')
    assert tampered != payload
    for body, header in [(tampered, sign(payload)), (payload, sign(payload, "whsec_someone_else")),
                         (payload, sign(payload, at=int(time.time()) - 600)), (payload, ""),
                         (payload, "t=1,v0=abc"), (payload, "nonsense")]:
        with pytest.raises(InvalidSignature):
            cards.verify(body, header)
    for junk in ("not json", "[]", '{"object": "event"}'):
        with pytest.raises(InvalidInput):
            cards.verify(junk, sign(junk))
    with pytest.raises(NotConfigured):
        StripeCards(API_KEY, api_base=fake.url).verify(payload, sign(payload))
