"""Approvals as a capability, the same for every caller and store: one approval is read by its shop's staff and
the managers, and is missing for anyone else."""

from __future__ import annotations

import pytest

from gocoffee.bootstrap import Running
from tests.callers import Caller
from tests.tools.contract import BARISTA, MANAGER, refused
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio
AGENTS = Principal(role=Role.SERVICE, id="agents")
RESTOCK = {"approval_id": "apr-downtown-1", "thread_id": "staff:s2", "tool": "adjust_stock", "requested_by":
           "staff:s2@downtown", "arguments": {"location_id": "downtown", "ingredient_id": "oat_milk", "delta": 500,
                                              "reason": "delivery"}}


async def test_an_approval_is_read_by_its_shop_and_the_managers(call: Caller, platform: Running) -> None:
    await platform.gateway.call("request_approval", RESTOCK, principal=AGENTS)  # the graph's own, not routed
    for who in (BARISTA, MANAGER):
        seen = await call("get_approval", {"approval_id": "apr-downtown-1"}, who)
        assert (seen["status"], seen["location_id"], seen["arguments"]["delta"]) == ("pending", "downtown", 500)
    campus = Principal(role=Role.STAFF, id="s5", location_id="campus")
    await refused("not_found", call, "get_approval", {"approval_id": "apr-downtown-1"}, campus)
    await refused("not_found", call, "get_approval", {"approval_id": "apr-nothing-1"}, MANAGER)
    customer = Principal(role=Role.CUSTOMER, id="c1")
    await refused("forbidden", call, "get_approval", {"approval_id": "apr-downtown-1"}, customer)
