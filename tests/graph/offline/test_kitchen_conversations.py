"""Staff work the kitchen and ask for refunds by chat with the offline engine, on the real platform: the queue and
the machines in plain words, machine commands sent to the machine named (interlock refusals said with the tool's
reason, nothing sent), maintenance and refunds waiting for a human's decision, a refund said back and asked for only
on a clear yes. Machines report their state straight into the store (tests/tools/test_kitchen.py's helpers)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from devices.protocol import Status
from gocoffee.bootstrap import Platform
from graph.app import Conversations, Reply
from store.kitchen import MachineCommand
from tests.tools.test_kitchen import outbox, report, state
from tools.principal import Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
STAFF = Principal(role=Role.STAFF, id="s1", location_id="downtown")
COLLEAGUE = Principal(role=Role.STAFF, id="s2", location_id="downtown")
CAMPUS_STAFF = Principal(role=Role.STAFF, id="s8", location_id="campus")
MANAGER = Principal(role=Role.MANAGER, id="m1")
ALICE = Principal(role=Role.CUSTOMER, id="alice", location_id="downtown")
LATTE = [{"item_id": "latte", "size": "large", "milk": "oat"}]
ASK_REFUND = ("A refund I ask for waits for a staff member's approval (a manager's for large ones). "
              "Shall I ask for it?")


def usd(cents: int) -> str:
    return f"${cents / 100:.2f}"


def tools(reply: Reply) -> list[tuple[str, bool]]:
    return [(e.tool, e.ok) for e in reply.tool_events]


async def queued(platform: Platform, lines: list[dict[str, Any]], key: str) -> int:
    """An order placed by Alice and paid at the till: its drinks wait in the kitchen queue."""
    order = await platform.gateway.call("create_order", {"location_id": "downtown", "lines": lines},
                                        principal=ALICE, idempotency_key=key)
    await platform.gateway.call("advance_order", {"order_id": order.order_id, "to_state": "paid"},  # type: ignore[attr-defined]
                                principal=STAFF)
    return int(order.order_id)  # type: ignore[attr-defined]


async def paid_from_wallet(platform: Platform, lines: list[dict[str, Any]], key: str) -> tuple[int, int]:
    """An order Alice paid from her wallet ($100 topped up first): its id and total."""
    gw = platform.gateway
    await gw.call("top_up_wallet", {"customer_id": "alice", "amount_cents": 10_000}, principal=STAFF,
                  idempotency_key=f"top-up-{key}")
    order = await gw.call("create_order", {"location_id": "downtown", "lines": lines}, principal=ALICE,
                          idempotency_key=key)
    await gw.call("pay_order", {"order_id": order.order_id}, principal=ALICE, idempotency_key=f"pay-{key}")  # type: ignore[attr-defined]
    return int(order.order_id), int(order.total_cents)  # type: ignore[attr-defined]


async def drinks(platform: Platform) -> list[tuple[str, str, str | None]]:
    queue = await platform.gateway.call("get_kitchen_queue", {"location_id": "downtown"}, principal=STAFF)
    return [(d.drink_id, d.state.value, d.machine_id) for d in queue.drinks]  # type: ignore[attr-defined]


async def payloads(platform: Platform, kind: str) -> list[dict[str, Any]]:
    async with platform.db.reader() as session:
        rows = await session.scalars(select(MachineCommand.payload).where(MachineCommand.kind == kind))
        return [json.loads(r) for r in rows]


async def pending_approvals(platform: Platform) -> list[tuple[str, dict[str, Any]]]:
    found = await platform.gateway.call("list_approvals", {}, principal=MANAGER)
    return [(a.tool, a.arguments) for a in found.approvals]  # type: ignore[attr-defined]


async def decide(chat: Conversations, platform: Platform, waiting: Reply, who: Principal, decision: str) -> Reply:
    assert waiting.pending_approval is not None
    decided = await platform.gateway.call("decide_approval", {
        "approval_id": waiting.pending_approval["approval_id"], "decision": decision}, principal=who)
    return await chat.resume(decided.model_dump(mode="json"))


async def wallet(platform: Platform) -> int:
    return int((await platform.gateway.call("get_wallet", {}, principal=ALICE)).balance_cents)  # type: ignore[attr-defined]


async def test_staff_hear_what_is_waiting_in_the_kitchen(chat: Conversations, platform: Platform) -> None:
    empty = await chat.send(STAFF, "what's in the queue?")
    assert empty.agent == "task_manager" and empty.text == "Nothing is waiting at downtown."
    first = await queued(platform, LATTE, "q-1")
    second = await queued(platform, [{"item_id": "cappuccino"}, {"item_id": "croissant"}], "q-2")
    waiting = await chat.send(STAFF, "What drinks are waiting in the kitchen queue right now?")
    assert tools(waiting) == [("get_kitchen_queue", True)]
    assert waiting.text == (f"Waiting at downtown (2 drinks): order {first}: large Latte (oat milk), queued; "
                            f"order {second}: medium Cappuccino (whole milk), queued.")


async def test_staff_hear_how_the_machines_are_in_plain_words(chat: Conversations, platform: Platform) -> None:
    await report(platform, state("m1", Status.IDLE), state("m2", Status.FAULT, fault="grinder_jam"),
                 state("m3", Status.IDLE, water_ml=100), state("m4", Status.MAINTENANCE))
    overview = await chat.send(STAFF, "How are the espresso machines doing? Any problems?")
    assert overview.agent == "task_manager" and tools(overview) == [("list_machines", True)]
    assert overview.text == ("Machines at downtown: m1 is idle; m2 has a fault: grinder jam; m3 is idle "
                             "(low on water: 100 ml); m4 is in maintenance.")
    one = await chat.send(STAFF, "status of m2")
    assert tools(one) == [("get_machine", True)]
    assert one.text.startswith("m2 has a fault: grinder jam. Water 2500 ml, beans 800 g")


async def test_a_brew_goes_to_the_machine_named_and_the_order_is_not_moved_by_hand(
        chat: Conversations, platform: Platform) -> None:
    await report(platform, state("m1", Status.IDLE), state("m2", Status.IDLE))
    first = await queued(platform, LATTE, "b-1")
    second = await queued(platform, [{"item_id": "cortado"}], "b-2")
    brew = await chat.send(STAFF, f"Start brewing order {first}'s latte on machine m1.")
    assert brew.agent == "task_manager" and tools(brew) == [("get_kitchen_queue", True), ("start_brew", True)]
    drink = f"{first}-" + (await drinks(platform))[0][0].split("-", 1)[1]
    assert brew.text == f"Sent large Latte (oat milk) for order {first} (drink {drink}) to m1 to brew."
    following = await chat.send(STAFF, "brew the next drink on m2")
    assert tools(following) == [("get_kitchen_queue", True), ("start_brew", True)]
    assert f"for order {second}" in following.text and following.text.endswith("to m2 to brew.")
    assert await outbox(platform) == [("m1", "brew"), ("m2", "brew")]
    assert [(s, m) for _, s, m in await drinks(platform)] == [("dispatched", "m1"), ("dispatched", "m2")]
    nothing = await chat.send(STAFF, f"brew order {first} on m2")
    assert tools(nothing) == [("get_kitchen_queue", True)]
    assert nothing.text == f"No drink of order {first} is waiting in the queue at downtown, so I haven't started anything."


async def test_interlock_refusals_are_said_plainly_and_nothing_is_sent(chat: Conversations, platform: Platform) -> None:
    await report(platform, state("m1", Status.DESCALING), state("m2", Status.BREWING),
                 state("m3", Status.FAULT, fault="low_water", water_ml=100))
    order = await queued(platform, [{"item_id": "cappuccino"}], "i-1")
    brew = await chat.send(STAFF, f"Start brewing order {order}'s cappuccino on machine m1.")
    assert tools(brew) == [("get_kitchen_queue", True), ("start_brew", False)]
    assert brew.text == ("I can't brew on m1 right now: cannot brew while descaling. Wait for the descale to finish, "
                         "or use another machine. Nothing was sent to the machine.")
    descale = await chat.send(STAFF, "Descale machine m2 now.")
    assert descale.text == ("I can't descale m2 right now: cannot descale while brewing. Let the brew finish (or stop "
                            "it) first. Nothing was sent to the machine.")
    clear = await chat.send(STAFF, "clear the fault on m3")
    assert clear.text == "I can't clear the fault on m3 right now: refill the water first (100 ml). Nothing was sent to the machine."
    other_shop = await chat.send(STAFF, "descale machine m1 at the campus shop")
    assert other_shop.text == "Sorry, that didn't work: staff of downtown cannot act on campus."
    assert await outbox(platform) == [] and [s for _, s, _ in await drinks(platform)] == ["queued"]


async def test_descale_clear_stop_and_refill_go_to_the_machine_named(chat: Conversations, platform: Platform) -> None:
    await report(platform, state("m1", Status.FAULT, fault="descaling_due"), state("m2", Status.FAULT,
                 fault="grinder_jam"), state("m3", Status.BREWING), state("m4", Status.IDLE, water_ml=250, beans_g=30))
    said = [await chat.send(STAFF, text) for text in (
        "Machine m1 says descaling is due. Descale m1.", "clear the grinder jam on m2", "stop m3",
        "I just refilled machine m4: 1500 ml of water and 500 g of beans.")]
    assert [r.text for r in said] == [
        "Descale sent to m1; it can't brew until the cycle is done.", "Sent m2 the command to clear its fault.",
        "Told m3 to stop.", "Recorded the refill of m4: 1500 ml of water and 500 g of beans."]
    assert await outbox(platform) == [("m1", "descale"), ("m2", "clear_fault"), ("m3", "stop"), ("m4", "refill")]
    asked = await chat.send(STAFF, "refill m4")
    assert asked.tool_events == [] and asked.text == "How much did you put into m4: water in ml and/or beans in grams?"
    refilled = await chat.send(STAFF, "2 litres of water and 1 kg of beans")
    assert tools(refilled) == [("refill_machine", True)]
    assert [(p["water_ml"], p["beans_g"]) for p in await payloads(platform, "refill")] == [(1500, 500), (2000, 1000)]
    which = await chat.send(STAFF, "descale the machine")
    assert which.tool_events == [] and which.text.startswith("Which machine?")


async def test_maintenance_waits_for_a_staff_decision_then_runs_or_not(chat: Conversations, platform: Platform) -> None:
    await report(platform, state("m1", Status.IDLE), state("m2", Status.MAINTENANCE))
    waiting = await chat.send(STAFF, "The steam wand on machine m1 is leaking. Put m1 into maintenance.")
    assert waiting.agent == "task_manager" and waiting.text.startswith("That needs a staff decision first")
    assert await pending_approvals(platform) == [
        ("set_maintenance", {"location_id": "downtown", "machine_id": "m1", "on": True})]
    assert await outbox(platform) == [], "nothing reaches the machine before a human approves"
    approved = await decide(chat, platform, waiting, MANAGER, "approve")
    assert approved.text == "m1 is going into maintenance." and await outbox(platform) == [("m1", "maintenance")]
    back = await chat.send(STAFF, "Take m2 out of maintenance and back into service.")
    assert await pending_approvals(platform) == [
        ("set_maintenance", {"location_id": "downtown", "machine_id": "m2", "on": False})]
    rejected = await decide(chat, platform, back, MANAGER, "reject")
    assert "rejected" in rejected.text and await outbox(platform) == [("m1", "maintenance")]


async def test_a_refund_is_said_back_asked_for_on_a_yes_and_runs_once_approved(
        chat: Conversations, platform: Platform) -> None:
    n, total = await paid_from_wallet(platform, LATTE, "r-1")
    asked = await chat.send(STAFF, f"refund $1.50 on order {n}, it was cold")
    assert asked.agent == "task_manager" and tools(asked) == [("list_payments", True)]
    assert asked.text == (f"Refund $1.50 of order {n} (paid {usd(total)}) to the customer's wallet balance, reason: "
                          f"drink was cold? {ASK_REFUND}")
    assert await pending_approvals(platform) == [], "nothing is asked for before the yes"
    waiting = await chat.send(STAFF, "yes")
    assert waiting.text.startswith("That needs a staff decision first (refund_payment")
    assert await pending_approvals(platform) == [
        ("refund_payment", {"order_id": n, "amount_cents": 150, "reason": "drink was cold"})]
    assert await wallet(platform) == 10_000 - total, "no money moves before the approval"
    done = await decide(chat, platform, waiting, COLLEAGUE, "approve")
    assert done.text == (f"Refunded $1.50 of order {n} to the customer's wallet balance. {usd(total - 150)} of its "
                         "payment is left.")
    assert await wallet(platform) == 10_000 - total + 150


async def test_a_refund_without_a_reason_asks_for_one_and_only_a_clear_yes_asks_for_it(
        chat: Conversations, platform: Platform) -> None:
    n, total = await paid_from_wallet(platform, LATTE, "r-2")
    why = await chat.send(STAFF, f"refund order {n}")
    assert why.text == f"What's the reason for refunding {usd(total)} of order {n}? It goes on the record."
    said_back = await chat.send(STAFF, "the customer changed their mind")
    assert said_back.text == (f"Refund all {usd(total)} of order {n} (paid {usd(total)}) to the customer's wallet "
                              f"balance, reason: the customer changed their mind? {ASK_REFUND}")
    unsure = await chat.send(STAFF, "maybe")
    assert unsure.text == "I need a clear yes for that. OK, I haven't asked for a refund."
    again = await chat.send(STAFF, f"refund order {n} in full, the drinks were spilled")
    assert "reason: drinks spilled?" in again.text
    assert (await chat.send(STAFF, "no")).text == "OK, I haven't asked for a refund."
    late = await chat.send(STAFF, "yes")
    assert late.tool_events == [] and late.pending_approval is None
    assert await pending_approvals(platform) == [] and await wallet(platform) == 10_000 - total


async def test_a_big_refund_approved_by_staff_alone_is_refused_plainly(chat: Conversations, platform: Platform) -> None:
    n, total = await paid_from_wallet(platform, [{"item_id": "latte", "size": "large", "quantity": 6}], "r-3")
    await chat.send(STAFF, f"Refund order {n} in full: the tray was dropped at the counter.")
    waiting = await chat.send(STAFF, "yes, go ahead")
    assert await pending_approvals(platform) == [("refund_payment", {"order_id": n, "reason": "drinks spilled"})]
    refused = await decide(chat, platform, waiting, COLLEAGUE, "approve")
    assert refused.text == ("Sorry, that refund didn't go through: refunds above $20.00 need a manager's approval. "
                            "Nothing was refunded.")
    assert await wallet(platform) == 10_000 - total


async def test_refunds_outside_the_shop_or_beyond_the_payment_are_refused(
        chat: Conversations, platform: Platform) -> None:
    n, total = await paid_from_wallet(platform, LATTE, "r-4")
    other = await chat.send(CAMPUS_STAFF, f"Refund order {n} in full, the customer came over to complain about it.")
    assert other.text == f"Sorry, I can't refund order {n}: staff of campus cannot act on downtown."
    too_much = await chat.send(STAFF, f"refund $50 on order {n}, wrong drink")
    assert too_much.text == (f"Only {usd(total)} of order {n}'s payment is left to refund, not $50.00. How much should "
                             "I refund?")
    less = await chat.send(STAFF, "$1")
    assert less.text.startswith(f"Refund $1.00 of order {n} (paid {usd(total)})") and "reason: wrong drink?" in less.text
    half = await chat.send(STAFF, f"refund half of order {n}, it was cold")
    assert half.tool_events == [] and half.text == f"How much of order {n} should I refund, in dollars?"
    assert (await chat.send(STAFF, "never mind")).text == "OK, I haven't asked for a refund."
    unpaid = await chat.send(STAFF, "refund order 99, it was cold")
    assert unpaid.text == "Sorry, I can't refund order 99: no order 99."
    assert await pending_approvals(platform) == []


async def test_orders_still_move_along_and_drinks_are_marked_made_by_hand(
        chat: Conversations, platform: Platform) -> None:
    n = await queued(platform, LATTE, "a-1")
    asked = await chat.send(STAFF, f"start brewing order {n}")
    assert asked.text == f"Shall I mark order {n} brewing?"
    brewing = await chat.send(STAFF, "yes")
    assert tools(brewing) == [("advance_order", True)] and brewing.text == f"Order {n} is now brewing."
    drink = (await drinks(platform))[0][0]
    made = await chat.send(STAFF, f"drink {drink} is done, I made it by hand")
    assert tools(made) == [("mark_drink_done", True)]
    assert made.text == f"Drink {drink} (large Latte (oat milk), order {n}) is marked made."
    order = await platform.gateway.call("get_order", {"order_id": n}, principal=STAFF)
    assert order.state == "ready"  # type: ignore[attr-defined]


async def test_a_manager_is_asked_which_shop_and_a_customer_commands_nothing(
        chat: Conversations, platform: Platform) -> None:
    await queued(platform, LATTE, "m-1")
    which = await chat.send(MANAGER, "what's waiting?")
    assert which.agent == "task_manager" and which.text == "Which shop: downtown, campus or harbor?"
    shown = await chat.send(MANAGER, "downtown")
    assert tools(shown) == [("get_kitchen_queue", True)] and shown.text.startswith("Waiting at downtown (1 drink)")
    await report(platform, state("m1", Status.IDLE))
    customer = await chat.send(ALICE, "descale m1 and refund order 1")
    assert customer.agent == "barista" and customer.tool_events == []
    assert await outbox(platform) == []


async def test_a_kitchen_turn_no_route_hint_names_still_reaches_the_task_manager(
        chat: Conversations, platform: Platform) -> None:
    await report(platform, state("m1", Status.BREWING))
    stopped = await chat.send(STAFF, "stop m1")
    assert stopped.agent == "task_manager" and tools(stopped) == [("stop_brew", True)]
    assert stopped.text == "Told m1 to stop." and await outbox(platform) == [("m1", "stop")]
