"""Stock's contract: reservations, out of stock, shop scope; identical for every caller and store."""

from __future__ import annotations

import pytest

from tests.callers import Caller
from tests.conftest import Probe
from tests.tools.contract import ALICE, BARISTA, MANAGER, TWO_OAT_LATTES, refused

pytestmark = pytest.mark.anyio



async def test_out_of_stock_names_the_ingredient_and_changes_nothing(call: Caller, probe: Probe) -> None:
    left = await probe.stock("campus", "croissant")
    await call("adjust_stock", {"location_id": "campus", "ingredient_id": "croissant", "delta": 1 - left,
                                "reason": "count"}, MANAGER)
    before = await probe.snapshot()
    order = {"location_id": "campus", "lines": [{"item_id": "latte"}, {"item_id": "croissant", "quantity": 2}]}
    error = await refused("out_of_stock", call, "create_order", order, ALICE, "k-oos")
    assert error.details["ingredient_id"] == "croissant" and "croissant" in error.message.lower()
    assert await probe.snapshot() == before
    await refused("conflict", call, "adjust_stock", {"location_id": "campus", "ingredient_id": "croissant",
                                                     "delta": -2, "reason": "waste"}, MANAGER)


async def test_staff_read_their_own_shops_stock_and_cannot_read_or_touch_another(call: Caller) -> None:
    own = (await call("get_stock", {}, BARISTA))["levels"]
    assert own and {lv["location_id"] for lv in own} == {"downtown"}
    await refused("forbidden", call, "get_stock", {"location_id": "harbor"}, BARISTA)
    levels = (await call("get_stock", {"location_id": "harbor"}, MANAGER))["levels"]
    assert levels and {lv["location_id"] for lv in levels} == {"harbor"}
    await refused("forbidden", call, "adjust_stock", {"location_id": "harbor", "ingredient_id": "oat_milk",
                                                      "delta": 10, "reason": "x"}, BARISTA)
    restocked = await call("adjust_stock", {"location_id": "downtown", "ingredient_id": "oat_milk", "delta": 500,
                                            "reason": "delivery"}, BARISTA)
    assert restocked["quantity"] == next(
        lv["quantity"] for lv in (await call("get_stock", {"location_id": "downtown"}, MANAGER))["levels"]
        if lv["ingredient_id"] == "oat_milk")


async def test_cancel_returns_reserved_stock(call: Caller, probe: Probe) -> None:
    before = await probe.snapshot()
    order = await call("create_order", TWO_OAT_LATTES, ALICE, "k-2")
    cancelled = await call("cancel_order", {"order_id": order["order_id"], "reason": "changed mind"}, ALICE)
    assert cancelled["state"] == "cancelled" and cancelled["next_states"] == []
    after = await probe.snapshot()
    assert after["stock"] == before["stock"] and after["orders"] == before["orders"] + 1
    await refused("illegal_transition", call, "cancel_order", {"order_id": order["order_id"]}, ALICE)
