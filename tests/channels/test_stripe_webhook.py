"""Stripe's webhook through the REST route, with deliveries signed by the SDK's own signing code: a signed success
pays a pending order, a failure fails it, a refund made at Stripe is booked; forged, tampered, stale, wrongly
signed and replayed deliveries change nothing."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from gocoffee.bootstrap import Platform
from gocoffee.settings import Settings
from store.payments import StripeEvent
from store.wallet import LedgerTxn
from tests.callers import RestCaller
from tests.conftest import Probe
from tests.fakes.stripe_api import FakeStripe, sign
from tests.tools.contract import ALICE, BARISTA
from tests.tools.test_card_payments import card, reconciled
from tests.tools.test_payments import LATTE, no_drift

pytestmark = pytest.mark.anyio
WEBHOOK = "/api/v1/webhooks/stripe"


@pytest.fixture
def settings(store_url: str, tmp_path: Path, stripe_api: FakeStripe) -> Settings:
    return Settings(data_dir=tmp_path, database_url=store_url, kitchen=False, **stripe_api.settings())


async def deliver(client: httpx.AsyncClient, payload: str, signature: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return await client.post(WEBHOOK, content=payload.encode(), headers=headers)


async def pending_payment(client: httpx.AsyncClient, key: str = "p-1") -> tuple[dict, dict]:
    call = RestCaller(client)
    order = await call("create_order", LATTE, ALICE, f"o-{key}")
    return order, await call("pay_order", card(order, "pm_card_processing"), ALICE, key)


async def counts(platform: Platform) -> tuple[int, int]:
    """Ledger transactions and recorded Stripe events."""
    async with platform.db.reader() as s:
        return (int(await s.scalar(select(func.count()).select_from(LedgerTxn)) or 0),
                int(await s.scalar(select(func.count()).select_from(StripeEvent)) or 0))


async def test_a_signed_success_pays_a_pending_order_and_a_redelivery_changes_nothing(
        client: httpx.AsyncClient, platform: Platform, stripe_api: FakeStripe) -> None:
    order, pending = await pending_payment(client)
    assert pending["state"] == "pending" and pending["order_state"] == "placed"
    payload = stripe_api.succeed(pending["reference"])
    reply = await deliver(client, payload, sign(payload))
    assert reply.status_code == 200, reply.text
    receipt = reply.json()
    assert receipt["outcome"] == "captured" and receipt["event_id"] == json.loads(payload)["id"]
    assert receipt["payment"]["state"] == "captured" and receipt["payment"]["order_state"] == "queued"
    assert (await RestCaller(client)("get_order", {"order_id": order["order_id"]}, ALICE))["state"] == "queued"
    before = await counts(platform)

    again = await deliver(client, payload, sign(payload, at=int(time.time()) + 1))  # Stripe re-signs a redelivery
    assert again.status_code == 200 and again.json()["outcome"] == "replayed" and again.json()["payment"] is None
    assert await counts(platform) == before
    await reconciled(platform, stripe_api)


async def test_forged_tampered_stale_and_wrongly_signed_deliveries_are_refused_and_change_nothing(
        client: httpx.AsyncClient, platform: Platform, probe: Probe, stripe_api: FakeStripe) -> None:
    order, pending = await pending_payment(client)
    payload = stripe_api.succeed(pending["reference"])
    forged = stripe_api.event("payment_intent.succeeded", json.loads(payload)["data"]["object"])
    tampered = payload.replace('"currency": "usd"', '"currency": "eur"')
    assert tampered != payload
    deliveries = {
        "unsigned": (forged, None),
        "forged signature": (forged, f"t={int(time.time())},v1={'0' * 64}"),
        "tampered body": (tampered, sign(payload)),
        "another secret": (payload, sign(payload, "whsec_someone_else")),
        "stale": (payload, sign(payload, at=int(time.time()) - 600)),
        "garbage header": (payload, "nonsense"),
    }
    for name, (body, header) in deliveries.items():
        reply = await deliver(client, body, header)
        assert reply.status_code == 422 and reply.json()["code"] == "invalid_signature", (name, reply.text)
    assert await counts(platform) == (0, 0)
    assert await probe.audit("handle_stripe_event") == ["invalid_signature"] * len(deliveries)
    assert (await RestCaller(client)("get_order", {"order_id": order["order_id"]}, ALICE))["state"] == "placed"

    genuine = await deliver(client, payload, sign(payload))
    assert genuine.json()["outcome"] == "captured", "the same event, properly signed, is applied"
    await reconciled(platform, stripe_api)


async def test_a_signed_failure_fails_the_payment_and_the_order_can_be_paid_again(
        client: httpx.AsyncClient, platform: Platform, stripe_api: FakeStripe) -> None:
    order, pending = await pending_payment(client)
    payload = stripe_api.fail(pending["reference"])
    receipt = (await deliver(client, payload, sign(payload))).json()
    assert receipt["outcome"] == "failed" and receipt["payment"]["state"] == "failed"
    assert receipt["payment"]["order_state"] == "placed"
    paid = await RestCaller(client)("pay_order", card(order), ALICE, "p-2")
    assert paid["state"] == "captured" and paid["order_state"] == "queued"
    await reconciled(platform, stripe_api)


async def test_refunds_made_at_stripe_are_booked_once_and_our_own_are_not_booked_twice(
        client: httpx.AsyncClient, platform: Platform, stripe_api: FakeStripe) -> None:
    call = RestCaller(client)
    order = await call("create_order", LATTE, ALICE, "o-1")
    oid, total = order["order_id"], order["total_cents"]
    paid = await call("pay_order", card(order), ALICE, "p-1")
    intent = paid["reference"]

    await call("refund_payment", {"order_id": oid, "amount_cents": 100, "reason": "cold"}, BARISTA, "r-1")
    ours = stripe_api.event("charge.refunded", stripe_api.charges[stripe_api.intents[intent]["latest_charge"]])
    assert (await deliver(client, ours, sign(ours))).json()["outcome"] == "unchanged"

    dashboard = stripe_api.dashboard_refund(intent, 200)
    receipt = (await deliver(client, dashboard, sign(dashboard))).json()
    assert receipt["outcome"] == "refunded" and receipt["payment"]["refunded_cents"] == 300
    assert (await deliver(client, dashboard, sign(dashboard))).json()["outcome"] == "replayed"
    rest = stripe_api.dashboard_refund(intent, total - 300)
    receipt = (await deliver(client, rest, sign(rest))).json()
    assert receipt["payment"]["state"] == "refunded" and receipt["payment"]["order_state"] == "refunded"
    assert (await call("get_order", {"order_id": oid}, ALICE))["state"] == "refunded"
    await reconciled(platform, stripe_api)


async def test_events_that_disagree_on_the_amount_or_are_not_about_our_payments_are_recorded_and_ignored(
        client: httpx.AsyncClient, platform: Platform, stripe_api: FakeStripe) -> None:
    order, pending = await pending_payment(client)
    intent = json.loads(stripe_api.succeed(pending["reference"]))["data"]["object"]
    events = [
        ("amount_mismatch", stripe_api.event("payment_intent.succeeded", {**intent, "amount": intent["amount"] + 1})),
        ("ignored", stripe_api.event("payment_intent.succeeded", {**intent, "id": "pi_not_ours"})),
        ("ignored", stripe_api.event("customer.created", {"object": "customer", "id": "cus_1"})),
    ]
    for outcome, payload in events:
        assert (await deliver(client, payload, sign(payload))).json()["outcome"] == outcome
    assert await counts(platform) == (0, 3)
    assert (await RestCaller(client)("get_order", {"order_id": order["order_id"]}, ALICE))["state"] == "placed"
    await no_drift(platform)  # Stripe holds money we have not booked: left for staff, so no reconciliation here


async def test_concurrent_deliveries_of_one_event_apply_it_once(
        client: httpx.AsyncClient, platform: Platform, stripe_api: FakeStripe) -> None:
    _, pending = await pending_payment(client)
    payload = stripe_api.succeed(pending["reference"])
    replies = await asyncio.gather(*(deliver(client, payload, sign(payload)) for _ in range(8)))
    outcomes = sorted(r.json()["outcome"] for r in replies)
    assert outcomes == ["captured"] + ["replayed"] * 7, [r.text for r in replies]
    await reconciled(platform, stripe_api)
