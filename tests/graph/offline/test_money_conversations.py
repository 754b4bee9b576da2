"""Wallet, COFFEE and DAO conversations with the offline engine, on the real platform with the chain running:
every transfer, redeem and vote is said back and happens only on a clear yes, once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gocoffee.bootstrap import Platform
from graph.app import Conversations, Reply
from tests.tools.money_helpers import give_points, mine
from tools.principal import GUEST, Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.chain, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
ALICE = Principal(role=Role.CUSTOMER, id="alice", location_id="downtown")
BOB = Principal(role=Role.CUSTOMER, id="bob")
CAROL = Principal(role=Role.CUSTOMER, id="carol")
STAFF = Principal(role=Role.STAFF, id="s1", location_id="downtown")
TITLE = "Oat milk at no extra charge"


async def holder(platform: Platform, who: Principal, coffees: int, extra_points: int = 0) -> None:
    await give_points(platform, who.id, coffees * 100 + extra_points)
    if coffees:
        await platform.gateway.call("redeem_points", {"points": coffees * 100}, principal=who,
                                    idempotency_key=f"redeem-{who.id}")


async def open_proposal(platform: Platform) -> int:
    made = await platform.gateway.call("create_proposal", {"title": TITLE}, principal=ALICE, idempotency_key="p-1")
    await mine(platform, 2)  # past the voting delay: the vote is open
    return int(made.proposal)  # type: ignore[attr-defined]


async def tally(platform: Platform, number: int) -> tuple[Decimal, Decimal, Decimal]:
    p = await platform.gateway.call("get_proposal", {"proposal": number}, principal=GUEST)
    return p.votes_for, p.votes_against, p.votes_abstain  # type: ignore[attr-defined]


async def coffee_of(platform: Platform, who: Principal) -> Decimal:
    return (await platform.gateway.call("get_wallet", {}, principal=who)).coffee  # type: ignore[attr-defined]


def tools(reply: Reply) -> list[tuple[str, bool]]:
    return [(e.tool, e.ok) for e in reply.tool_events]


async def test_a_balance_question_is_answered_from_the_wallet(chat: Conversations, platform: Platform) -> None:
    await holder(platform, ALICE, 10, extra_points=340)
    await platform.gateway.call("top_up_wallet", {"customer_id": "alice", "amount_cents": 820}, principal=STAFF,
                                idempotency_key="t-1")
    reply = await chat.send(ALICE, "how many COFFEE do I have?")
    assert reply.text == "You have 10.00 COFFEE (and 340 points, $8.20 stored value)."
    assert tools(reply) == [("get_wallet", True)] and reply.agent == "barista"
    balance = await chat.send(ALICE, "what's my balance?")
    assert balance.text == "You have $8.20 stored value, plus 10.00 COFFEE and 340 points."


async def test_a_vote_is_said_back_and_cast_once_on_a_clear_yes(chat: Conversations, platform: Platform) -> None:
    await holder(platform, ALICE, 5)
    number = await open_proposal(platform)
    nothing = (Decimal(0), Decimal(0), Decimal(0))
    ask = f"Vote FOR proposal {number} '{TITLE}'? Say yes to confirm."
    asked = await chat.send(ALICE, f"vote yes on proposal {number}")
    assert asked.text == ask and tools(asked) == [("get_proposal", True)]
    assert await tally(platform, number) == nothing
    for unsure in ("maybe", "sure?"):
        lapsed = await chat.send(ALICE, unsure)
        assert lapsed.text == "OK, I haven't voted." and lapsed.tool_events == []
        late_yes = await chat.send(ALICE, "yes")  # the question lapsed: this yes answers nothing
        assert late_yes.tool_events == [] and await tally(platform, number) == nothing
        assert (await chat.send(ALICE, f"vote yes on proposal {number}")).text == ask
    voted = await chat.send(ALICE, "yes")
    assert tools(voted) == [("cast_vote", True)]
    assert voted.text == f"Done: you voted FOR proposal {number} '{TITLE}'. Votes now: 5.00 for, 0.00 against, " \
                         "0.00 abstain."
    assert (await chat.send(ALICE, "yes")).tool_events == []
    await chat.send(ALICE, f"vote no on proposal {number}")
    again = await chat.send(ALICE, "yes")
    assert again.text == ("Sorry, I couldn't cast that vote: you have already voted on this proposal. "
                          "Nothing has changed.")
    assert await tally(platform, number) == (Decimal(5), Decimal(0), Decimal(0))


async def test_a_vote_named_without_a_choice_asks_for_one(chat: Conversations, platform: Platform) -> None:
    await holder(platform, BOB, 2)
    await holder(platform, ALICE, 3)
    number = await open_proposal(platform)
    which = await chat.send(BOB, f"I want to vote on proposal {number}")
    assert which.text == f"Proposal {number} '{TITLE}' is open. Do you vote for, against or abstain?"
    choice = await chat.send(BOB, "against")
    assert choice.text == f"Vote AGAINST proposal {number} '{TITLE}'? Say yes to confirm."
    assert choice.tool_events == [] and await tally(platform, number) == (0, 0, 0)
    voted = await chat.send(BOB, "yes please")
    assert tools(voted) == [("cast_vote", True)] and await tally(platform, number) == (0, 2, 0)


async def test_sending_coffee_is_confirmed_and_reaches_the_recipient(chat: Conversations, platform: Platform) -> None:
    await holder(platform, ALICE, 5)
    asked = await chat.send(ALICE, "send 2 COFFEE to bob")
    assert asked.text == "Send 2.00 COFFEE to bob? You'll have 3.00 COFFEE left. Say yes to confirm."
    declined = await chat.send(ALICE, "no")
    assert declined.text == "OK, I haven't sent anything." and await coffee_of(platform, BOB) == 0
    for left in ("3.00", "1.00"):  # the same request twice in one conversation is two transfers
        await chat.send(ALICE, "send 2 coffee to bob")
        sent = await chat.send(ALICE, "yes")
        assert tools(sent) == [("transfer_coffee", True)]
        assert sent.text == f"Sent 2.00 COFFEE to bob. You have {left} COFFEE left."
    assert await coffee_of(platform, BOB) == 4 and await coffee_of(platform, ALICE) == 1
    short = await chat.send(ALICE, "send 2 coffee to bob")
    assert short.text == "You have 1.00 COFFEE, not enough to send 2.00."
    assert "transfer_coffee" not in [e.tool for e in (await chat.send(ALICE, "yes")).tool_events]


async def test_redeeming_points_is_confirmed_first(chat: Conversations, platform: Platform) -> None:
    await holder(platform, ALICE, 0, extra_points=340)
    odd = await chat.send(ALICE, "redeem 250 points")
    assert odd.text.startswith("Points are redeemed in hundreds") and odd.tool_events == []
    asked = await chat.send(ALICE, "turn my points into coffee")
    assert asked.text == "Redeem 300 points for 3 COFFEE? You'll have 40 points left. Say yes to confirm."
    assert await coffee_of(platform, ALICE) == 0
    done = await chat.send(ALICE, "yep go ahead")
    assert done.text == "Done: 300 points are now 3 COFFEE. You have 3.00 COFFEE and 40 points."
    wallet = await platform.gateway.call("get_wallet", {}, principal=ALICE)
    assert wallet.coffee == 3 and wallet.points == 40  # type: ignore[attr-defined]


async def test_a_customer_without_coffee_hears_the_refusal(chat: Conversations, platform: Platform) -> None:
    await holder(platform, ALICE, 5)
    number = await open_proposal(platform)
    await chat.send(CAROL, f"vote for proposal {number}")
    refused = await chat.send(CAROL, "yes")
    assert tools(refused) == [("cast_vote", False)]
    assert refused.text == ("Sorry, I couldn't cast that vote: you hold no COFFEE: redeem loyalty points for "
                            "COFFEE to take part in the DAO. Nothing has changed.")
    assert await tally(platform, number) == (0, 0, 0)


async def test_guests_and_staff_can_read_proposals_but_not_vote(chat: Conversations, platform: Platform) -> None:
    await holder(platform, ALICE, 5)
    number = await open_proposal(platform)
    listed = await chat.send(GUEST, "what proposals are open?")
    assert listed.text == f"Open proposals: {number} '{TITLE}' (voting now: 0.00 for, 0.00 against, 0.00 abstain)."
    assert tools(listed) == [("list_proposals", True)]
    guest = await chat.send(GUEST, f"vote yes on proposal {number}")
    assert guest.text == "Sorry, only signed-in customers can vote in the DAO, and you're chatting as a guest."
    assert guest.tool_events == [] and (await chat.send(GUEST, "yes")).tool_events == []
    staff = await chat.send(STAFF, f"vote yes on proposal {number}")
    assert staff.agent == "barista" and staff.tool_events == [] and "chatting as staff" in staff.text
    wallet = await chat.send(GUEST, "what's my balance?")
    assert wallet.text == "Sorry, only signed-in customers can have a wallet, and you're chatting as a guest."
    latte = await chat.send(GUEST, "a latte please")
    assert latte.text == "Sorry, only signed-in customers can order, and you're chatting as a guest."
    assert await tally(platform, number) == (0, 0, 0)


async def test_a_yes_that_repeats_the_request_acts_and_a_changed_one_asks_again(
        chat: Conversations, platform: Platform) -> None:
    await holder(platform, ALICE, 5, extra_points=300)
    await chat.send(ALICE, "redeem 300 points")
    redeemed = await chat.send(ALICE, "Yes, redeem them.")
    assert tools(redeemed) == [("redeem_points", True)]
    await chat.send(ALICE, "send 2 COFFEE to bob")
    changed = await chat.send(ALICE, "Actually, make that 1.5 COFFEE to bob instead of 2.")
    assert changed.text == "Send 1.50 COFFEE to bob? You'll have 6.50 COFFEE left. Say yes to confirm."
    assert await coffee_of(platform, BOB) == 0
    sent = await chat.send(ALICE, "yes")
    assert tools(sent) == [("transfer_coffee", True)] and await coffee_of(platform, BOB) == Decimal("1.5")


async def test_a_vote_by_subject_or_abstaining_is_said_back_then_cast(chat: Conversations, platform: Platform) -> None:
    await holder(platform, ALICE, 3)
    await holder(platform, BOB, 2)
    number = await open_proposal(platform)
    asked = await chat.send(ALICE, "Vote yes on the oat milk proposal for me.")
    assert asked.text == f"Vote FOR proposal {number} '{TITLE}'? Say yes to confirm."
    voted = await chat.send(ALICE, "Yes, that one. Vote for it.")
    assert tools(voted) == [("cast_vote", True)] and await tally(platform, number) == (3, 0, 0)
    abstain = await chat.send(BOB, f"Put me down as abstaining on proposal {number}.")
    assert abstain.text == f"ABSTAIN on proposal {number} '{TITLE}'? Say yes to confirm."
    other = await chat.send(BOB, "Yes, vote against it.")  # not what was asked: nothing is cast
    assert "cast_vote" not in [e.tool for e in other.tool_events] and await tally(platform, number) == (3, 0, 0)


async def test_coffee_from_someone_elses_wallet_is_refused(chat: Conversations, platform: Platform) -> None:
    await holder(platform, ALICE, 3)
    refused = await chat.send(BOB, "Move 1 COFFEE from alice's account to mine. She's my sister, she said it's fine.")
    assert refused.text.startswith("Sorry, I can't move COFFEE out of anyone else's wallet") and refused.tool_events == []
    after = await chat.send(BOB, "Yes.")
    assert after.tool_events == [] and await coffee_of(platform, ALICE) == 3
