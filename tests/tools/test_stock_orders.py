"""Purchase orders by hand and deliveries by ingredient: staff draft in whole packs, a draft's lines are edited
until it is sent, a large order needs another manager's approval, and a delivery is matched to the open order that
has it. Identical for every caller and store."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from gocoffee.bootstrap import Platform
from store.approvals import Approval
from tests.callers import Caller
from tests.tools.contract import MANAGER, refused
from tests.tools.test_stock_transfers import level
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio

BEN = Principal(role=Role.STAFF, id="ben", location_id="downtown")
HANA = Principal(role=Role.STAFF, id="hana", location_id="harbor")


async def test_staff_draft_in_whole_packs_and_a_draft_is_edited_until_it_is_sent(call: Caller) -> None:
    oat = await call("draft_purchase_order", {"location_id": "downtown", "ingredient_id": "oat_milk",
                                              "quantity": 7000}, BEN)
    assert oat["state"] == "draft" and oat["supplier_id"] == "dairy"
    assert [(x["ingredient_id"], x["packs"], x["quantity"]) for x in oat["lines"]] == [("oat_milk", 2, 12_000)]
    both = await call("draft_purchase_order", {"location_id": "downtown", "ingredient_id": "cream",
                                               "quantity": 2000}, BEN)
    assert both["order_id"] == oat["order_id"] and {x["ingredient_id"] for x in both["lines"]} == {"oat_milk", "cream"}
    edited = await call("edit_purchase_order", {"order_id": oat["order_id"], "ingredient_id": "oat_milk",
                                                "packs": 5, "version": both["version"]}, BEN)
    assert {x["ingredient_id"]: x["packs"] for x in edited["lines"]} == {"oat_milk": 5, "cream": 1}
    await refused("conflict", call, "edit_purchase_order", {"order_id": oat["order_id"], "ingredient_id": "cream",
                                                            "packs": 0, "version": both["version"]}, BEN)
    await refused("invalid_input", call, "edit_purchase_order", {"order_id": oat["order_id"],
                                                                 "ingredient_id": "espresso_beans", "packs": 1}, BEN)
    await refused("forbidden", call, "edit_purchase_order", {"order_id": oat["order_id"], "ingredient_id": "cream",
                                                             "packs": 2}, HANA)
    await refused("forbidden", call, "draft_purchase_order", {"location_id": "downtown", "ingredient_id": "cream",
                                                              "quantity": 1}, HANA)
    await refused("forbidden", call, "submit_purchase_order", {"order_id": oat["order_id"]}, BEN)
    sent = await call("submit_purchase_order", {"order_id": oat["order_id"]}, MANAGER)
    assert sent["state"] == "submitted"
    await refused("illegal_transition", call, "edit_purchase_order", {"order_id": oat["order_id"],
                                                                      "ingredient_id": "cream", "packs": 3}, MANAGER)


async def test_a_draft_emptied_by_hand_is_cancelled(call: Caller) -> None:
    po = await call("draft_purchase_order", {"location_id": "harbor", "ingredient_id": "matcha_powder",
                                             "quantity": 1}, HANA)
    empty = await call("edit_purchase_order", {"order_id": po["order_id"], "ingredient_id": "matcha_powder",
                                               "packs": 0}, HANA)
    assert empty["state"] == "cancelled" and empty["lines"] == []


async def test_a_large_order_waits_for_another_managers_approval(call: Caller, platform: Platform) -> None:
    big = await call("draft_purchase_order", {"location_id": "campus", "ingredient_id": "espresso_beans",
                                              "quantity": 100_000}, MANAGER)
    assert big["total_cents"] > 150_000
    refusal = await refused("approval_required", call, "submit_purchase_order", {"order_id": big["order_id"]}, MANAGER)
    assert "another manager" in refusal.message
    async with platform.db.writer() as session, session.begin():
        for n, (tool, order_id, by) in enumerate([("submit_purchase_order", big["order_id"], "staff:ben"),
                                                  ("submit_purchase_order", big["order_id"] + 1, "manager:m2"),
                                                  ("submit_purchase_order", big["order_id"], "manager:m1"),
                                                  ("submit_purchase_order", big["order_id"], "manager:m2")]):
            session.add(Approval(id=f"apr-po-{n}", thread_id="t", tool=tool, location_id="campus",
                                 arguments=json.dumps({"order_id": order_id}), requested_by="manager:m1",
                                 status="approved", decided_by=by, created_at=datetime.now(UTC)))
    for wrong in ("apr-po-0", "apr-po-1", "apr-po-2", "apr-po-9"):  # staff, another order, oneself, none
        await refused("approval_required", call, "submit_purchase_order",
                      {"order_id": big["order_id"], "approval_id": wrong}, MANAGER)
    sent = await call("submit_purchase_order", {"order_id": big["order_id"], "approval_id": "apr-po-3"}, MANAGER)
    assert sent["state"] == "submitted"


async def test_a_delivery_said_by_ingredient_is_received_against_its_open_order(call: Caller) -> None:
    po = await call("draft_purchase_order", {"location_id": "downtown", "ingredient_id": "whole_milk",
                                             "quantity": 60_000}, BEN)
    await refused("not_found", call, "record_delivery", {"location_id": "downtown", "ingredient_id": "whole_milk",
                                                         "quantity": 60_000}, BEN)  # a draft is not open yet
    await call("submit_purchase_order", {"order_id": po["order_id"]}, MANAGER)
    before = (await level(call, "downtown", "whole_milk"))["quantity"]
    part = await call("record_delivery", {"location_id": "downtown", "ingredient_id": "whole_milk",
                                          "quantity": 12_000, "damaged": 1000}, BEN)
    assert part["order_id"] == po["order_id"] and part["order"]["state"] == "partially_received"
    assert part["stocked"] == {"whole_milk": 11_000} and "still owed: 49.0 l Whole milk" in part["summary"]
    rest = await call("record_delivery", {"location_id": "downtown", "ingredient_id": "whole_milk",
                                          "quantity": 49_000}, BEN)
    assert rest["order"]["state"] == "received" and rest["short"] == {}
    assert (await level(call, "downtown", "whole_milk"))["quantity"] == before + 60_000
    await refused("not_found", call, "record_delivery", {"location_id": "downtown", "ingredient_id": "whole_milk",
                                                         "quantity": 1}, BEN)  # nothing open has it now
    await refused("forbidden", call, "record_delivery", {"location_id": "downtown", "ingredient_id": "whole_milk",
                                                         "quantity": 1}, HANA)


async def test_a_suggestion_counts_what_a_person_already_drafted(call: Caller) -> None:
    plan = await call("suggest_restock", {"location_id": "downtown"}, MANAGER)
    line = next(x for o in plan["orders"] for x in o["lines"] if o["supplier_id"] == "dairy")
    await call("edit_purchase_order", {"order_id": next(o["order_id"] for o in plan["orders"]
                                                         if o["supplier_id"] == "dairy"),
                                       "ingredient_id": line["ingredient_id"], "packs": 0}, MANAGER)
    await call("draft_purchase_order", {"location_id": "downtown", "ingredient_id": line["ingredient_id"],
                                        "quantity": 100 * line["quantity"]}, BEN)
    again = await call("suggest_restock", {"location_id": "downtown"}, MANAGER)
    assert line["ingredient_id"] not in {x["ingredient_id"] for o in again["orders"] for x in o["lines"]}
