"""Wallet and payments through the barista (scripted model): within the customer's own rights only."""

from __future__ import annotations

import json

import pytest

from gocoffee.bootstrap import Platform
from tests.graph.conftest import MakeChat
from tests.graph.fakes import ScriptedModel, call, last_result, said
from tools.principal import Principal, Role

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
