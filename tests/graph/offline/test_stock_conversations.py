"""The inventory manager's forecasting conversations, given by the frame skill from the stock capabilities' input
models and `Talk` (no code of their own): a forecast for an item or an ingredient, and how long stock lasts."""

from __future__ import annotations

import re

import pytest

from gocoffee.bootstrap import Platform
from graph.app import Conversations
from tests.days import shop_today
from tools.inventory import StockReport
from tools.principal import Principal
from tools.stock.models import DaysOfCover, DemandForecast, PurchaseOrderList, PurchaseOrderOut

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
MANAGER = Principal.parse("manager:m1")


async def test_a_forecast_for_an_item_names_its_total_interval_and_model(chat: Conversations, platform: Platform
                                                                          ) -> None:
    reply = await chat.send(MANAGER, "forecast latte demand at downtown")
    assert reply.agent == "inventory_manager" and [e.tool for e in reply.tool_events] == ["forecast_demand"]
    f = await platform.gateway.call("forecast_demand", {"location_id": "downtown", "product": "latte"},
                                    principal=MANAGER)
    assert isinstance(f, DemandForecast)
    assert reply.text == (f"Latte at downtown, 7 days from {shop_today()}: about {f.total_shown} ({f.range_shown}, "
                          f"80% likely); busiest on {f.busiest}. {f.model}, from 56 days of sales.")


async def test_the_longest_item_name_said_wins_and_an_ingredient_is_forecast_in_its_unit(chat: Conversations) -> None:
    vanilla = await chat.send(MANAGER, "how many vanilla lattes will we sell at campus?")
    assert vanilla.text.startswith(f"Vanilla Latte at campus, 7 days from {shop_today()}: about ")
    oat = await chat.send(MANAGER, "forecast oat milk use at campus", thread_id="oat")
    assert oat.text.startswith("Oat milk (barista edition) at campus") and " l (" in oat.text


async def test_when_stock_runs_out_is_read_from_the_forecast_and_what_is_on_hand(chat: Conversations,
                                                                               platform: Platform) -> None:
    reply = await chat.send(MANAGER, "when do we run out of almond milk at downtown?")
    assert [e.tool for e in reply.tool_events] == ["get_days_of_cover"]
    cover = await platform.gateway.call("get_days_of_cover", {"location_id": "downtown", "ingredient_id": "almond_milk"},
                                        principal=MANAGER)
    assert isinstance(cover, DaysOfCover) and cover.runs_out_on is not None
    assert reply.text == (f"Almond milk at downtown: {cover.on_hand_shown} on hand, about {cover.per_day_shown} a "
                          f"day; at this rate it runs out on {cover.runs_out_on:%a %d %b} ({cover.days_of_cover} days).")


async def test_what_to_reorder_drafts_after_a_yes_and_submitting_one_waits_for_a_person(
        chat: Conversations, platform: Platform) -> None:
    asked = await chat.send(MANAGER, "what should I reorder for campus?")
    assert asked.text == "Shall I draft purchase orders for Go Coffee Harvard Square from the forecast?"
    assert not asked.tool_events
    done = await chat.send(MANAGER, "yes")
    drafts = await platform.gateway.call("list_purchase_orders", {"location_id": "campus"}, principal=MANAGER)
    assert isinstance(drafts, PurchaseOrderList) and drafts.orders
    listed = "; ".join(f"#{o.order_id} {o.supplier_name}: {o.summary}{o.note}"
                       for o in sorted(drafts.orders, key=lambda o: o.order_id))
    assert done.text == f"Drafted for campus: {listed}. Nothing is sent until one is submitted."
    first = min(o.order_id for o in drafts.orders)
    confirm = await chat.send(MANAGER, f"submit purchase order {first}")
    assert confirm.text == f"Shall I submit purchase order {first} to its supplier? (A person approves it first.)"
    waiting = await chat.send(MANAGER, "yes")
    assert "approval" in waiting.text
    still = await platform.gateway.call("list_purchase_orders", {"location_id": "campus"}, principal=MANAGER)
    assert isinstance(still, PurchaseOrderList) and {o.state for o in still.orders} == {"draft"}


STAFF = Principal.parse("staff:ben@downtown")


async def _stock(platform: Platform, shop: str, ingredient_id: str) -> int:
    report = await platform.gateway.call("get_stock", {"location_id": shop, "ingredient_id": ingredient_id},
                                         principal=MANAGER)
    assert isinstance(report, StockReport)
    return report.levels[0].quantity


async def test_waste_is_said_back_with_its_reason_and_written_off_after_a_yes(chat: Conversations,
                                                                              platform: Platform) -> None:
    before = await _stock(platform, "downtown", "croissant")
    asked = await chat.send(STAFF, "we binned 3 croissants that went stale")
    assert asked.agent == "inventory_manager" and not asked.tool_events
    assert asked.text == "Shall I write off 3 Croissant at Go Coffee Downtown Crossing (expired)?"
    done = await chat.send(STAFF, "yes")
    assert [(e.tool, e.ok) for e in done.tool_events] == [("record_waste", True)]
    assert done.text.startswith("Written off: 3 Croissant at downtown (expired), $")
    assert await _stock(platform, "downtown", "croissant") == before - 3
    why = await chat.send(STAFF, "we threw away 2 litres of oat milk", thread_id="why")
    assert why.text == "Why: expired, spilled, quality, or returned by a customer?"
    assert (await chat.send(STAFF, "it was spilled", thread_id="why")).text.startswith(
        "Shall I write off 2,000 ml Oat milk (barista edition) at Go Coffee Downtown Crossing (spilled)?")


