"""Paying orders by card through Stripe (the fake Stripe API, driven by the official SDK), for every caller and
store: charge, refunds through Stripe, declines, pending intents, races and lost replies. After each, our ledger
has zero drift and its card clearing account matches what Stripe holds for us."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest

from gocoffee.bootstrap import Platform, build_platform, running
from gocoffee.settings import Settings
from tests.callers import Caller
from tests.fakes.stripe_api import FakeStripe
from tests.tools.contract import ALICE, BARISTA, BOB, TWO_OAT_LATTES, refused
from tests.tools.test_payments import LATTE, no_drift
from tools.errors import DomainError, Forbidden, IdempotencyConflict, NotConfigured
from tools.invoke import command_from, invoke
from tools.payments.card import CARD_CLEARING, CardEvent, ChargeRequest, Intent
from tools.principal import Principal, Role
from tools.wallet.ledger import balance

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(store_url: str, tmp_path: Path, stripe_api: FakeStripe) -> Settings:
    return Settings(data_dir=tmp_path, database_url=store_url, kitchen=False, **stripe_api.settings())


def card(order: dict, method: str = "pm_card_visa") -> dict:
    return {"order_id": order["order_id"], "method": "card", "payment_method": method}


async def reconciled(platform: Platform, stripe_api: FakeStripe) -> None:
    """Zero drift, and the card clearing account is exactly what Stripe collected minus what it refunded."""
    await no_drift(platform)
    async with platform.db.reader() as session:
        assert -await balance(session, CARD_CLEARING, "cents") == stripe_api.collected_cents()


async def test_an_order_paid_by_card_goes_to_the_kitchen_and_cancelling_refunds_it_through_stripe(
        call: Caller, platform: Platform, stripe_api: FakeStripe) -> None:
    order = await call("create_order", TWO_OAT_LATTES, ALICE, "o-1")
    total = order["total_cents"]
    paid = await call("pay_order", card(order), ALICE, "p-1")
    assert paid["state"] == "captured" and paid["provider"] == "card" and paid["order_state"] == "queued"
    assert paid["amount_cents"] == total and paid["points_earned"] == total // 100
    intent = stripe_api.intents[paid["reference"]]
    assert intent["amount"] == total and intent["currency"] == "usd" and intent["status"] == "succeeded"
    assert intent["metadata"] == {"order_id": str(order["order_id"])} and intent["payment_method_types"] == ["card"]
    assert await call("pay_order", card(order), ALICE, "p-1") == paid, "a retry charges nothing"
    assert stripe_api.intents_created() == 1
    await reconciled(platform, stripe_api)

    cancelled = await call("cancel_order", {"order_id": order["order_id"], "reason": "running late"}, ALICE)
    assert cancelled["state"] == "refunded"
    payment = (await call("list_payments", {"order_id": order["order_id"]}, ALICE))["payments"][0]
    assert payment["state"] == "refunded" and payment["refunded_cents"] == total
    assert stripe_api.refunded_cents(paid["reference"]) == total and stripe_api.collected_cents() == 0
    assert (await call("get_wallet", {}, ALICE))["points"] == 0
    await reconciled(platform, stripe_api)


async def test_partial_and_full_card_refunds_go_through_stripe_once(
        call: Caller, platform: Platform, stripe_api: FakeStripe) -> None:
    order = await call("create_order", TWO_OAT_LATTES, ALICE, "o-2")
    oid, total = order["order_id"], order["total_cents"]
    paid = await call("pay_order", card(order), ALICE, "p-2")
    part = await call("refund_payment", {"order_id": oid, "amount_cents": 300, "reason": "cold"}, BARISTA, "r-1")
    assert await call("refund_payment", {"order_id": oid, "amount_cents": 300, "reason": "cold"}, BARISTA,
                      "r-1") == part
    assert part["refunded_cents"] == 300 and part["state"] == "captured" and part["order_state"] == "queued"
    assert [r["amount"] for r in stripe_api.refunds] == [300]
    rest = await call("refund_payment", {"order_id": oid, "reason": "closing early"}, BARISTA, "r-2")
    assert rest["state"] == "refunded" and rest["order_state"] == "refunded"
    assert [r["amount"] for r in stripe_api.refunds] == [300, total - 300]
    assert all(r["payment_intent"] == paid["reference"] for r in stripe_api.refunds)
    await refused("not_found", call, "refund_payment", {"order_id": oid, "reason": "again"}, BARISTA, "r-3")
    await reconciled(platform, stripe_api)


async def test_a_declined_card_charges_nothing_and_changes_nothing(
        call: Caller, platform: Platform, stripe_api: FakeStripe) -> None:
    order = await call("create_order", {**LATTE}, BOB, "o-3")
    declined = await refused("payment_rejected", call, "pay_order", card(order, "pm_card_chargeDeclined"), BOB, "p-3")
    assert declined.details["decline_code"] == "generic_decline" and declined.details["code"] == "card_declined"
    again = await refused("payment_rejected", call, "pay_order", card(order, "pm_card_chargeDeclined"), BOB, "p-3")
    assert again.details == declined.details and stripe_api.intents_created() == 1, "Stripe replays the decline"
    short = await refused("payment_rejected", call, "pay_order",
                          card(order, "pm_card_visa_chargeDeclinedInsufficientFunds"), BOB, "p-4")
    assert short.details["decline_code"] == "insufficient_funds"
    assert (await call("get_order", {"order_id": order["order_id"]}, BOB))["state"] == "placed"
    assert (await call("list_payments", {"order_id": order["order_id"]}, BOB))["payments"] == []
    await reconciled(platform, stripe_api)
    paid = await call("pay_order", card(order), BOB, "p-5")
    assert paid["state"] == "captured" and paid["order_state"] == "queued"
    await reconciled(platform, stripe_api)


async def test_a_card_payment_needs_a_known_payment_method_and_only_stripe_may_send_events(
        call: Caller, platform: Platform, stripe_api: FakeStripe) -> None:
    order = await call("create_order", {**LATTE}, ALICE, "o-4")
    await refused("invalid_input", call, "pay_order", {"order_id": order["order_id"], "method": "card"}, ALICE, "p-6")
    await refused("invalid_input", call, "pay_order", card(order, "pm_card_unheard_of"), ALICE, "p-7")
    assert (await call("get_order", {"order_id": order["order_id"]}, ALICE))["state"] == "placed"
    event = {"payload": stripe_api.event("payment_intent.succeeded", {"object": "payment_intent"}), "signature": ""}
    for who in (ALICE, BARISTA):  # the webhook capability has its own REST route: call it through the gateway
        with pytest.raises(Forbidden):
            await platform.gateway.call("handle_stripe_event", event, principal=who)
    await reconciled(platform, stripe_api)


async def test_a_processing_card_payment_waits_until_stripe_finishes_it(
        call: Caller, platform: Platform, stripe_api: FakeStripe) -> None:
    order = await call("create_order", {**LATTE}, ALICE, "o-5")
    pending = await call("pay_order", card(order, "pm_card_processing"), ALICE, "p-8")
    assert pending["state"] == "pending" and pending["order_state"] == "placed"
    assert (await call("confirm_payment", {"order_id": order["order_id"]}, ALICE))["state"] == "pending"
    await refused("illegal_transition", call, "pay_order", card(order), ALICE, "p-9")
    await refused("illegal_transition", call, "cancel_order", {"order_id": order["order_id"]}, ALICE)
    stripe_api.succeed(pending["reference"])
    done = await call("confirm_payment", {"order_id": order["order_id"]}, ALICE)
    assert done["state"] == "captured" and done["order_state"] == "queued"
    await reconciled(platform, stripe_api)

    other = await call("create_order", {**LATTE}, ALICE, "o-6")
    stuck = await call("pay_order", card(other, "pm_card_processing"), ALICE, "p-10")
    stripe_api.fail(stuck["reference"])
    failed = await call("confirm_payment", {"order_id": other["order_id"]}, ALICE)
    assert failed["state"] == "failed" and failed["order_state"] == "placed"
    assert (await call("pay_order", card(other), ALICE, "p-11"))["order_state"] == "queued"
    await reconciled(platform, stripe_api)


@pytest.mark.parametrize("same_key", [True, False])
async def test_twenty_concurrent_card_payments_of_one_order_make_one_payment_intent(
        platform: Platform, stripe_api: FakeStripe, same_key: bool) -> None:
    gw, carol = platform.gateway, Principal(role=Role.CUSTOMER, id="carol")
    order = await gw.call("create_order", LATTE, principal=carol, idempotency_key="o-race")

    async def pay(n: int) -> str:
        try:
            reply = await gw.call("pay_order", card(order.model_dump()), principal=carol,
                                  idempotency_key="p-race" if same_key else f"p-race-{n}")
            return reply.payment_id  # type: ignore[attr-defined]
        except DomainError as exc:
            return exc.code

    outcomes = await asyncio.gather(*(pay(n) for n in range(20)))
    charges = {o for o in outcomes if o != "illegal_transition"}
    assert len(charges) == 1, outcomes
    assert same_key or outcomes.count("illegal_transition") == 19
    assert stripe_api.intents_created() == 1
    assert stripe_api.collected_cents() == order.total_cents  # type: ignore[attr-defined]
    await reconciled(platform, stripe_api)


class LostReply:
    """The card processor, except that the first charge's reply is lost after Stripe made the charge."""

    def __init__(self, real: object) -> None:
        self.real, self.lost = real, False

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)

    async def charge(self, request: ChargeRequest) -> Intent:
        intent: Intent = await self.real.charge(request)  # type: ignore[attr-defined]
        if not self.lost:
            self.lost = True
            raise ConnectionResetError("reply lost")
        return intent

    def verify(self, payload: str, signature: str) -> CardEvent:
        return self.real.verify(payload, signature)  # type: ignore[attr-defined,no-any-return]


