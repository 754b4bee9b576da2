"""The inventory manager's forecasting conversations, given by the frame skill from the stock capabilities' input
models and `Talk` (no code of their own): a forecast for an item or an ingredient, and how long stock lasts."""

from __future__ import annotations

import pytest

from gocoffee.bootstrap import Platform
from graph.app import Conversations
from tests.days import shop_today
from tools.principal import Principal
from tools.stock.models import DaysOfCover, DemandForecast, PurchaseOrderList

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
