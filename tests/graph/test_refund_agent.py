"""A refund asked through an agent waits for a human; above the approval limit only a manager's approval
lets it run (staff approving their own colleague's big refund is not enough)."""

from __future__ import annotations

import pytest

from gocoffee.bootstrap import Platform
from tests.graph.conftest import MakeChat
from tests.graph.fakes import ScriptedModel, call, last_result, said
from tools.principal import Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
BARISTA = Principal(role=Role.STAFF, id="s1", location_id="downtown")
SUPERVISOR = Principal(role=Role.STAFF, id="s2", location_id="downtown")
MANAGER = Principal(role=Role.MANAGER, id="m1")
ALICE = Principal(role=Role.CUSTOMER, id="alice")
BIG = {"location_id": "downtown", "lines": [{"item_id": "latte", "size": "large", "quantity": 6}]}


async def paid_order(platform: Platform) -> int:
    gw = platform.gateway
    await gw.call("top_up_wallet", {"customer_id": "alice", "amount_cents": 10_000}, principal=BARISTA,
                  idempotency_key="t")
    order = await gw.call("create_order", BIG, principal=ALICE, idempotency_key="o")
    await gw.call("pay_order", {"order_id": order.order_id}, principal=ALICE, idempotency_key="p")  # type: ignore[attr-defined]
    return int(order.order_id)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("decider", "refunded"), [(MANAGER, True), (SUPERVISOR, False)])
async def test_a_big_refund_by_an_agent_runs_only_with_a_manager_s_approval(
        make_chat: MakeChat, platform: Platform, decider: Principal, refunded: bool) -> None:
    oid = await paid_order(platform)
    model = ScriptedModel(steps=[
        said("", call("refund_payment", order_id=oid, reason="spilled on the counter")),
        lambda m: said(f"Result: {last_result(m)}"),
    ])
    chat = await make_chat(model)
    waiting = await chat.send(BARISTA, f"refund order {oid}, it was spilled")
    assert waiting.agent == "task_manager" and waiting.pending_approval is not None
    decided = await platform.gateway.call("decide_approval", {"approval_id": waiting.pending_approval["approval_id"],
                                                              "decision": "approve"}, principal=decider)
    resumed = await chat.resume(decided.model_dump(mode="json"))
    wallet = await platform.gateway.call("get_wallet", {}, principal=ALICE)
    if refunded:
        assert '"state":"refunded"' in resumed.text and wallet.balance_cents == 10_000  # type: ignore[attr-defined]
    else:
        assert "approval_required" in resumed.text and wallet.balance_cents < 10_000  # type: ignore[attr-defined]
