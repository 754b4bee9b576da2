"""The stock domain's contract: demand forecasts learned from the seeded sales history (its weekly pattern, its
slow items), ingredient use from items × recipes, days of cover from what is on hand; bad input refused; identical
for every caller and store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from gocoffee.bootstrap import Platform
from store.menu import Ingredient
from store.purchasing import Supplier
from tests.callers import Caller, Json
from tests.days import shop_today
from tests.tools.contract import MANAGER, refused
from tools.principal import Principal, Role
from tools.stock.history import ingredient_histories, ingredient_history

pytestmark = pytest.mark.anyio

HANA = Principal(role=Role.STAFF, id="hana", location_id="harbor")


def _next_monday() -> str:
    today = shop_today()
    return (today + timedelta(days=7 - today.weekday())).isoformat()


async def test_a_forecast_learns_the_shops_week_and_gives_each_day_an_interval(call: Caller) -> None:
    ask = {"location_id": "campus", "product": "latte", "starts_on": _next_monday(), "days": 7}
    week = await call("forecast_demand", ask, MANAGER)
    days = {d["weekday"]: d for d in week["daily"]}
    assert week["kind"] == "item" and week["model"].startswith("AutoETS") and week["daily"][0]["weekday"] == "Mon"
    assert all(d["low"] <= d["expected"] <= d["high"] for d in week["daily"])
    assert days["Sat"]["expected"] < 0.6 * days["Tue"]["expected"]  # campus empties at the weekend (the seed's week)
    assert abs(week["total"] - sum(d["expected"] for d in week["daily"])) < 1
    assert week["total_low"] < week["total"] < week["total_high"] and week["busiest"].split()[0] in ("Tue", "Wed")
    downtown = await call("forecast_demand", {**ask, "location_id": "downtown"}, MANAGER)
    assert downtown["total"] > week["total"]  # downtown sells more lattes than campus


async def test_a_slow_item_is_forecast_as_intermittent_and_an_ingredient_in_its_unit(call: Caller) -> None:
    slow = await call("forecast_demand", {"location_id": "campus", "product": "babyccino"}, MANAGER)
    assert slow["model"].startswith("Croston") and 0 < slow["total"] < 20 and slow["starts_on"] == str(shop_today())
    oat = await call("forecast_demand", {"location_id": "campus", "product": "oat_milk"}, MANAGER)
    almond = await call("forecast_demand", {"location_id": "campus", "product": "almond_milk"}, MANAGER)
    assert oat["kind"] == "ingredient" and oat["unit"] == "ml" and oat["total_shown"].endswith(" l")
    assert oat["total"] > 2 * almond["total"] > 0  # the seed's milk choices: oat far more often than almond


async def test_days_of_cover_follow_what_is_on_hand(call: Caller) -> None:
    ask = {"location_id": "downtown", "ingredient_id": "almond_milk"}
    before = await call("get_days_of_cover", ask, MANAGER)
    on_hand = (await call("get_stock", ask, MANAGER))["levels"][0]["quantity"]
    assert before["on_hand"] == on_hand and before["per_day"] > 0
    assert before["runs_out_on"] is not None and abs(before["days_of_cover"] - on_hand / before["per_day"]) < 2
    await call("adjust_stock", {**ask, "delta": round(before["per_day"] * 10), "reason": "delivery"}, MANAGER)
    after = await call("get_days_of_cover", ask, MANAGER)
    assert after["days_of_cover"] > before["days_of_cover"] + 8


async def test_bad_forecast_requests_are_refused(call: Caller) -> None:
    await refused("not_found", call, "forecast_demand", {"location_id": "campus", "product": "unicorn"}, MANAGER)
    await refused("not_found", call, "forecast_demand", {"location_id": "mars", "product": "latte"}, MANAGER)
    far = (shop_today() + timedelta(days=30)).isoformat()
    await refused("invalid_input", call, "forecast_demand",
                  {"location_id": "campus", "product": "latte", "starts_on": far}, MANAGER)
    await refused("invalid_input", call, "forecast_demand",
                  {"location_id": "campus", "product": "latte", "days": 0}, MANAGER)
    await refused("forbidden", call, "forecast_demand", {"location_id": "campus", "product": "latte"}, HANA)
    await refused("not_found", call, "get_days_of_cover", {"location_id": "campus", "ingredient_id": "gold"}, MANAGER)


BEN = Principal(role=Role.STAFF, id="ben", location_id="downtown")


async def test_a_restock_suggestion_drafts_an_order_per_supplier_each_line_with_its_reasons(call: Caller) -> None:
    plan = await call("suggest_restock", {"location_id": "downtown"}, BEN)  # staff may draft
    assert plan["orders"] and all(o["state"] == "draft" for o in plan["orders"])
    assert len({o["supplier_id"] for o in plan["orders"]}) == len(plan["orders"])
    for order in plan["orders"]:
        assert order["total_cents"] == sum(int(line["cost"].strip("$").replace(",", "").replace(".", ""))
                                           for line in order["lines"])
        for line in order["lines"]:
            assert line["packs"] >= 1 and line["quantity"] == line["packs"] * line["pack"]
            assert "reorder point" in line["why"] and "on hand and on order" in line["why"]
    assert all("enough: " in e and "reorder point" in e for e in plan["enough"])
    again = await call("suggest_restock", {"location_id": "downtown"}, BEN)  # updates, does not pile up
    drafts = (await call("list_purchase_orders", {"location_id": "downtown", "state": "draft"}, MANAGER))["orders"]
    assert sorted(o["order_id"] for o in drafts) == sorted(o["order_id"] for o in again["orders"])
    assert {(o["order_id"], o["version"] + 1, o["total_cents"]) for o in plan["orders"]} == \
        {(o["order_id"], o["version"], o["total_cents"]) for o in again["orders"]}


async def test_stock_well_above_the_reorder_point_is_not_ordered(call: Caller) -> None:
    plan = await call("suggest_restock", {"location_id": "downtown"}, MANAGER)
    line = next(line for o in plan["orders"] for line in o["lines"])
    await call("adjust_stock", {"location_id": "downtown", "ingredient_id": line["ingredient_id"],
                                "delta": 100 * line["quantity"], "reason": "found in the back"}, MANAGER)
    after = await call("suggest_restock", {"location_id": "downtown"}, MANAGER)
    assert line["ingredient_id"] not in {x["ingredient_id"] for o in after["orders"] for x in o["lines"]}
    assert any(e.startswith(f"{line['ingredient_id']}: enough") for e in after["enough"])


async def test_a_submitted_order_counts_as_on_order_and_its_states_only_move_forward(call: Caller) -> None:
    plan = await call("suggest_restock", {"location_id": "downtown"}, MANAGER)
    order = max(plan["orders"], key=lambda o: o["total_cents"])
    await refused("forbidden", call, "submit_purchase_order", {"order_id": order["order_id"]}, BEN)
    await refused("conflict", call, "submit_purchase_order",
                  {"order_id": order["order_id"], "version": order["version"] + 1}, MANAGER)
    sent = await call("submit_purchase_order", {"order_id": order["order_id"]}, MANAGER)
    assert sent["state"] == "submitted" and sent["version"] == order["version"] + 1
    await refused("illegal_transition", call, "submit_purchase_order", {"order_id": order["order_id"]}, MANAGER)
    again = await call("suggest_restock", {"location_id": "downtown"}, MANAGER)
    assert order["supplier_id"] not in {o["supplier_id"] for o in again["orders"]}  # what it orders is on order now
    assert (await call("list_purchase_orders", {"state": "submitted"}, MANAGER))["orders"][0]["order_id"] == \
        order["order_id"]
    cancelled = await call("cancel_purchase_order", {"order_id": order["order_id"]}, MANAGER)
    assert cancelled["state"] == "cancelled"
    await refused("illegal_transition", call, "cancel_purchase_order", {"order_id": order["order_id"]}, MANAGER)
    await refused("not_found", call, "cancel_purchase_order", {"order_id": 999}, MANAGER)
    await refused("forbidden", call, "suggest_restock", {"location_id": "downtown"}, HANA)


async def test_an_order_below_its_suppliers_minimum_is_not_submitted(call: Caller, platform: Platform) -> None:
    plan = await call("suggest_restock", {"location_id": "downtown"}, MANAGER)
    order = plan["orders"][0]
    async with platform.db.writer() as session, session.begin():
        supplier = await session.get(Supplier, order["supplier_id"])
        assert supplier is not None
        supplier.min_order_cents = order["total_cents"] + 1
    refusal = await refused("conflict", call, "submit_purchase_order", {"order_id": order["order_id"]}, MANAGER)
    assert "minimum" in refusal.message
    listed = (await call("list_purchase_orders", {"location_id": "downtown", "state": "draft"}, MANAGER))["orders"]
    assert next(o for o in listed if o["order_id"] == order["order_id"])["below_minimum"]


async def _submitted(call: Caller) -> Json:
    plan = await call("suggest_restock", {"location_id": "downtown"}, MANAGER)
    dairy = next(o for o in plan["orders"] if o["supplier_id"] == "dairy")
    return await call("submit_purchase_order", {"order_id": dairy["order_id"]}, MANAGER)


async def _on_hand(call: Caller, ingredient_id: str) -> int:
    levels = await call("get_stock", {"location_id": "downtown", "ingredient_id": ingredient_id}, MANAGER)
    return levels["levels"][0]["quantity"]


async def test_a_delivery_stocks_what_arrived_undamaged_and_the_order_follows(call: Caller) -> None:
    order = await _submitted(call)
    first, *rest = order["lines"]
    before = await _on_hand(call, first["ingredient_id"])
    part = await call("receive_delivery", {"order_id": order["order_id"], "lines": [
        {"ingredient_id": first["ingredient_id"], "quantity": first["quantity"], "damaged": first["pack"],
         "pack_cents": 1}]}, BEN, "delivery-1")
    assert part["order"]["state"] == "partially_received"
    assert part["stocked"] == {first["ingredient_id"]: first["quantity"] - first["pack"]}
    assert part["short"][first["ingredient_id"]] == first["pack"] and part["price_differences"]
    assert await _on_hand(call, first["ingredient_id"]) == before + first["quantity"] - first["pack"]
    again = await call("receive_delivery", {"order_id": order["order_id"], "lines": [
        {"ingredient_id": first["ingredient_id"], "quantity": first["quantity"], "damaged": first["pack"],
         "pack_cents": 1}]}, BEN, "delivery-1")  # the same delivery retried: recorded once
    assert again["receipt_id"] == part["receipt_id"]
    assert await _on_hand(call, first["ingredient_id"]) == before + first["quantity"] - first["pack"]
    rest_lines = [{"ingredient_id": x["ingredient_id"], "quantity": x["quantity"]} for x in rest]
    done = await call("receive_delivery", {"order_id": order["order_id"], "lines": [
        *rest_lines, {"ingredient_id": first["ingredient_id"], "quantity": 2 * first["pack"]}]}, BEN, "delivery-2")
    assert done["order"]["state"] == "received" and done["short"] == {}  # a pack over on the first line is kept
    await refused("illegal_transition", call, "receive_delivery", {"order_id": order["order_id"], "lines": [
        {"ingredient_id": first["ingredient_id"], "quantity": 1}]}, BEN, "delivery-3")


async def test_a_bad_delivery_is_refused_and_changes_nothing(call: Caller) -> None:
    order = await _submitted(call)
    first = order["lines"][0]
    before = await _on_hand(call, first["ingredient_id"])
    bad = [[{"ingredient_id": "matcha_powder", "quantity": 500}],
           [{"ingredient_id": first["ingredient_id"], "quantity": 5, "damaged": 6}],
           [{"ingredient_id": first["ingredient_id"], "quantity": 5}, {"ingredient_id": first["ingredient_id"],
                                                                       "quantity": 5}],
           [{"ingredient_id": first["ingredient_id"], "quantity": -5}], []]
    for n, lines in enumerate(bad):
        await refused("invalid_input", call, "receive_delivery", {"order_id": order["order_id"], "lines": lines},
                      BEN, f"bad-{n}")
    await refused("forbidden", call, "receive_delivery", {"order_id": order["order_id"], "lines": [
        {"ingredient_id": first["ingredient_id"], "quantity": 5}]}, HANA, "bad-hana")
    assert await _on_hand(call, first["ingredient_id"]) == before
    assert (await call("list_purchase_orders", {"state": "submitted"}, MANAGER))["orders"][0]["version"] == \
        order["version"]
    draft = (await call("suggest_restock", {"location_id": "downtown"}, MANAGER))["orders"][0]
    await refused("illegal_transition", call, "receive_delivery", {"order_id": draft["order_id"], "lines": [
        {"ingredient_id": draft["lines"][0]["ingredient_id"], "quantity": 1}]}, BEN, "bad-draft")


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_every_ingredients_history_read_at_once_is_each_read_alone(platform: Platform) -> None:
    async with platform.db.reader() as session:
        ingredients = list((await session.scalars(select(Ingredient.id))).all())
        together = await ingredient_histories(session, "campus", shop_today(), 56)
        alone = {i: await ingredient_history(session, "campus", i, shop_today(), 56) for i in ingredients}
    assert {i: h for i, h in alone.items() if any(h)} == together and len(together) > 20
