"""Conversations the frame skill gives a capability from its input model and its declared `Talk`, with no code of
its own: stock changes and order moves, through the real graph, gateway and store."""

from __future__ import annotations

import re

import pytest

from gocoffee.bootstrap import Platform
from graph.app import Conversations
from tests.graph.offline.test_kitchen_conversations import (
    ALICE,
    MANAGER,
    STAFF,
    decide,
    pending_approvals,
    queued,
    tools,
)
from tools.inventory import StockReport

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
HERE = {"location_id": "downtown"}


async def stock(platform: Platform, ingredient: str, shop: str = "downtown") -> int:
    found = await platform.gateway.call("get_stock", {"location_id": shop, "ingredient_id": ingredient},
                                        principal=MANAGER)
    assert isinstance(found, StockReport)
    return found.levels[0].quantity


async def test_a_delivery_is_said_back_confirmed_approved_and_recorded(chat: Conversations, platform: Platform) -> None:
    before = await stock(platform, "oat_milk")
    asked = await chat.send(STAFF, "we got 6 litres of oat milk in")
    assert asked.agent == "inventory_manager" and asked.tool_events == []
    assert asked.text == ("Shall I record +6,000 ml of Oat milk (barista edition) at Go Coffee Downtown Crossing "
                          '("we got 6 litres of oat milk in")?')
    waiting = await chat.send(STAFF, "yes please")
    assert waiting.pending_approval is not None and await pending_approvals(platform) == [
        ("adjust_stock", {**HERE, "ingredient_id": "oat_milk", "delta": 6000,
                          "reason": "we got 6 litres of oat milk in"})]
    done = await decide(chat, platform, waiting, MANAGER, "approve")
    assert done.text == f"Recorded: Oat milk (barista edition) at downtown is now {before + 6000:,} ml."
    assert await stock(platform, "oat_milk") == before + 6000


async def test_a_missing_shop_is_asked_for_and_a_no_changes_nothing(chat: Conversations, platform: Platform) -> None:
    before = await stock(platform, "espresso_beans", "campus")
    assert (await chat.send(MANAGER, "restock 2.5 kg of espresso beans")).text == "Which shop?"
    confirm = await chat.send(MANAGER, "campus")
    assert confirm.text.startswith("Shall I record +2,500 g of Espresso beans (house roast) at Go Coffee Harvard Square")
    assert (await chat.send(MANAGER, "no, leave it")).text == "OK, nothing changed."
    assert await pending_approvals(platform) == [] and await stock(platform, "espresso_beans", "campus") == before


async def test_a_change_before_the_yes_is_said_back_again(chat: Conversations, platform: Platform) -> None:
    before = await stock(platform, "whole_milk")
    first = await chat.send(STAFF, "we wasted 2 litres of whole milk, it went off")
    assert first.text == "Shall I write off 2,000 ml Whole milk at Go Coffee Downtown Crossing (expired)?"
    again = await chat.send(STAFF, "no, 3 litres")
    assert again.text == "Shall I write off 3,000 ml Whole milk at Go Coffee Downtown Crossing (expired)?"
    assert (await chat.send(STAFF, "perhaps")).text.startswith("I need a clear yes")
    done = await chat.send(STAFF, "yes")
    assert tools(done) == [("record_waste", True)] and await stock(platform, "whole_milk") == before - 3000


async def test_what_cannot_be_done_is_refused_before_anything_is_asked(chat: Conversations, platform: Platform) -> None:
    huge = await chat.send(STAFF, "restock 5000 litres of oat milk")
    assert huge.text.startswith("Sorry, I can't do that: the delta is not right") and huge.tool_events == []
    unclear = await chat.send(STAFF, "restock 4 litres of milk")
    assert unclear.text == "Which ingredient?"
    assert (await chat.send(STAFF, "soy")).text.startswith("Shall I record +4,000 ml of Soy milk")
    assert await pending_approvals(platform) == []


async def test_an_order_is_moved_along_after_a_yes(chat: Conversations, platform: Platform) -> None:
    n = await queued(platform, [{"item_id": "cortado"}], "frame-1")
    asked = await chat.send(STAFF, f"order {n} has been picked up")
    assert asked.agent == "task_manager" and asked.text == f"Shall I mark order {n} collected?"
    refused = await chat.send(STAFF, "yes")
    assert tools(refused) == [("advance_order", False)] and "cannot become collected" in refused.text
    assert (await chat.send(STAFF, f"mark order {n} ready")).text == f"Shall I mark order {n} ready?"
    done = await chat.send(STAFF, "sure, go ahead")
    assert tools(done) == [("advance_order", True)] and done.text == f"Order {n} is now ready."
    which = await chat.send(STAFF, "mark it as ready")
    assert which.text == "Which order? Please tell me its number."
    customer = await chat.send(ALICE, f"mark order {n} collected")
    assert not customer.tool_events and customer.agent == "barista"



async def test_queued_drinks_are_sent_to_the_machines_on_a_yes(chat: Conversations, platform: Platform) -> None:
    await queued(platform, [{"item_id": "cortado"}], "frame-dispatch")
    asked = await chat.send(STAFF, "dispatch the queue please")
    assert asked.text == "Shall I send the queued drinks at Go Coffee Downtown Crossing to free machines now?"
    sent = await chat.send(STAFF, "yes")
    assert tools(sent) == [("dispatch_drinks", True)]
    assert re.fullmatch(r"Sent \d+ drinks to machines at downtown; \d+ still waiting\.", sent.text), sent.text
