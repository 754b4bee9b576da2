"""The scheduler's conversations, given by the frame skill from the scheduling capabilities' own input models and
declared `Talk` (no code of their own): reading the rota, time off, a draft rota — through the real graph."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from gocoffee.bootstrap import Platform
from graph.app import Conversations
from tests.days import shop_today
from tools.principal import Principal
from tools.scheduling.models import Cover, ShiftList, TimeOffList

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
ANNA = Principal.parse("staff:anna@downtown")
MANAGER = Principal.parse("manager:m1")


async def shifts(platform: Platform, **query: object) -> ShiftList:
    found = await platform.gateway.call("list_shifts", query, principal=MANAGER)
    assert isinstance(found, ShiftList)
    return found


async def test_a_staff_member_asks_when_they_work_next_and_hears_only_their_own_shifts(
        chat: Conversations, platform: Platform) -> None:
    mine = (await shifts(platform, staff_id="anna")).shifts
    reply = await chat.send(ANNA, "when am I working next?")
    assert reply.agent == "scheduler" and [e.tool for e in reply.tool_events] == ["list_shifts"]
    assert reply.text.count("Anna Kowalski") == len(mine) > 0 and "Ben" not in reply.text
    first = mine[0]
    assert reply.text.startswith(f"{first.weekday} {first.day} {first.start}-{first.end} {first.role} at downtown")


async def test_who_works_at_a_shop_on_a_day_lists_that_shop_and_that_day(chat: Conversations, platform: Platform
                                                                         ) -> None:
    tomorrow = shop_today() + timedelta(days=1)
    expected = (await shifts(platform, location_id="campus", starts_on=tomorrow.isoformat())).shifts
    reply = await chat.send(MANAGER, "who's working at campus tomorrow?")
    assert reply.agent == "scheduler"
    assert re.findall(r"at (\w+):", reply.text) == ["campus"] * len(expected) and str(tomorrow) in reply.text
    assert [s.held_by for s in expected] == re.findall(r": ([^;.]+)", reply.text)


async def test_sick_tomorrow_is_said_back_then_asked_of_a_manager_and_changes_no_shift(
        chat: Conversations, platform: Platform) -> None:
    before = await shifts(platform, staff_id="anna", days=14)
    tomorrow = shop_today() + timedelta(days=1)
    asked = await chat.send(ANNA, "I'm sick tomorrow")
    assert asked.agent == "scheduler" and asked.tool_events == []
    assert asked.text == f"Shall I ask a manager for time off from {tomorrow:%a} {tomorrow.day} {tomorrow:%b} " \
                         f"(\"I'm sick tomorrow\")?"
    done = await chat.send(ANNA, "yes please")
    asked_of_manager = (f"Asked: time off for Anna Kowalski from {tomorrow} to {tomorrow} is pending; a manager "
                        "will decide.")
    held = (await shifts(platform, staff_id="anna", starts_on=tomorrow.isoformat())).shifts
    if not held:
        assert done.text == asked_of_manager
    for shift in held:  # with who could cover each shift she holds then, as find_cover ranks them
        cover = await platform.gateway.call("find_cover", {"shift_id": shift.shift_id}, principal=MANAGER)
        assert isinstance(cover, Cover)
        free = " or ".join([c.name for c in cover.candidates if not c.overrides][:2]) or "nobody free"
        assert done.text.startswith(f"{asked_of_manager} Could cover: ")
        assert f"{shift.weekday} {shift.day} {shift.start}-{shift.end} {shift.role}: {free}" in done.text
    requests = await platform.gateway.call("list_time_off", {}, principal=ANNA)
    assert isinstance(requests, TimeOffList) and [(r.first_day, r.state) for r in requests.requests] == [
        (tomorrow, "pending")]
    assert await shifts(platform, staff_id="anna", days=14) == before


async def test_a_manager_makes_a_draft_rota_after_a_yes_and_a_published_week_is_refused_plainly(
        chat: Conversations, platform: Platform) -> None:
    asked = await chat.send(MANAGER, "make next week's rota for campus")
    assert asked.text == "Shall I make a draft rota for Go Coffee Harvard Square?" and asked.tool_events == []
    refused = await chat.send(MANAGER, "yes")
    assert "is published; change its shifts one by one" in refused.text
    week = shop_today() - timedelta(days=shop_today().weekday()) + timedelta(days=21)
    await chat.send(MANAGER, f"draft a rota for campus for {week:%B} {week.day}", thread_id="later")
    made = await chat.send(MANAGER, "go ahead", thread_id="later")
    assert made.text.startswith(f"Draft rota for campus from {week}: ") and "% of the staffing need covered, 0 shifts " \
        "open" in made.text and "% of expected sales)" in made.text
    assert {s.state for s in (await shifts(platform, location_id="campus", starts_on=str(week))).shifts} == {"draft"}


async def test_a_shift_named_by_person_and_day_is_moved_after_a_yes_or_refused_with_the_rule(
        chat: Conversations, platform: Platform) -> None:
    rota = (await shifts(platform, location_id="downtown", days=14)).shifts
    days = sorted({s.day for s in rota})
    move = next((s, d) for s in rota if s.staff_id and s.day > shop_today() for d in days
                if d > s.day and not any(o.staff_id == s.staff_id and abs((o.day - d).days) <= 1 for o in rota
                                         if o.shift_id != s.shift_id))
    shift, to = move
    first = shift.staff_name.split()[0] if shift.staff_name else ""
    asked = await chat.send(MANAGER, f"move {first}'s {shift.day:%A} shift to {to:%A} {to.day}")
    assert asked.text == (f"Shall I move {shift.staff_name}'s {shift.day:%a} {shift.day.day} {shift.day:%b} shift to "
                          f"{to:%a} {to.day} {to:%b}?") and asked.tool_events == []
    done = await chat.send(MANAGER, "yes")
    assert [e.tool for e in done.tool_events] == ["move_shift"]
    moved = next(s for s in (await shifts(platform, location_id="downtown", days=14)).shifts
                 if s.shift_id == shift.shift_id)
    if done.text.startswith("Moved:"):
        assert moved.day == to and done.text == (f"Moved: {shift.staff_name} now works {moved.weekday} {to} "
                                                 f"{moved.start}-{moved.end} at downtown.")
    else:  # the holder's availability or hours that day: refused with the rule, and nothing moved
        assert "Sorry" in done.text and moved.day == shift.day


async def test_a_move_onto_a_day_they_already_work_is_refused_naming_the_shift(chat: Conversations,
                                                                            platform: Platform) -> None:
    anna = [s for s in (await shifts(platform, staff_id="anna", days=14)).shifts if s.day > shop_today()]
    a, b = next((x, y) for x in anna for y in anna if (y.day - x.day).days == 1)
    await chat.send(MANAGER, f"move Anna's {a.day:%A} shift to {b.day:%A} {b.day.day}")
    refused = await chat.send(MANAGER, "yes")
    assert f"Anna Kowalski already works downtown {b.day:%a} {b.start}-{b.end}" in refused.text
    assert [s.day for s in (await shifts(platform, staff_id="anna", days=14)).shifts if s.shift_id == a.shift_id] == [
        a.day]


async def test_who_can_cover_a_shops_closing_shift_lists_the_ranked_candidates_with_why(
        chat: Conversations, platform: Platform) -> None:
    friday = shop_today() + timedelta(days=(4 - shop_today().weekday()) % 7 or 7)
    reply = await chat.send(MANAGER, "who can cover friday close at downtown?")
    assert [e.tool for e in reply.tool_events] == ["find_cover"]
    close = max((s for s in (await shifts(platform, location_id="downtown", starts_on=str(friday))).shifts
                 if s.role == "keyholder"), key=lambda s: s.end)
    assert reply.text.startswith(f"For {close.weekday} {friday} {close.start}-{close.end} keyholder at downtown: ")
    offered = reply.text.split(": ", 1)[1].split("; ")
    assert close.held_by not in [o.split(" (")[0] for o in offered]  # its holder is not offered their own shift
    assert "Nobody" in reply.text or all("h left this week" in o or "(contract: at most" in o for o in offered)


async def test_a_manager_reads_the_pending_requests_and_approves_one_after_a_yes_which_opens_its_shifts(
        chat: Conversations, platform: Platform) -> None:
    day = next(s.day for s in (await shifts(platform, staff_id="anna", days=14)).shifts if s.day > shop_today())
    await chat.send(ANNA, f"I need {day:%A} {day:%B} {day.day} off for a wedding")
    await chat.send(ANNA, "yes")
    (asked,) = (await platform.gateway.call("list_time_off", {"state": "pending"}, principal=MANAGER)).requests
    listed = await chat.send(MANAGER, "any time off requests waiting?")
    assert asked.first_day == day and asked.reason == f"I need {day:%A} {day:%B} {day.day} off for a wedding"
    assert listed.text == f"#{asked.time_off_id} Anna Kowalski {day} to {day} ({asked.reason}, pending)."
    confirm = await chat.send(MANAGER, f"approve time off {asked.time_off_id}")
    assert confirm.text == f"Shall I mark time off request {asked.time_off_id} approved?" and not confirm.tool_events
    held = (await shifts(platform, staff_id="anna", starts_on=str(day))).shifts
    done = await chat.send(MANAGER, "yes")
    assert done.text.startswith(f"Time off {asked.time_off_id} for Anna Kowalski ({day} to {day}) is approved.")
    assert all(f"{s.weekday} {s.day} {s.start}-{s.end} {s.role} at downtown" in done.text for s in held) and held
    assert not (await shifts(platform, staff_id="anna", starts_on=str(day))).shifts
    again = await chat.send(MANAGER, f"reject time off {asked.time_off_id}")
    assert again.text == f"Shall I mark time off request {asked.time_off_id} rejected?"
    assert "is not pending" in (await chat.send(MANAGER, "yes")).text


async def test_publishing_a_rota_by_chat_waits_for_a_persons_approval(chat: Conversations, platform: Platform
                                                                      ) -> None:
    week = shop_today() - timedelta(days=shop_today().weekday()) + timedelta(days=21)
    await chat.send(MANAGER, f"draft a rota for campus for {week:%B} {week.day}")
    await chat.send(MANAGER, "yes")
    asked = await chat.send(MANAGER, f"publish the rota for campus for {week:%B} {week.day}")
    assert asked.text == "Shall I publish the rota for Go Coffee Harvard Square? (A person approves publishing first.)"
    waiting = await chat.send(MANAGER, "yes")
    assert waiting.pending_approval is not None or "approval" in waiting.text
    assert {s.state for s in (await shifts(platform, location_id="campus", starts_on=str(week))).shifts} == {"draft"}
