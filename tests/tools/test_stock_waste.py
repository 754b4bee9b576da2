"""Waste and low stock: a write-off takes an ingredient, or a finished item's recipe, from stock (never below zero)
and is summed by reason and value; crossing below the reorder point gives the shop's keyholders one task and one
notification per crossing. Identical for every caller and store."""

from __future__ import annotations

import pytest

from tests.callers import Caller, Json
from tests.tools.contract import MANAGER, refused
from tests.tools.test_stock_transfers import level, reorder_point, set_stock
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio

BEN = Principal(role=Role.STAFF, id="ben", location_id="downtown")
ANNA = Principal(role=Role.STAFF, id="anna", location_id="downtown")  # a downtown keyholder
HANA = Principal(role=Role.STAFF, id="hana", location_id="harbor")


async def test_waste_of_an_ingredient_or_an_item_leaves_stock_and_is_summed_by_reason(call: Caller) -> None:
    milk = (await level(call, "downtown", "whole_milk"))["quantity"]
    beans = (await level(call, "downtown", "espresso_beans"))["quantity"]
    spilt = await call("record_waste", {"location_id": "downtown", "product": "whole_milk", "quantity": 2000,
                                        "reason": "spilled", "note": "dropped a jug"}, BEN)
    assert spilt["kind"] == "ingredient" and spilt["taken"] == {"whole_milk": 2000} and spilt["value_cents"] == 330
    lattes = await call("record_waste", {"location_id": "downtown", "product": "latte", "quantity": 2,
                                         "reason": "quality"}, BEN)
    assert lattes["kind"] == "item" and set(lattes["taken"]) == {"espresso_beans", "whole_milk"}
    assert (await level(call, "downtown", "whole_milk"))["quantity"] == milk - 2000 - lattes["taken"]["whole_milk"]
    assert (await level(call, "downtown", "espresso_beans"))["quantity"] == beans - lattes["taken"]["espresso_beans"]
    summary = await call("get_waste", {"location_id": "downtown"}, MANAGER)
    assert summary["records"] == 2 and summary["value_cents"] == spilt["value_cents"] + lattes["value_cents"]
    assert set(summary["by_reason"]) == {"spilled", "quality"} and summary["top"].startswith("Whole milk")
    assert (await call("get_waste", {}, HANA))["records"] == 0  # staff see their own shop's


async def test_waste_beyond_what_is_there_or_badly_described_is_refused_and_changes_nothing(call: Caller) -> None:
    await set_stock(call, "downtown", "croissant", 3)
    bad = [({"product": "croissant", "quantity": 4, "reason": "expired"}, "conflict", BEN),
           ({"product": "croissant", "quantity": 1, "reason": "eaten"}, "invalid_input", BEN),
           ({"product": "croissant", "quantity": 0, "reason": "expired"}, "invalid_input", BEN),
           ({"product": "unicorn", "quantity": 1, "reason": "expired"}, "not_found", BEN),
           ({"product": "croissant", "quantity": 1, "reason": "expired"}, "forbidden", HANA)]
    for args, code, who in bad:
        await refused(code, call, "record_waste", {"location_id": "downtown", **args}, who)
    assert (await level(call, "downtown", "croissant"))["quantity"] == 3
    assert (await call("get_waste", {"location_id": "downtown"}, MANAGER))["records"] == 0


async def _alerts(call: Caller) -> tuple[list[Json], list[Json]]:
    tasks = (await call("list_tasks", {"location_id": "downtown", "state": "open"}, MANAGER))["tasks"]
    inbox = (await call("list_notifications", {}, ANNA))["items"]
    return ([t for t in tasks if t["about_kind"] == "stock"], [n for n in inbox if n["topic"] == "low_stock"])


async def test_crossing_below_the_reorder_point_alerts_the_shop_once_per_crossing(call: Caller) -> None:
    point = await reorder_point(call, "downtown", "soy_milk")
    await set_stock(call, "downtown", "soy_milk", point + 500)
    waste = {"location_id": "downtown", "product": "soy_milk", "quantity": 400, "reason": "expired"}
    assert (await call("record_waste", waste, BEN))["low"] == [] and await _alerts(call) == ([], [])
    crossed = await call("record_waste", waste, BEN)  # 100 below the point now
    assert crossed["low"] == ["soy_milk"]
    tasks, notes = await _alerts(call)
    assert [(t["about_id"], t["source"], t["assignee_role"]) for t in tasks] == [("soy_milk", "stock", "keyholder")]
    assert len(notes) == 1 and "low on Soy milk" in notes[0]["text"]
    assert (await call("record_waste", waste, BEN))["low"] == []  # still low: no second alert
    assert [len(x) for x in await _alerts(call)] == [1, 1]
    await call("adjust_stock", {"location_id": "downtown", "ingredient_id": "soy_milk", "delta": 5000,
                                "reason": "count"}, MANAGER)
    assert (await _alerts(call))[0] == []  # back above: the task is done
    await set_stock(call, "downtown", "soy_milk", point)
    assert (await call("record_waste", {**waste, "quantity": 1}, BEN))["low"] == ["soy_milk"]  # a new crossing
    tasks, notes = await _alerts(call)
    assert len(tasks) == 1 and len(notes) == 2
