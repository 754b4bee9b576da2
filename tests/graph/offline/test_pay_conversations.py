"""Paying orders by chat with the offline engine, on the real platform with the chain running: the amount and the
way to pay are said back, pay_order runs only on a clear yes, once, and refusals charge nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from gocoffee.bootstrap import Platform
from graph.app import Conversations, Reply
from tests.tools.money_helpers import give_points
from tools.principal import GUEST, Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.chain, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
ALICE = Principal(role=Role.CUSTOMER, id="alice", location_id="downtown")
BOB = Principal(role=Role.CUSTOMER, id="bob", location_id="downtown")
STAFF = Principal(role=Role.STAFF, id="s1", location_id="downtown")
YES = "Say yes to confirm."


def usd(cents: int) -> str:
    return f"${cents / 100:.2f}"


def tools(reply: Reply) -> list[tuple[str, bool]]:
    return [(e.tool, e.ok) for e in reply.tool_events]


async def top_up(platform: Platform, who: Principal, cents: int) -> None:
    await platform.gateway.call("top_up_wallet", {"customer_id": who.id, "amount_cents": cents}, principal=STAFF,
                                idempotency_key=f"top-up-{who.id}-{cents}")


async def hold_coffee(platform: Platform, who: Principal, coffees: int) -> None:
    await give_points(platform, who.id, coffees * 100)
    await platform.gateway.call("redeem_points", {"points": coffees * 100}, principal=who,
                                idempotency_key=f"redeem-{who.id}")


async def placed(platform: Platform, who: Principal, item: str, key: str) -> tuple[int, int]:
    """An order placed outside the chat: its id and total."""
    order = await platform.gateway.call("create_order", {"location_id": "downtown", "lines": [{"item_id": item}]},
                                        principal=who, idempotency_key=key)
    return order.order_id, order.total_cents  # type: ignore[attr-defined]


async def wallet(platform: Platform, who: Principal) -> tuple[int, Decimal | None]:
    w = await platform.gateway.call("get_wallet", {}, principal=who)
    return w.balance_cents, w.coffee  # type: ignore[attr-defined]


async def state_and_payments(platform: Platform, who: Principal, order_id: int) -> tuple[str, list[str]]:
    order = await platform.gateway.call("get_order", {"order_id": order_id}, principal=who)
    paid = await platform.gateway.call("list_payments", {"order_id": order_id}, principal=who)
    return order.state, [p.state for p in paid.payments]  # type: ignore[attr-defined]


async def test_an_order_placed_in_chat_is_paid_from_the_balance_once_after_a_yes(
        chat: Conversations, platform: Platform) -> None:
    await top_up(platform, ALICE, 2000)
    await chat.send(ALICE, "a latte please")
    done = await chat.send(ALICE, "yes")
    order = json.loads(done.tool_events[0].content)
    n, total = order["order_id"], order["total_cents"]
    assert done.text.endswith("We'll start on it once it's paid. Pay now from your wallet balance or with COFFEE?")
    assert tools(done) == [("place_order", True)]
    asked = await chat.send(ALICE, "from my balance")
    assert asked.text == f"Pay {usd(total)} for order {n} from your balance? You'll have {usd(2000 - total)} left. {YES}"
    assert tools(asked) == [("get_order", True), ("get_wallet", True)]
    assert await wallet(platform, ALICE) == (2000, Decimal("0.00"))
    paid = await chat.send(ALICE, "yes")
    assert tools(paid) == [("pay_order", True)]
    assert paid.text == f"Paid! Order {n} is in the queue; you earned {total // 100} points."
    assert await wallet(platform, ALICE) == (2000 - total, Decimal("0.00"))
    assert await state_and_payments(platform, ALICE, n) == ("queued", ["captured"])
    again = await chat.send(ALICE, "yes")
    assert again.tool_events == [] and "charged" not in again.text
    more = await chat.send(ALICE, "and a croissant")  # after paying, a new order starts a new cart
    assert more.text == "Your order: 1 × Croissant — $3.75. Total $3.75. Shall I place it?"
    nothing = await chat.send(ALICE, "pay for my order")
    assert nothing.text == "You don't have a placed order waiting to be paid."
    named = await chat.send(ALICE, f"pay for order {n} with my balance")
    assert named.text == f"Order {n} is already paid — it's queued."
    assert "pay_order" not in [t for t, _ in tools(nothing) + tools(named)]
    assert await wallet(platform, ALICE) == (2000 - total, Decimal("0.00"))
    assert await state_and_payments(platform, ALICE, n) == ("queued", ["captured"])


async def test_paying_with_coffee_takes_coffee_not_the_balance(chat: Conversations, platform: Platform) -> None:
    await hold_coffee(platform, ALICE, 5)
    await top_up(platform, ALICE, 2000)
    n, total = await placed(platform, ALICE, "latte", "o-1")
    due = Decimal(total) / 100
    which = await chat.send(ALICE, "pay for my order")
    assert which.text == f"Order {n} is {usd(total)}. Pay from your balance ($20.00) or with COFFEE (5.00)?"
    asked = await chat.send(ALICE, "COFFEE please")
    assert asked.text == f"Pay {due:.2f} COFFEE ({usd(total)}) for order {n}? You'll have {5 - due:.2f} COFFEE left. {YES}"
    paid = await chat.send(ALICE, "yes, pay it in COFFEE")
    assert tools(paid) == [("pay_order", True)]
    assert paid.text == f"Paid! Order {n} is in the queue; you earned {total // 100} points."
    assert await wallet(platform, ALICE) == (2000, 5 - due)
    assert await state_and_payments(platform, ALICE, n) == ("queued", ["captured"])


async def test_pay_with_coffee_tokens_names_the_way_at_once(chat: Conversations, platform: Platform) -> None:
    await hold_coffee(platform, ALICE, 5)
    n, total = await placed(platform, ALICE, "espresso", "o-1")
    due = Decimal(total) / 100
    asked = await chat.send(ALICE, f"I'd like to pay for order {n} with my COFFEE tokens.")
    assert asked.text == f"Pay {due:.2f} COFFEE ({usd(total)}) for order {n}? You'll have {5 - due:.2f} COFFEE left. {YES}"
    assert tools(await chat.send(ALICE, "yep go ahead")) == [("pay_order", True)]
    assert await wallet(platform, ALICE) == (0, 5 - due)
    assert await state_and_payments(platform, ALICE, n) == ("queued", ["captured"])


async def test_anything_but_a_clear_yes_pays_nothing(chat: Conversations, platform: Platform) -> None:
    await top_up(platform, ALICE, 2000)
    n, total = await placed(platform, ALICE, "latte", "o-1")
    ask = f"Pay {usd(total)} for order {n} from your balance? You'll have {usd(2000 - total)} left. {YES}"
    for not_yes in ("maybe", "sure?", "no", "hmm, I guess so"):
        assert (await chat.send(ALICE, "pay for my order from my wallet")).text == ask
        lapsed = await chat.send(ALICE, not_yes)
        assert lapsed.text == "OK, I haven't charged anything." and lapsed.tool_events == []
        late_yes = await chat.send(ALICE, "yes")  # the question lapsed: this yes answers nothing
        assert "pay_order" not in [t for t, _ in tools(late_yes)]
    assert await wallet(platform, ALICE) == (2000, Decimal("0.00"))
    assert await state_and_payments(platform, ALICE, n) == ("placed", [])


async def test_a_short_balance_is_said_plainly_and_nothing_is_charged(chat: Conversations, platform: Platform) -> None:
    await top_up(platform, ALICE, 200)
    n, total = await placed(platform, ALICE, "latte", "o-1")
    short = await chat.send(ALICE, "pay for my order with my balance")
    assert short.text == f"Your balance is $2.00, short of {usd(total)} for order {n} — staff can top it up at the till."
    assert "pay_order" not in [t for t, _ in tools(short)]
    assert (await chat.send(ALICE, "yes")).tool_events == []
    assert await wallet(platform, ALICE) == (200, Decimal("0.00"))
    assert await state_and_payments(platform, ALICE, n) == ("placed", [])


async def test_a_balance_spent_between_the_question_and_the_yes_is_refused_by_the_tool(
        chat: Conversations, platform: Platform) -> None:
    first, total = await placed(platform, ALICE, "cortado", "o-1")
    second, other = await placed(platform, ALICE, "cortado", "o-2")
    await top_up(platform, ALICE, total + other - 1)
    asked = await chat.send(ALICE, f"pay for order {first} from my wallet")
    assert asked.text.startswith(f"Pay {usd(total)} for order {first} from your balance?")
    await platform.gateway.call("pay_order", {"order_id": second}, principal=ALICE, idempotency_key="till")
    refused = await chat.send(ALICE, "yes")
    assert tools(refused) == [("pay_order", False), ("get_wallet", True)]
    assert refused.text == (f"Your balance is {usd(total - 1)}, short of {usd(total)} for order {first} — staff can "
                            "top it up at the till. Nothing was charged.")
    assert await state_and_payments(platform, ALICE, first) == ("placed", [])
    assert await wallet(platform, ALICE) == (total - 1, Decimal("0.00"))


async def test_paying_with_nothing_placed_charges_nothing(chat: Conversations, platform: Platform) -> None:
    await top_up(platform, ALICE, 2000)
    await chat.send(ALICE, "a flat white")  # a cart, not placed
    reply = await chat.send(ALICE, "pay for my order")
    assert reply.text == "You don't have a placed order waiting to be paid."
    assert tools(reply) == [("list_orders", True), ("get_wallet", True)]
    assert "pay_order" not in [t for t, _ in tools(await chat.send(ALICE, "yes"))]
    assert await wallet(platform, ALICE) == (2000, Decimal("0.00"))


async def test_another_customer_s_order_is_not_found_and_nothing_is_charged(
        chat: Conversations, platform: Platform) -> None:
    await top_up(platform, ALICE, 2000)
    bobs, _ = await placed(platform, BOB, "mocha", "o-bob")
    mine, _ = await placed(platform, ALICE, "cortado", "o-alice")
    reply = await chat.send(ALICE, f"pay for order {bobs} with my balance")
    assert reply.text == f"I couldn't find order {bobs} among your orders, so nothing was charged."
    assert tools(reply) == [("get_order", False), ("get_wallet", True)]
    assert (await chat.send(ALICE, "yes")).tool_events == []
    assert await state_and_payments(platform, BOB, bobs) == ("placed", [])
    assert await state_and_payments(platform, ALICE, mine) == ("placed", [])
    assert await wallet(platform, ALICE) == (2000, Decimal("0.00"))


async def test_with_two_orders_placed_the_barista_asks_which_and_a_switch_is_asked_again(
        chat: Conversations, platform: Platform) -> None:
    await top_up(platform, ALICE, 2000)
    first, total = await placed(platform, ALICE, "latte", "o-1")
    second, other = await placed(platform, ALICE, "cortado", "o-2")
    which = await chat.send(ALICE, "pay from my wallet")
    assert which.text == (f"Orders {second} ({usd(other)}) and {first} ({usd(total)}) are waiting to be paid. "
                          "Which one?")
    asked = await chat.send(ALICE, f"order {first}")
    assert asked.text.startswith(f"Pay {usd(total)} for order {first} from your balance?")
    switched = await chat.send(ALICE, f"Sorry, wrong one. Not order {first}: pay order {second} instead.")
    assert switched.text.startswith(f"Pay {usd(other)} for order {second} from your balance?")
    paid = await chat.send(ALICE, f"Yes, pay order {second}.")
    assert tools(paid) == [("pay_order", True)]
    assert await state_and_payments(platform, ALICE, second) == ("queued", ["captured"])
    assert await state_and_payments(platform, ALICE, first) == ("placed", [])
    assert await wallet(platform, ALICE) == (2000 - other, Decimal("0.00"))


async def test_cards_guests_and_staff_are_told_where_to_pay(chat: Conversations, platform: Platform) -> None:
    n, _ = await placed(platform, ALICE, "latte", "o-1")
    card = await chat.send(ALICE, "pay by card")
    assert card.text.startswith("I can't take card details in chat: pay by card in the Go Coffee app or at the till.")
    guest = await chat.send(GUEST, "pay for my order")
    assert guest.text == "Sorry, only signed-in customers can pay for an order, and you're chatting as a guest."
    staff = await chat.send(STAFF, f"pay for order {n}")
    assert staff.agent == "barista" and staff.text.startswith("Paying by chat is for the customer")
    assert [r.tool_events for r in (card, guest, staff)] == [[], [], []]
    assert await state_and_payments(platform, ALICE, n) == ("placed", [])


async def test_a_paid_order_cancelled_on_a_yes_goes_back_to_the_wallet(chat: Conversations, platform: Platform) -> None:
    await top_up(platform, ALICE, 2000)
    n, total = await placed(platform, ALICE, "latte", "o-1")
    await platform.gateway.call("pay_order", {"order_id": n}, principal=ALICE, idempotency_key="till")
    assert (await chat.send(ALICE, f"please cancel my order {n}")).text == f"Shall I cancel order {n}?"
    done = await chat.send(ALICE, "Yes, cancel it.")
    assert tools(done) == [("cancel_order", True)]
    assert done.text == f"Done: order {n} is cancelled and its {usd(total)} refunded to where it was paid from."
    assert await state_and_payments(platform, ALICE, n) == ("refunded", ["refunded"])
    assert (await wallet(platform, ALICE))[0] == 2000
