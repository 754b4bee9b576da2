"""Wallet, payments and DAO votes through the barista (scripted model): within the customer's own rights only."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from gocoffee.bootstrap import Platform
from tests.graph.conftest import MakeChat
from tests.graph.fakes import ScriptedModel, call, last_result, said
from tests.tools.money_helpers import give_points, mine
from tools.principal import GUEST, Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
ALICE = Principal(role=Role.CUSTOMER, id="alice")
BOB = Principal(role=Role.CUSTOMER, id="bob")
STAFF = Principal(role=Role.STAFF, id="s1", location_id="downtown")


async def test_a_customer_pays_from_the_wallet_and_cannot_pay_someone_else_s_order(
        make_chat: MakeChat, platform: Platform) -> None:
    gw = platform.gateway
    await gw.call("top_up_wallet", {"customer_id": "alice", "amount_cents": 2000}, principal=STAFF,
                  idempotency_key="t-agent")
    mine = await gw.call("create_order", {"location_id": "downtown", "lines": [{"item_id": "latte"}]},
                         principal=ALICE, idempotency_key="o-agent")
    bobs = await gw.call("create_order", {"location_id": "downtown", "lines": [{"item_id": "latte"}]},
                         principal=BOB, idempotency_key="o-bob")
    model = ScriptedModel(steps=[
        said("", call("get_wallet")),
        lambda m: said(f"You have ${json.loads(last_result(m))['balance_cents'] / 100:.2f}. Pay order "
                       f"{mine.order_id}?"),  # type: ignore[attr-defined]
        said("", call("pay_order", order_id=bobs.order_id), call("pay_order", order_id=mine.order_id)),  # type: ignore[attr-defined]
        lambda m: said("Paid." if json.loads(last_result(m))["state"] == "captured" else "??"),
    ])
    chat = await make_chat(model)
    asked = await chat.send(ALICE, "can I pay for my order with my balance?")
    assert asked.agent == "barista" and asked.text == f"You have $20.00. Pay order {mine.order_id}?"  # type: ignore[attr-defined]
    paid = await chat.send(ALICE, "yes")
    assert paid.text == "Paid." and [e.ok for e in paid.tool_events] == [False, True]
    assert "not_found" in paid.tool_events[0].content
    wallet = await gw.call("get_wallet", {}, principal=ALICE)
    assert wallet.balance_cents == 2000 - mine.total_cents  # type: ignore[attr-defined]
    bob_order = await gw.call("get_order", {"order_id": bobs.order_id}, principal=BOB)  # type: ignore[attr-defined]
    assert bob_order.state == "placed"  # type: ignore[attr-defined]


def the_last_thing_said(messages: list[BaseMessage]) -> str:
    return str(next(m for m in reversed(messages) if isinstance(m, HumanMessage)).content).strip().lower()


@pytest.mark.chain
async def test_the_barista_votes_only_after_an_explicit_yes_and_a_guest_cannot_vote(
        make_chat: MakeChat, platform: Platform) -> None:
    gw = platform.gateway
    await give_points(platform, "alice", 500)
    await gw.call("redeem_points", {"points": 500}, principal=ALICE, idempotency_key="r-agent")
    made = await gw.call("create_proposal", {"title": "Longer opening hours"}, principal=ALICE,
                         idempotency_key="p-agent")
    number = made.proposal  # type: ignore[attr-defined]
    await mine(platform, 2)

    def vote_on_a_clear_yes(messages: list[BaseMessage]) -> AIMessage:
        if the_last_thing_said(messages) in ("yes", "yes please"):
            return said("", call("cast_vote", proposal=number, support="for"))
        return said("I need a clear yes before I vote.")

    model = ScriptedModel(steps=[
        said("", call("get_proposal", proposal=number)),
        lambda m: said(f"Vote FOR proposal {number} '{json.loads(last_result(m))['title']}'? Say yes to confirm."),
        vote_on_a_clear_yes,
        vote_on_a_clear_yes,
        lambda m: said(f"Done: {json.loads(last_result(m))['votes_for']} COFFEE for."),
    ])
    chat = await make_chat(model)
    asked = await chat.send(ALICE, f"vote yes on proposal {number}")
    assert asked.text == f"Vote FOR proposal {number} 'Longer opening hours'? Say yes to confirm."
    prompt = str(model._seen[0][0].content)
    assert "before `cast_vote`" in prompt and "explicit yes" in prompt and "cast_vote" in model.offered[0]
    unsure = await chat.send(ALICE, "maybe")
    assert unsure.tool_events == [] and (await gw.call("get_proposal", {"proposal": number}, principal=ALICE)
                                         ).votes_for == 0  # type: ignore[attr-defined]
    voted = await chat.send(ALICE, "yes")
    assert [(e.tool, e.ok) for e in voted.tool_events] == [("cast_vote", True)] and voted.text == "Done: 5.00 COFFEE for."

    guest_model = ScriptedModel(steps=[
        said("", call("cast_vote", proposal=number, support="against")),
        lambda m: said("Refused." if "forbidden" in last_result(m) else "??"),
    ])
    refused = await (await make_chat(guest_model)).send(GUEST, f"vote no on proposal {number}")
    assert "cast_vote" not in guest_model.offered[0] and "get_proposal" in guest_model.offered[0]
    assert refused.text == "Refused." and not refused.tool_events[0].ok
    after = await gw.call("get_proposal", {"proposal": number}, principal=GUEST)
    assert (after.votes_for, after.votes_against) == (5, 0)  # type: ignore[attr-defined]
