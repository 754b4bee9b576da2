"""Refunds above the approval limit need a manager: staff alone are refused (nothing moves), a manager may,
and staff may with a manager's approval of exactly that refund."""

from __future__ import annotations

import pytest

from gocoffee.bootstrap import Platform
from tests.callers import Caller
from tests.tools.contract import ALICE, BARISTA, MANAGER, refused
from tests.tools.test_payments import no_drift, top_up
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio
BIG = {"location_id": "downtown", "lines": [{"item_id": "latte", "size": "large", "quantity": 6}]}
SUPERVISOR = Principal(role=Role.STAFF, id="s2", location_id="downtown")
AGENTS = Principal(role=Role.SERVICE, id="agents")


async def _paid(call: Caller, key: str) -> dict:
    await top_up(call, "alice", 10_000, f"t-{key}")
    order = await call("create_order", BIG, ALICE, f"o-{key}")
    await call("pay_order", {"order_id": order["order_id"]}, ALICE, f"p-{key}")
    return order


async def _approval(platform: Platform, order_id: int, amount: int | None, decider: Principal, n: str) -> str:
    """A decided approval, made the way the graph and staff make them (through the gateway)."""
    gw = platform.gateway
    args = {"order_id": order_id, "reason": "spilled", **({"amount_cents": amount} if amount else {})}
    request = {"approval_id": f"apr-test-{n}", "thread_id": "t", "tool": "refund_payment", "arguments": args,
               "requested_by": BARISTA.as_header()}
    await gw.call("request_approval", request, principal=AGENTS)
    await gw.call("decide_approval", {"approval_id": f"apr-test-{n}", "decision": "approve"}, principal=decider)
    return f"apr-test-{n}"


async def test_big_refunds_need_a_manager(call: Caller, platform: Platform) -> None:
    order = await _paid(call, "1")
    oid, total = order["order_id"], order["total_cents"]
    assert total > 2_000, "the order must be above the default approval limit"
    error = await refused("approval_required", call, "refund_payment", {"order_id": oid, "reason": "spilled"},
                          BARISTA, "f-1")
    assert error.details["limit_cents"] == 2_000 and error.details["amount_cents"] == total
    small = await call("refund_payment", {"order_id": oid, "amount_cents": 500, "reason": "cold"}, BARISTA, "f-2")
    assert small["refunded_cents"] == 500
    staff_ok = await _approval(platform, oid, None, SUPERVISOR, "staff")
    await refused("approval_required", call, "refund_payment", {"order_id": oid, "reason": "spilled",
                                                                "approval_id": staff_ok}, BARISTA, "f-3")
    other_amount = await _approval(platform, oid, 1_000, MANAGER, "amount")
    await refused("approval_required", call, "refund_payment", {"order_id": oid, "reason": "spilled",
                                                                "approval_id": other_amount}, BARISTA, "f-4")
    approved = await _approval(platform, oid, None, MANAGER, "ok")
    done = await call("refund_payment", {"order_id": oid, "reason": "spilled", "approval_id": approved}, BARISTA, "f-5")
    assert done["state"] == "refunded" and done["refunded_cents"] == total
    assert (await call("get_wallet", {}, ALICE))["balance_cents"] == 10_000
    await no_drift(platform)


async def test_a_manager_refunds_any_amount(call: Caller, platform: Platform) -> None:
    order = await _paid(call, "2")
    done = await call("refund_payment", {"order_id": order["order_id"], "reason": "closing"}, MANAGER, "f-6")
    assert done["state"] == "refunded"
    await no_drift(platform)
