"""Changes to the cart across turns and within one sentence, by family (phrasings of this file's own; the
measured ones are in tests/graph/data/order_conversations.toml)."""

from __future__ import annotations

import json

import pytest

from gocoffee.bootstrap import Platform
from graph.app import Conversations, Reply
from tools.orders.models import OrderList
from tools.principal import Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
BOB = Principal(role=Role.CUSTOMER, id="bob", location_id="campus")
Line = tuple[str, str, int, str | None, tuple[str, ...]]


async def lines(platform: Platform) -> list[Line]:
    """Bob's newest order, line by line: item, size, quantity, milk, extras."""
    listed = await platform.gateway.call("list_orders", {}, principal=BOB)
    assert isinstance(listed, OrderList)
    newest = max(listed.orders, key=lambda o: o.order_id)
    return sorted((ln.item_id, ln.size, ln.quantity, ln.milk, tuple(ln.extras)) for ln in newest.lines)


async def talk(chat: Conversations, *turns: str) -> Reply:
    reply = None
    for text in turns:
        reply = await chat.send(BOB, text)
    assert reply is not None
    return reply


async def test_some_units_get_their_own_attributes(chat: Conversations, platform: Platform) -> None:
    await talk(chat, "three mochas, two of them with soy milk")
    assert await lines(platform) == [("mocha", "medium", 1, "whole", ()), ("mocha", "medium", 2, "soy", ())]


async def test_one_of_several_identical_units_is_split_off_and_pointed_at_later(
        chat: Conversations, platform: Platform) -> None:
    await talk(chat, "two flat whites", "make one of them small", "and put vanilla in the small one")
    assert await lines(platform) == [("flat_white", "medium", 1, "whole", ()),
                                     ("flat_white", "small", 1, "whole", ("vanilla_syrup",))]


async def test_which_of_two_different_lines_is_asked(chat: Conversations, platform: Platform) -> None:
    asked = await talk(chat, "two cappuccinos, one with almond", "could one of them be large?")
    assert asked.text == "Which one: the whole one or the almond one?"
    await talk(chat, "the almond one")
    assert await lines(platform) == [("cappuccino", "large", 1, "almond", ()),
                                     ("cappuccino", "medium", 1, "whole", ())]


async def test_swaps_removals_and_a_drink_made_iced(chat: Conversations, platform: Platform) -> None:
    await talk(chat, "a mocha, a green tea and a chocolate chip cookie", "peppermint instead",
               "actually no cookie", "oh and make the mocha iced")
    assert await lines(platform) == [("iced_mocha", "medium", 1, "whole", ()), ("peppermint_tea", "medium", 1, None, ())]
    await talk(chat, "a cortado, not a peppermint tea")
    assert [ln[0] for ln in await lines(platform)] == ["cortado", "iced_mocha"]


async def test_corrections_in_one_breath_and_a_yes_in_other_words(chat: Conversations, platform: Platform) -> None:
    await talk(chat, "a latte with skim, sorry, with oat milk")
    assert await lines(platform) == [("latte", "medium", 1, "oat", ())]
    asked = await talk(chat, "is it vegan?")
    assert asked.text.startswith("No, Latte isn't vegan as served") and asked.text.endswith("Shall I place your order?")
    placed = await talk(chat, "lovely, send it through")
    assert placed.text.startswith("Placed!")
    thanks = await talk(chat, "cheers, have a nice day")  # the offer to pay lapses; nothing moves
    assert thanks.text == "OK, I haven't charged anything." and thanks.tool_events == []
    assert (await talk(chat, "thanks again!")).text == "You're welcome! Anything else?"
    assert json.loads(placed.tool_events[-1].content)["state"] == "placed"


async def test_a_yes_taken_back_in_the_same_breath_places_nothing(chat: Conversations, platform: Platform) -> None:
    await talk(chat, "a cortado")
    held = await talk(chat, "looks fine, but hold on, my friend is still choosing")
    assert held.tool_events == [] and not held.text.startswith("Placed")
    assert (await talk(chat, "ok, now go ahead")).text.endswith("Shall I place it?")  # asked again, plainly
    assert (await talk(chat, "yes")).text.startswith("Placed!")


async def test_a_line_is_removed_by_pointing_at_it(chat: Conversations, platform: Platform) -> None:
    await talk(chat, "three americanos, one of them large", "take off the large one")
    assert await lines(platform) == [("americano", "medium", 2, None, ())]
    await talk(chat, "remove one of them")
    assert await lines(platform) == [("americano", "medium", 1, None, ())]
