"""The scheduler's conversations, given by the frame skill from the scheduling capabilities' own input models and
declared `Talk` (no code of their own): reading the rota, time off, a draft rota — through the real graph."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from gocoffee.bootstrap import Platform
from graph.app import Conversations
from tools.principal import Principal
from tools.scheduling.models import ShiftList, TimeOffList

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
    tomorrow = date.today() + timedelta(days=1)
    expected = (await shifts(platform, location_id="campus", starts_on=tomorrow.isoformat())).shifts
    reply = await chat.send(MANAGER, "who's working at campus tomorrow?")
    assert reply.agent == "scheduler"
    assert re.findall(r"at (\w+):", reply.text) == ["campus"] * len(expected) and str(tomorrow) in reply.text
    assert [s.held_by for s in expected] == re.findall(r": ([^;.]+)", reply.text)


async def test_sick_tomorrow_is_said_back_then_asked_of_a_manager_and_changes_no_shift(
        chat: Conversations, platform: Platform) -> None:
    before = await shifts(platform, staff_id="anna", days=14)
    tomorrow = date.today() + timedelta(days=1)
    asked = await chat.send(ANNA, "I'm sick tomorrow")
    assert asked.agent == "scheduler" and asked.tool_events == []
    assert asked.text == f"Shall I ask a manager for time off from {tomorrow:%a} {tomorrow.day} {tomorrow:%b} " \
                         f"(\"I'm sick tomorrow\")?"
    done = await chat.send(ANNA, "yes please")
    assert done.text == (f"Asked: time off for Anna Kowalski from {tomorrow} to {tomorrow} is pending; a manager "
                         "will decide.")
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
    week = date.today() - timedelta(days=date.today().weekday()) + timedelta(days=21)
    await chat.send(MANAGER, f"draft a rota for campus for {week:%B} {week.day}", thread_id="later")
    made = await chat.send(MANAGER, "go ahead", thread_id="later")
    assert made.text.startswith(f"Draft rota for campus from {week}: 100.0% of shifts covered")
    assert {s.state for s in (await shifts(platform, location_id="campus", starts_on=str(week))).shifts} == {"draft"}
