"""The stock domain's contract: demand forecasts learned from the seeded sales history (its weekly pattern, its
slow items), ingredient use from items × recipes, days of cover from what is on hand; bad input refused; identical
for every caller and store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.callers import Caller
from tests.days import shop_today
from tests.tools.contract import MANAGER, refused
from tools.principal import Principal, Role

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
