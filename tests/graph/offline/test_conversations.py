"""Whole conversations with the offline engine through the real graph, gateway and store."""

from __future__ import annotations

import json

import pytest

from gocoffee.bootstrap import Platform
from graph.app import Conversations
from tests.conftest import Probe
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio
ALICE = Principal(role=Role.CUSTOMER, id="alice", location_id="downtown")


async def latest_orders(chat: Conversations, who: Principal) -> list[dict]:
    reply = await chat.send(who, "where is my order")
    listed = json.loads(reply.tool_events[0].content)
    return listed["orders"]


async def test_order_with_confirmation_places_the_right_lines(chat: Conversations, probe: Probe) -> None:
    quote = await chat.send(ALICE, "two large oat lattes and a croissant please")
    assert quote.model_calls == 2 and "Shall I place it?" in quote.text
    assert "2 × large Latte (oat milk)" in quote.text and "1 × Croissant" in quote.text
    cart = json.loads(quote.tool_events[0].content)
    placed = await chat.send(ALICE, "yes")
    order = json.loads(placed.tool_events[0].content)
    assert placed.text.startswith(f"Placed! Order {order['order_id']}") and order["state"] == "placed"
    assert order["order_id"] == cart["order_id"] and order["total_cents"] == cart["total_cents"]
    assert [(ln["item_id"], ln["size"], ln["quantity"], ln.get("milk")) for ln in order["lines"]] == [
        ("latte", "large", 2, "oat"), ("croissant", "regular", 1, None)]


async def test_corrections_mid_order_change_the_cart(chat: Conversations) -> None:
    await chat.send(ALICE, "a latte and a blueberry muffin")
    bigger = await chat.send(ALICE, "make the latte a large with oat milk")
    assert "1 × large Latte (oat milk)" in bigger.text
    more = await chat.send(ALICE, "actually two lattes")
    assert "2 × large Latte (oat milk)" in more.text
    fewer = await chat.send(ALICE, "remove the muffin")
    assert "Muffin" not in fewer.text and "Shall I place it?" in fewer.text
    placed = await chat.send(ALICE, "yes please")
    assert [ln["item_id"] for ln in json.loads(placed.tool_events[0].content)["lines"]] == ["latte"]


async def test_no_order_is_placed_without_a_yes(chat: Conversations, probe: Probe) -> None:
    await chat.send(ALICE, "a flat white")
    declined = await chat.send(ALICE, "no, not yet")
    assert "haven't placed" in declined.text
    orders = await latest_orders(chat, ALICE)
    assert [o["state"] for o in orders] == ["draft"]


async def test_ambiguous_or_unknown_requests_get_a_question_and_no_order(chat: Conversations, probe: Probe) -> None:
    unknown = await chat.send(ALICE, "can i get a unicorn frappe")
    assert "don't have" in unknown.text and unknown.tool_events == []
    hot_only = await chat.send(ALICE, "an iced cappuccino")
    assert "only serve Cappuccino hot" in hot_only.text and hot_only.tool_events == []
    assert await probe.orders() == 0


async def test_status_and_cancel_after_placing(chat: Conversations) -> None:
    await chat.send(ALICE, "one americano")
    placed = json.loads((await chat.send(ALICE, "yes")).tool_events[0].content)
    status = await chat.send(ALICE, "where is my order?")
    assert f"Order {placed['order_id']} is placed" in status.text
    ask = await chat.send(ALICE, f"cancel order {placed['order_id']}")
    assert ask.text == f"Shall I cancel order {placed['order_id']}?" and ask.tool_events == []
    done = await chat.send(ALICE, "yes")
    assert json.loads(done.tool_events[0].content)["state"] == "cancelled"


async def test_menu_questions_are_answered_from_the_menu_tools(chat: Conversations) -> None:
    price = await chat.send(ALICE, "how much is a latte?")
    assert "$3.75 small" in price.text and price.tool_events[0].tool == "get_menu_item"
    vegan = await chat.send(ALICE, "is the croissant vegan?")
    assert vegan.text.startswith("No, Croissant isn't vegan")
    milks = await chat.send(ALICE, "what milks do you have?")
    assert "Oat" in milks.text and "(+$0.70)" in milks.text


async def test_staff_stock_question_reaches_the_inventory_manager(chat: Conversations) -> None:
    reply = await chat.send(Principal(role=Role.STAFF, id="s1", location_id="campus"),
                            "how much oat milk is in stock?")
    assert reply.agent == "inventory_manager" and reply.model_calls == 2
    assert "Oat milk" in reply.text and "campus" in reply.text


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_a_new_menu_item_is_understood_without_code_changes(platform: Platform) -> None:
    from graph.offline.menu import menu_facts
    from graph.offline.parse import Intent, parse
    from graph.offline.vocab import Vocabulary, load_lexicon
    from store.menu import ItemPrice, MenuItem, RecipeComponent

    async with platform.db.writer() as session, session.begin():
        session.add(MenuItem(id="pumpkin_spice_latte", name="Pumpkin Spice Latte", category="espresso",
                             description="Seasonal.", vegan=False, caffeinated=True, temperature="hot",
                             allergens=["milk"], milk_ml=200, default_milk="whole", accepts_extras=True))
        await session.flush()
        session.add(ItemPrice(item_id="pumpkin_spice_latte", size="medium", price_cents=525))
        session.add(RecipeComponent(item_id="pumpkin_spice_latte", ingredient_id="espresso_beans", amount=18))
    platform.runtime.catalog.invalidate()
    vocab = Vocabulary(load_lexicon(), await menu_facts(platform.gateway))
    parsed = parse(vocab, "two pumpkin spice lattes with oat milk")
    assert parsed.intent == Intent.ORDER
    assert [(m.item_id, m.quantity, m.milk) for m in parsed.mentions] == [("pumpkin_spice_latte", 2, "oat")]


