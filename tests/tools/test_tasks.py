"""The task board's contract: recurring tasks made once, tasks for a person or a role with due times from the shop's
hours, bad input refused with nothing changed, shop scope, one of two concurrent changes wins, and the kitchen's
faults raising and ticking off tasks; identical for every caller and store."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from devices.protocol import MachineState
from gocoffee.bootstrap import Platform
from store.menu import Location
from store.tasks import Task
from tests.callers import Caller, DirectCaller, Json
from tests.tools.contract import MANAGER, refused
from tools.errors import Conflict
from tools.kitchen.reports import apply_state
from tools.principal import Principal, Role
from tools.scheduling import roster
from tools.tasks import shown

pytestmark = pytest.mark.anyio

BEN = Principal(role=Role.STAFF, id="ben", location_id="downtown")
CHLOE = Principal(role=Role.STAFF, id="chloe", location_id="downtown")
HANA = Principal(role=Role.STAFF, id="hana", location_id="harbor")
TZ = ZoneInfo("America/New_York")


def _today() -> str:
    return datetime.now(TZ).date().isoformat()


async def _board(call: Caller, who: Principal = MANAGER, **query: object) -> list[Json]:
    return (await call("list_tasks", dict(query), who))["tasks"]


async def _count(platform: Platform) -> int:
    async with platform.db.reader() as session:
        return int(await session.scalar(select(func.count()).select_from(Task)) or 0)


async def test_each_shop_has_its_recurring_tasks_once_however_often_they_are_planned(platform: Platform) -> None:
    call = DirectCaller(platform)
    board = await _board(call, location_id="downtown", due_on=_today())
    titles = {t["title"] for t in board}
    assert {"Opening checklist", "Clean the grinder", "Closing checklist"} <= titles
    assert all(t["source"] == "recurring" and t["assignee_role"] for t in board)
    closing = next(t for t in board if t["title"] == "Closing checklist")
    assert closing["who"] == "any keyholder" and closing["priority"] == "high"
    before = await _count(platform)
    again = await call("plan_recurring_tasks", {"days": 7}, MANAGER)
    assert again["created"] == 0 and await _count(platform) == before
    later = await call("plan_recurring_tasks", {"location_id": "campus", "days": 9}, MANAGER)
    assert later["created"] > 0 and {t["location_id"] for t in later["tasks"]} == {"campus"}
    assert await _count(platform) == before + later["created"]


async def test_a_task_for_a_person_is_due_by_the_shops_closing_and_is_on_their_list(call: Caller,
                                                                                   platform: Platform) -> None:
    made = await call("create_task", {"title": "Clean the grinder burrs", "location_id": "downtown",
                                      "assignee_id": "ben", "due_part": "close", "priority": "high"}, MANAGER)
    assert made["who"] == "Ben Okafor" and made["state"] == "open" and made["version"] == 1
    async with platform.db.reader() as session:
        downtown = await roster.shop(session, "downtown")
    today = datetime.now(TZ).date()
    closes = [span[1] for day in (today, today + timedelta(days=1)) if (span := shown.hours(downtown, day))]
    assert datetime.fromisoformat(made["due_at"]) == next(c for c in closes if c > datetime.now(TZ))
    due_on = datetime.fromisoformat(made["due_at"]).astimezone(TZ).date().isoformat()
    assert made["task_id"] in {t["task_id"] for t in await _board(call, BEN, view="mine", due_on=due_on)}
    assert made["task_id"] not in {t["task_id"] for t in await _board(call, CHLOE, view="mine", due_on=due_on)}
    for_baristas = await call("create_task", {"title": "Restock cups", "location_id": "downtown",
                                              "assignee_role": "barista"}, BEN)
    assert for_baristas["who"] == "any barista" and for_baristas["due"] == "no due time"
    assert for_baristas["task_id"] in {t["task_id"] for t in await _board(call, CHLOE, view="mine")}


async def test_bad_input_is_refused_clearly_and_changes_nothing(call: Caller, platform: Platform) -> None:
    before = await _count(platform)
    base = {"title": "Wipe the fridge", "location_id": "downtown"}
    elsewhere = await refused("invalid_input", call, "create_task", {**base, "assignee_id": "hana"}, MANAGER)
    assert "does not work at downtown" in elsewhere.message
    no_skill = await refused("invalid_input", call, "create_task",
                             {**base, "assignee_id": "chloe", "assignee_role": "keyholder"}, MANAGER)
    assert "not a keyholder" in no_skill.message
    await refused("invalid_input", call, "create_task", {**base, "due_time": "15:00", "due_part": "close"}, MANAGER)
    await refused("invalid_input", call, "create_task", {**base, "title": ""}, MANAGER)
    await refused("not_found", call, "create_task", {**base, "assignee_id": "nobody"}, MANAGER)
    await refused("not_found", call, "create_task", {**base, "location_id": "moon"}, MANAGER)
    await refused("not_found", call, "complete_task", {"task_id": 99_999}, MANAGER)
    assert await _count(platform) == before


async def test_staff_act_on_their_own_shops_board_only(call: Caller) -> None:
    harbor = (await _board(call, location_id="harbor"))[0]
    await refused("forbidden", call, "create_task", {"title": "Sweep", "location_id": "harbor"}, BEN)
    await refused("forbidden", call, "list_tasks", {"location_id": "harbor"}, BEN)
    await refused("forbidden", call, "complete_task", {"task_id": harbor["task_id"]}, BEN)
    mine = await call("create_task", {"title": "Sweep the terrace", "location_id": "harbor"}, HANA)
    await refused("forbidden", call, "cancel_task", {"task_id": mine["task_id"]}, Principal(
        role=Role.STAFF, id="ivan", location_id="harbor"))
    cancelled = await call("cancel_task", {"task_id": mine["task_id"]}, HANA)
    assert cancelled["state"] == "cancelled" and cancelled["done_by"] == "staff:hana"
    assert (await _board(call, location_id="harbor"))[0]["state"] == "open"


async def test_a_stale_version_is_refused_and_of_two_concurrent_completions_one_wins(call: Caller) -> None:
    task = await call("create_task", {"title": "Count the float", "location_id": "downtown"}, MANAGER)
    await refused("conflict", call, "complete_task", {"task_id": task["task_id"], "version": 7}, MANAGER)
    results = await asyncio.gather(*(call("complete_task", {"task_id": task["task_id"], "version": 1}, who)
                                     for who in (BEN, CHLOE)), return_exceptions=True)
    assert sum(isinstance(r, dict) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 1
    await refused("conflict", call, "complete_task", {"task_id": task["task_id"]}, MANAGER)
    await refused("conflict", call, "assign_task", {"task_id": task["task_id"], "assignee_id": "ben"}, MANAGER)


async def test_overdue_tasks_are_listed_across_the_shops_until_done(platform: Platform) -> None:
    call = DirectCaller(platform)
    yesterday = (datetime.now(TZ).date() - timedelta(days=1)).isoformat()
    late = [await call("create_task", {"title": f"Late at {shop}", "location_id": shop, "due_on": yesterday}, MANAGER)
            for shop in ("downtown", "campus")]
    overdue = await _board(call, view="overdue")
    ids = [t["task_id"] for t in overdue]
    assert {t["task_id"] for t in late} <= set(ids) and all(t["overdue"] for t in overdue)
    assert [t["due_at"] for t in overdue] == sorted(t["due_at"] for t in overdue)
    await call("complete_task", {"task_id": late[0]["task_id"]}, MANAGER)
    assert late[0]["task_id"] not in {t["task_id"] for t in await _board(call, view="overdue")}
    assigned = await call("assign_task", {"task_id": late[1]["task_id"], "assignee_role": "baker"}, MANAGER)
    assert assigned["who"] == "any baker" and assigned["version"] == 2


async def test_a_machine_fault_raises_one_task_and_its_clearing_ticks_it_off(platform: Platform) -> None:
    now = datetime.now(ZoneInfo("UTC"))

    def state(status: str, fault: str | None = None) -> MachineState:
        return MachineState.model_validate({"machine_id": "m1", "location_id": "downtown", "status": status,
                                            "fault": fault, "boiler_c": 93.0, "water_ml": 100, "beans_g": 500,
                                            "brews_since_descale": 0, "at": now.isoformat(), "recent_jobs": []})

    for report in (state("idle"), state("fault", "low_water"), state("fault", "low_water")):
        async with platform.db.writer() as session, session.begin():
            await apply_state(session, report, now)
    board = await _board(DirectCaller(platform), location_id="downtown")
    raised = [t for t in board if t["source"] == "kitchen"]
    assert [(t["title"], t["about_id"], t["priority"]) for t in raised] == [("Refill the water on m1", "m1", "high")]
    async with platform.db.writer() as session, session.begin():
        await apply_state(session, state("idle"), now)
    after = await DirectCaller(platform)("list_tasks", {"location_id": "downtown", "state": "done"}, MANAGER)
    assert [(t["task_id"], t["done_by"]) for t in after["tasks"]] == [(raised[0]["task_id"], "machine:m1")]


def test_a_due_time_comes_from_the_shops_hours_and_a_closed_day_is_refused() -> None:
    shop = Location(id="pop_up", name="Pop-up", timezone="America/New_York",
                    opening_hours={"mon": ["08:00", "14:00"]})
    monday, sunday = datetime(2026, 1, 5).date(), datetime(2026, 1, 4).date()
    assert shown.due_at(shop, monday, None, "open") == datetime(2026, 1, 5, 8, tzinfo=TZ)
    assert shown.due_at(shop, monday, None, None) == datetime(2026, 1, 5, 14, tzinfo=TZ)
    assert shown.due_at(shop, sunday, None, None) == datetime(2026, 1, 4, 23, 59, tzinfo=TZ)
    with pytest.raises(Exception, match="closed on Sun 4 Jan"):
        shown.due_at(shop, sunday, None, "close")