async def test_a_retry_after_a_lost_reply_finds_the_first_stripe_charge(
        platform: Platform, stripe_api: FakeStripe) -> None:
    services = platform.runtime.services
    flaky = dataclasses.replace(platform.runtime, services=dataclasses.replace(
        services, cards=LostReply(services.cards)))  # type: ignore[arg-type]
    pay = platform.registry.get("pay_order")
    order = await platform.gateway.call("create_order", LATTE, principal=ALICE, idempotency_key="o-lost")
    args = card(order.model_dump())
    with pytest.raises(ConnectionResetError):
        await invoke(flaky, pay, command_from(pay, args), ALICE, "p-lost")
    assert stripe_api.intents_created() == 1 and stripe_api.collected_cents() == order.total_cents  # type: ignore[attr-defined]
    assert (await platform.gateway.call("list_payments", {"order_id": args["order_id"]}, principal=ALICE)
            ).payments == []  # type: ignore[attr-defined]

    with pytest.raises(IdempotencyConflict):  # Stripe: the same key with another card is not the same request
        await invoke(flaky, pay, command_from(pay, {**args, "payment_method": "pm_card_mastercard"}), ALICE, "p-lost")
    paid = await invoke(flaky, pay, command_from(pay, args), ALICE, "p-lost")
    assert paid.state == "captured" and paid.reference in stripe_api.intents  # type: ignore[attr-defined]
    assert stripe_api.intents_created() == 1
    await reconciled(platform, stripe_api)


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_without_stripe_settings_card_payments_and_webhooks_are_not_configured(
        store_url: str, tmp_path: Path, stripe_api: FakeStripe) -> None:
    stripe_service = Principal(role=Role.SERVICE, id="stripe")
    event = {"payload": stripe_api.event("customer.created", {"object": "customer", "id": "cus_1"})}
    for changes in ({"stripe_api_key": None}, {"stripe_webhook_secret": None}):
        platform = build_platform(Settings(data_dir=tmp_path, database_url=store_url, kitchen=False,
                                           **stripe_api.settings(**changes)))
        async with running(platform):
            gw = platform.gateway
            with pytest.raises(NotConfigured) as caught:
                await gw.call("handle_stripe_event", event, principal=stripe_service)
            assert caught.value.details == {"service": "stripe"}
            if changes.get("stripe_api_key", "") is None:
                order = await gw.call("create_order", LATTE, principal=ALICE, idempotency_key="o-nc")
                with pytest.raises(NotConfigured):
                    await gw.call("pay_order", card(order.model_dump()), principal=ALICE, idempotency_key="p-nc")
    assert stripe_api.requests == []