async def test_staff_move_an_order_along_through_the_task_manager(chat: Conversations) -> None:
    await chat.send(ALICE, "a cortado")
    order_id = json.loads((await chat.send(ALICE, "yes")).tool_events[0].content)["order_id"]
    staff = Principal(role=Role.STAFF, id="s2", location_id="downtown")
    asked = await chat.send(staff, f"mark order {order_id} as paid")
    assert asked.agent == "task_manager" and asked.text == f"Shall I mark order {order_id} paid?"
    paid = await chat.send(staff, "yes")
    assert paid.text == f"Order {order_id} is now queued.", "paid goes to the kitchen"
    await chat.send(staff, f"mark order {order_id} collected")
    illegal = await chat.send(staff, "yes")
    assert "cannot become collected" in illegal.text and not illegal.tool_events[0].ok
    assert "queued" in (await chat.send(ALICE, f"what's the status of order {order_id}?")).text


async def test_a_customer_without_a_shop_is_asked_which_one(chat: Conversations) -> None:
    nomad = Principal(role=Role.CUSTOMER, id="nomad")
    asked = await chat.send(nomad, "two croissants")
    assert asked.text.startswith("Which shop") and asked.tool_events == []
    cart = await chat.send(nomad, "the seaport one please")
    order = json.loads(cart.tool_events[0].content)
    assert (order["location_id"], order["lines"][0]["item_id"], order["lines"][0]["quantity"]) == (
        "harbor", "croissant", 2)


async def test_an_allergen_question_is_answered_for_that_allergen(chat: Conversations) -> None:
    gluten = await chat.send(ALICE, "I'm coeliac - does the vegan oat cookie have gluten?")
    assert gluten.text.startswith("Yes: Vegan Oat Cookie contains") and "gluten" in gluten.text
    sesame = await chat.send(ALICE, "does the croissant have sesame in it?")
    assert sesame.text.startswith("No, Croissant has no sesame listed.")


async def test_maybe_later_orders_nothing(chat: Conversations, probe: Probe) -> None:
    await chat.send(ALICE, "how much is a large chai latte?")
    later = await chat.send(ALICE, "ok thanks, maybe later")
    assert later.tool_events == [] and "latte" not in later.text.lower()
    assert await probe.orders() == 0


async def test_a_word_for_several_items_gets_a_question_listing_them(chat: Conversations) -> None:
    which = await chat.send(ALICE, "I'd like a tea please")
    assert which.tool_events == [] and "Earl Grey Tea" in which.text and "Green Tea" in which.text
    tea = await chat.send(ALICE, "Earl Grey please, medium")
    assert "1 × medium Earl Grey Tea" in tea.text
    cookie = await chat.send(ALICE, "and a cookie")
    assert "Chocolate Chip Cookie or Vegan Oat Cookie" in cookie.text
    picked = await chat.send(ALICE, "the chocolate chip one please")
    assert "Chocolate Chip Cookie" in picked.text and "Earl Grey Tea" in picked.text
    dropped = await chat.send(ALICE, "drop the cookie")
    assert "Cookie" not in dropped.text and "Earl Grey Tea" in dropped.text


async def test_removing_one_of_several_lowers_the_quantity(chat: Conversations) -> None:
    await chat.send(ALICE, "three croissants and a latte")
    fewer = await chat.send(ALICE, "remove one of the croissants, two is enough")
    assert "2 × Croissant" in fewer.text and "Latte" in fewer.text


async def test_a_removal_sentence_takes_back_only_what_it_names(chat: Conversations) -> None:
    await chat.send(ALICE, "a blueberry muffin")
    swapped = await chat.send(ALICE, "I'll skip the muffin. An avocado toast then.")
    assert "Avocado Toast" in swapped.text and "Muffin" not in swapped.text
    kept = await chat.send(ALICE, "OK, forget the name. Just a medium latte then.")
    assert "Avocado Toast" in kept.text and "1 × medium Latte" in kept.text


async def test_the_order_to_cancel_can_be_named_in_the_answer(chat: Conversations, platform: Platform) -> None:
    made = await platform.gateway.call("create_order", {"location_id": "downtown", "lines": [{"item_id": "mocha"}]},
                                       principal=ALICE, idempotency_key="o-1")
    number = made.order_id  # type: ignore[attr-defined]
    which = await chat.send(ALICE, "cancel my mocha order please")
    assert which.text == "Which order should I cancel? Please tell me its number." and which.tool_events == []
    named = await chat.send(ALICE, f"It's order number {number}.")
    assert named.text == f"Shall I cancel order {number}?"
    done = await chat.send(ALICE, "yes")
    assert json.loads(done.tool_events[0].content)["state"] == "cancelled"


async def test_an_answer_to_what_could_not_be_made_completes_the_order(chat: Conversations, probe: Probe) -> None:
    asked = await chat.send(ALICE, "a large cortado please")
    assert "Which would you like?" in asked.text and asked.tool_events == []
    fixed = await chat.send(ALICE, "ah ok, a small one then")
    assert "1 × small Cortado" in fixed.text