async def test_a_transfer_is_said_back_with_both_shops_and_sent_after_a_yes(chat: Conversations,
                                                                            platform: Platform) -> None:
    await platform.gateway.call("adjust_stock", {"location_id": "campus", "ingredient_id": "oat_milk",
                                                 "delta": 60_000, "reason": "delivery"}, principal=MANAGER)
    campus = await _stock(platform, "campus", "oat_milk")
    asked = await chat.send(MANAGER, "send 5 litres of oat milk from campus to downtown")
    assert asked.agent == "inter_location_coordinator"
    assert asked.text == ("Shall I send 5,000 ml of Oat milk (barista edition) from Go Coffee Harvard Square to "
                          "Go Coffee Downtown Crossing?")
    done = await chat.send(MANAGER, "yes please")
    assert [(e.tool, e.ok) for e in done.tool_events] == [("transfer_stock", True)]
    assert re.fullmatch(r"Sent transfer \d+: 5\.0 l Oat milk \(barista edition\) from campus to downtown, in transit "
                        r"until downtown receives it\.", done.text), done.text
    assert await _stock(platform, "campus", "oat_milk") == campus - 5000


async def test_a_shop_short_of_something_hears_who_can_spare_it(chat: Conversations) -> None:
    reply = await chat.send(MANAGER, "downtown is out of croissants, can another shop spare some?")
    assert reply.agent == "inter_location_coordinator"
    assert [(e.tool, e.ok) for e in reply.tool_events] == [("suggest_transfers", True)]
    assert "Butter croissant" in reply.text


async def test_which_shop_sold_the_most_is_a_table_of_every_shop(chat: Conversations) -> None:
    reply = await chat.send(MANAGER, "which shop sold the most last week?")
    assert [(e.tool, e.ok) for e in reply.tool_events] == [("compare_shops", True)]
    lines = reply.text.splitlines()
    assert " sold the most (" in lines[0]
    assert lines[1].startswith("shop | sales | orders") and len(lines) == 5


async def test_a_delivery_said_in_words_is_received_against_the_open_order(chat: Conversations,
                                                                            platform: Platform) -> None:
    po = await platform.gateway.call("draft_purchase_order", {"location_id": "downtown", "ingredient_id": "whole_milk",
                                                              "quantity": 60_000}, principal=STAFF)
    assert isinstance(po, PurchaseOrderOut)
    await platform.gateway.call("submit_purchase_order", {"order_id": po.order_id}, principal=MANAGER)
    asked = await chat.send(STAFF, "the milk delivery just came in, 24 litres of whole milk")
    assert asked.text == ("Shall I receive 24,000 ml of Whole milk at Go Coffee Downtown Crossing against its "
                          "purchase order?")
    done = await chat.send(STAFF, "yes")
    assert done.text == (f"Received against purchase order {po.order_id}: 24.0 l Whole milk stocked at downtown; "
                         "the order is partially received; still owed: 36.0 l Whole milk.")


async def test_ordering_more_of_something_asks_how_much_and_drafts_after_a_yes(chat: Conversations) -> None:
    assert (await chat.send(STAFF, "order more oat milk for downtown")).text == "How much, and in which unit?"
    asked = await chat.send(STAFF, "12 litres")
    assert asked.text == ("Shall I put 12,000 ml of Oat milk (barista edition) on Go Coffee Downtown Crossing's "
                          "draft order with its supplier?")
    done = await chat.send(STAFF, "yes")
    assert [(e.tool, e.ok) for e in done.tool_events] == [("draft_purchase_order", True)]
    assert "(Charles River Dairy, draft): 1 line, $42.00" in done.text


async def test_a_shop_asks_another_for_stock_and_only_the_sender_sends_it(chat: Conversations) -> None:
    asked = await chat.send(STAFF, "request 12 croissants from harbor")
    assert asked.text == ("Shall I ask Go Coffee Seaport Harbor to send 12 of Butter croissant to Go Coffee Downtown "
                          "Crossing?")
    done = await chat.send(STAFF, "yes")
    n = re.search(r"transfer (\d+), requested", done.text)
    assert n and done.text.startswith("Asked harbor for 12 Butter croissant")
    listed = await chat.send(STAFF, "which transfers are requested?", thread_id="list")
    assert listed.text == f"#{n[1]} 12 Butter croissant harbor→downtown requested."
    await chat.send(STAFF, f"send transfer {n[1]}", thread_id="send")
    refused = await chat.send(STAFF, "yes", thread_id="send")
    assert "staff of downtown cannot act on harbor" in refused.text
