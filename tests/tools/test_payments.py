"""Paying orders from stored value, for every caller and store: charge, points, refunds, refusals, races; the
double-entry ledger reconciles to zero drift after each."""

from __future__ import annotations

import asyncio

import pytest

from gocoffee.bootstrap import Platform
from tests.callers import Caller
from tests.tools.contract import ALICE, BARISTA, BOB, TWO_OAT_LATTES, refused
from tools.errors import DomainError
from tools.principal import Principal, Role
from tools.wallet.ledger import drift

pytestmark = pytest.mark.anyio
LATTE = {"location_id": "downtown", "lines": [{"item_id": "latte", "size": "large"}]}


async def no_drift(platform: Platform) -> None:
    async with platform.db.reader() as session:
        found = await drift(session)
    assert found.get("sum_cents", 0) == 0 and found.get("sum_points", 0) == 0 and found["accounts_off"] == 0, found


async def top_up(call: Caller, who: str, cents: int, key: str) -> dict:
    return await call("top_up_wallet", {"customer_id": who, "amount_cents": cents, "method": "gift_card",
                                        "reference": "GC-1"}, BARISTA, key)


async def test_an_order_paid_from_stored_value_goes_to_the_kitchen_and_earns_points(
        call: Caller, platform: Platform) -> None:
    assert (await top_up(call, "alice", 5000, "t-1"))["balance_cents"] == 5000
    order = await call("create_order", TWO_OAT_LATTES, ALICE, "o-1")
    paid = await call("pay_order", {"order_id": order["order_id"]}, ALICE, "p-1")
    total = order["total_cents"]
    assert paid["state"] == "captured" and paid["amount_cents"] == total and paid["order_state"] == "queued"
    assert await call("pay_order", {"order_id": order["order_id"]}, ALICE, "p-1") == paid, "a retry charges nothing"
    mine = await call("get_wallet", {}, ALICE)
    assert mine["balance_cents"] == 5000 - total and mine["points"] == total // 100
    assert [(h["kind"], h["amount"]) for h in mine["history"]][:2] == [("points_earned", total // 100),
                                                                     ("payment", -total)]
    await refused("illegal_transition", call, "pay_order", {"order_id": order["order_id"]}, ALICE, "p-2")
    assert (await call("list_payments", {"order_id": order["order_id"]}, ALICE))["payments"] == [paid]
    await no_drift(platform)


async def test_insufficient_funds_charge_nothing_and_change_nothing(call: Caller, platform: Platform) -> None:
    await top_up(call, "bob", 100, "t-2")
    order = await call("create_order", {**LATTE}, BOB, "o-2")
    error = await refused("insufficient_funds", call, "pay_order", {"order_id": order["order_id"]}, BOB, "p-3")
    assert error.details["balance"] == 100 and error.details["needed"] == order["total_cents"]
    assert (await call("get_order", {"order_id": order["order_id"]}, BOB))["state"] == "placed"
    assert (await call("list_payments", {"order_id": order["order_id"]}, BOB))["payments"] == []
    assert (await call("get_wallet", {}, BOB))["balance_cents"] == 100
    await no_drift(platform)


async def test_partial_then_full_refund_returns_money_and_points_and_refunds_the_order(
        call: Caller, platform: Platform) -> None:
    await top_up(call, "alice", 5000, "t-3")
    order = await call("create_order", TWO_OAT_LATTES, ALICE, "o-3")
    oid, total = order["order_id"], order["total_cents"]
    await call("pay_order", {"order_id": oid}, ALICE, "p-4")
    part = await call("refund_payment", {"order_id": oid, "amount_cents": 300, "reason": "cold"}, BARISTA, "r-1")
    assert part["refunded_cents"] == 300 and part["state"] == "captured" and part["order_state"] == "queued"
    await refused("invalid_input", call, "refund_payment", {"order_id": oid, "amount_cents": total, "reason": "x"},
                  BARISTA, "r-2")
    rest = await call("refund_payment", {"order_id": oid, "reason": "closing early"}, BARISTA, "r-3")
    assert rest["state"] == "refunded" and rest["refunded_cents"] == total and rest["order_state"] == "refunded"
    wallet = await call("get_wallet", {}, ALICE)
    assert wallet["balance_cents"] == 5000 and wallet["points"] == 0
    progress = await call("get_order_progress", {"order_id": oid}, ALICE)
    assert {d["state"] for d in progress["drinks"]} == {"cancelled"}
    await refused("not_found", call, "refund_payment", {"order_id": oid, "reason": "again"}, BARISTA, "r-4")
    await no_drift(platform)


async def test_who_may_do_what_with_money(call: Caller, platform: Platform) -> None:
    await top_up(call, "alice", 2000, "t-4")
    await refused("forbidden", call, "get_wallet", {"customer_id": "alice"}, BOB)
    await refused("forbidden", call, "top_up_wallet", {"customer_id": "bob", "amount_cents": 500}, BOB, "t-5")
    order = await call("create_order", {**LATTE}, ALICE, "o-4")
    await refused("not_found", call, "pay_order", {"order_id": order["order_id"]}, BOB, "p-5")
    await call("pay_order", {"order_id": order["order_id"]}, ALICE, "p-6")
    await refused("forbidden", call, "refund_payment", {"order_id": order["order_id"], "reason": "me"}, ALICE, "r-5")
    await refused("invalid_input", call, "advance_order", {"order_id": order["order_id"], "to_state": "refunded"},
                  BARISTA)
    await refused("idempotency_key_required", call, "pay_order", {"order_id": order["order_id"]}, ALICE)
    assert (await call("get_wallet", {"customer_id": "alice"}, BARISTA))["balance_cents"] == 2000 - order[
        "total_cents"]
    await no_drift(platform)


@pytest.mark.parametrize("same_key", [True, False])
async def test_twenty_concurrent_payments_of_one_order_charge_once(platform: Platform, same_key: bool) -> None:
    gw, carol = platform.gateway, Principal(role=Role.CUSTOMER, id="carol")
    await gw.call("top_up_wallet", {"customer_id": "carol", "amount_cents": 5000}, principal=BARISTA,
                  idempotency_key="t-race")
    order = await gw.call("create_order", LATTE, principal=carol, idempotency_key="o-race")

    async def pay(n: int) -> str:
        try:
            reply = await gw.call("pay_order", {"order_id": order.order_id}, principal=carol,  # type: ignore[attr-defined]
                                  idempotency_key="p-race" if same_key else f"p-race-{n}")
            return reply.payment_id  # type: ignore[attr-defined]
        except DomainError as exc:
            return exc.code

    outcomes = await asyncio.gather(*(pay(n) for n in range(20)))
    charges = {o for o in outcomes if o not in ("illegal_transition",)}
    assert len(charges) == 1, outcomes
    assert same_key or outcomes.count("illegal_transition") == 19
    wallet = await gw.call("get_wallet", {}, principal=carol)
    assert wallet.balance_cents == 5000 - order.total_cents  # type: ignore[attr-defined]
    await no_drift(platform)


async def test_cancelling_a_paid_order_refunds_it_through_the_wallet(call: Caller, platform: Platform) -> None:
    await top_up(call, "alice", 3000, "t-6")
    order = await call("create_order", TWO_OAT_LATTES, ALICE, "o-6")
    await call("pay_order", {"order_id": order["order_id"]}, ALICE, "p-7")
    cancelled = await call("cancel_order", {"order_id": order["order_id"], "reason": "running late"}, ALICE)
    assert cancelled["state"] == "refunded"
    payment = (await call("list_payments", {"order_id": order["order_id"]}, ALICE))["payments"][0]
    assert payment["state"] == "refunded" and payment["refunded_cents"] == order["total_cents"]
    wallet = await call("get_wallet", {}, ALICE)
    assert wallet["balance_cents"] == 3000 and wallet["points"] == 0
    await refused("illegal_transition", call, "cancel_order", {"order_id": order["order_id"]}, ALICE)

    brewing = await call("create_order", {**LATTE}, ALICE, "o-7")
    await call("pay_order", {"order_id": brewing["order_id"]}, ALICE, "p-8")
    await call("advance_order", {"order_id": brewing["order_id"], "to_state": "brewing"}, BARISTA)
    await refused("illegal_transition", call, "cancel_order", {"order_id": brewing["order_id"]}, ALICE)
    await no_drift(platform)


async def test_a_collected_order_can_still_be_refunded_in_full(call: Caller, platform: Platform) -> None:
    await top_up(call, "alice", 1000, "t-8")
    order = await call("create_order", {**LATTE}, ALICE, "o-8")
    await call("pay_order", {"order_id": order["order_id"]}, ALICE, "p-9")
    for state in ("ready", "collected"):
        await call("advance_order", {"order_id": order["order_id"], "to_state": state}, BARISTA)
    refund = await call("refund_payment", {"order_id": order["order_id"], "reason": "it was cold"}, BARISTA, "r-6")
    assert refund["state"] == "refunded" and refund["order_state"] == "collected"
    assert (await call("get_wallet", {}, ALICE))["balance_cents"] == 1000
    await no_drift(platform)
