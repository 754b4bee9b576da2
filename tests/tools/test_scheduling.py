"""Scheduling's contract: the seeded rota, the rules on every change (with their numbers), soft overrides, shop
scope, one of two concurrent changes wins; identical for every caller and store."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from gocoffee.bootstrap import Platform
from store.sales import SalesHour
from store.scheduling import Shift, StaffMember
from tests.callers import Caller, Json
from tests.days import shop_today
from tests.tools.contract import BARISTA, MANAGER, refused
from tools.errors import Conflict, RuleBroken
from tools.principal import Principal
from tools.scheduling import roster
from tools.scheduling.rules import check

pytestmark = pytest.mark.anyio


async def _rota(call: Caller, shop: str = "downtown", days: int = 14) -> list[Json]:
    monday = shop_today() - timedelta(days=shop_today().weekday())
    return (await call("list_shifts", {"location_id": shop, "starts_on": monday.isoformat(), "days": days},
                       MANAGER))["shifts"]


def _by_day(shifts: list[Json]) -> dict[str, list[Json]]:
    days: dict[str, list[Json]] = defaultdict(list)
    for s in shifts:
        days[s["day"]].append(s)
    return days


async def test_the_seeded_rota_covers_every_shift_and_breaks_no_rule(platform: Platform) -> None:
    async with platform.db.reader() as session:
        shifts = (await session.scalars(select(Shift))).all()
        people = {m.id: m for m in (await session.scalars(select(StaffMember))).all()}
        tz = await roster.zones(session)
    assert len(people) >= 18 and {m.home_location_id for m in people.values()} == {"downtown", "harbor", "campus"}
    assert shifts and all(s.staff_id for s in shifts) and {s.state for s in shifts} == {"published"}
    for s in shifts:
        others = [roster.as_slot(o, tz) for o in shifts if o.staff_id == s.staff_id and o.id != s.id]
        assert check(roster.as_person(people[s.staff_id or ""]), roster.as_slot(s, tz), others, []) == []


async def test_staff_read_their_own_shops_rota_and_nobody_elses(call: Caller) -> None:
    mine = (await call("list_shifts", {"days": 14}, BARISTA))["shifts"]
    assert mine and {s["location_id"] for s in mine} == {"downtown"}
    await refused("forbidden", call, "list_shifts", {"location_id": "harbor"}, BARISTA)
    shift = mine[0]
    await refused("forbidden", call, "unassign_shift", {"shift_id": shift["shift_id"]}, BARISTA)
    assert (await _rota(call))[0]["staff_id"]  # nothing changed


async def test_a_hard_rule_is_refused_with_its_numbers_and_changes_nothing(call: Caller) -> None:
    rota = await _rota(call)
    closing = next(s for s in rota if s["end"] >= "19:00" and s["role"] == "keyholder")
    next_day = (date.fromisoformat(closing["day"]) + timedelta(days=1)).isoformat()
    opening = next(s for s in rota if s["day"] == next_day and s["start"] <= "07:00" and s["role"] == "keyholder")
    before = await _rota(call)
    error = await refused("rule_broken", call, "assign_shift",
                          {"shift_id": opening["shift_id"], "staff_id": closing["staff_id"]}, MANAGER)
    rules = {b["rule"]: b for b in error.details["breaches"]}
    assert rules["rest"]["hard"] and "10.5 h rest" in rules["rest"]["message"] and "11 h" in rules["rest"]["message"]
    assert error.details["overridable"] is False
    skill = await refused("rule_broken", call, "assign_shift",
                          {"shift_id": opening["shift_id"], "staff_id": "chloe", "override": ["availability"]},
                          MANAGER)
    assert "skill" in {b["rule"] for b in skill.details["breaches"]}
    await refused("not_found", call, "assign_shift", {"shift_id": opening["shift_id"], "staff_id": "nobody"}, MANAGER)
    assert await _rota(call) == before


async def test_a_soft_rule_stands_until_a_manager_overrides_it_by_name(call: Caller) -> None:
    rota = await _rota(call)
    days = _by_day(rota)
    monday = next(d for d, shifts in sorted(days.items()) if date.fromisoformat(d).weekday() == 0
                  and all(s["staff_id"] != "elif" for s in shifts))
    shift = next(s for s in days[monday] if s["role"] == "barista" and s["start"] >= "11:00")
    error = await refused("rule_broken", call, "assign_shift", {"shift_id": shift["shift_id"], "staff_id": "elif"},
                          MANAGER)
    assert error.details["overridable"] is True
    assert "availability" in {b["rule"] for b in error.details["breaches"]} and "not 11:30-19:30" in error.message
    done = await call("assign_shift", {"shift_id": shift["shift_id"], "staff_id": "elif",
                                       "override": ["availability", "weekly_hours"]}, MANAGER)
    assert done["staff_id"] == "elif" and done["staff_name"] == "Elif Demir" and done["version"] == shift["version"] + 1


async def test_a_stale_version_is_refused_and_of_two_concurrent_changes_one_wins(call: Caller) -> None:
    shift = (await _rota(call))[-1]
    await refused("conflict", call, "unassign_shift", {"shift_id": shift["shift_id"], "version": 99}, MANAGER)
    results = await asyncio.gather(*(call("unassign_shift", {"shift_id": shift["shift_id"],
                                                             "version": shift["version"]}, MANAGER)
                                     for _ in range(2)), return_exceptions=True)
    assert sum(isinstance(r, dict) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 1
    now = next(s for s in await _rota(call) if s["shift_id"] == shift["shift_id"])
    assert now["staff_id"] is None and now["version"] == shift["version"] + 1
    await refused("conflict", call, "unassign_shift", {"shift_id": shift["shift_id"]}, MANAGER)


async def test_a_move_is_checked_for_its_holder_at_the_new_time(call: Caller) -> None:
    rota = await _rota(call)
    days = _by_day(rota)
    shift = next(s for s in rota if s["start"] <= "07:00")
    later = f"{int(shift['start'][:2]) + 1:02d}{shift['start'][2:5]}"
    moved = await call("move_shift", {"shift_id": shift["shift_id"], "start": later, "end": shift["end"][:5]},
                       MANAGER)
    assert moved["start"].startswith(later) and moved["hours"] == shift["hours"] - 1 and moved["staff_id"]
    busy = next(d for d in sorted(days) if d != shift["day"] and any(s["staff_id"] == shift["staff_id"]
                                                                      for s in days[d]))
    error = await refused("rule_broken", call, "move_shift", {"shift_id": shift["shift_id"], "day": busy}, MANAGER)
    assert {"one_shift_a_day", "overlap"} & {b["rule"] for b in error.details["breaches"]}
    await refused("invalid_input", call, "move_shift", {"shift_id": shift["shift_id"], "start": "15:00",
                                                        "end": "09:00"}, MANAGER)


async def test_a_swap_exchanges_the_holders_or_changes_nothing(call: Caller) -> None:
    rota = await _rota(call, days=7)
    same_role = [(a, b) for a in rota for b in rota if a["shift_id"] < b["shift_id"] and a["role"] == b["role"]
                 and a["day"] == b["day"] and a["staff_id"] != b["staff_id"]]
    assert same_role
    for a, b in same_role:
        try:
            swapped = await call("swap_shifts", {"shift_id": a["shift_id"], "other_shift_id": b["shift_id"],
                                                 "override": ["availability", "weekly_hours"]}, MANAGER)
        except Conflict as refusal:
            assert refusal.code == "rule_broken"
            continue
        assert [s["staff_id"] for s in swapped["shifts"]] == [b["staff_id"], a["staff_id"]]
        return
    pytest.fail("no two same-day shifts of one role could be swapped on the seeded rota")


async def test_cover_ranks_who_can_take_a_shift_and_says_why_the_others_cannot(call: Caller) -> None:
    shift = next(s for s in await _rota(call) if s["role"] == "keyholder")
    cover = await call("find_cover", {"shift_id": shift["shift_id"]}, BARISTA)
    assert cover["shift"]["shift_id"] == shift["shift_id"]
    names = [c["staff_id"] for c in cover["candidates"] + cover["not_eligible"]]
    assert shift["staff_id"] not in names and "hana" not in names  # the holder; someone from another shop
    assert {"chloe", "elif", "finn"} <= {c["staff_id"] for c in cover["not_eligible"]}  # not keyholders
    assert "Chloé Martin is not a keyholder" in next(c["why"] for c in cover["not_eligible"] if c["staff_id"] == "chloe")
    ranks = [(len(c["overrides"]), -c["hours_left"]) for c in cover["candidates"]]
    assert ranks == sorted(ranks)
    best = cover["candidates"][0]
    taken = await call("assign_shift", {"shift_id": shift["shift_id"], "staff_id": best["staff_id"],
                                        "override": best["overrides"]}, MANAGER)
    assert taken["staff_id"] == best["staff_id"]


async def test_a_generated_rota_is_a_draft_a_replan_keeps_it_stable_and_publishing_makes_it_final(
        call: Caller) -> None:
    week = (shop_today() - timedelta(days=shop_today().weekday()) + timedelta(days=14)).isoformat()
    ask = {"location_id": "campus", "week_of": week}
    await refused("forbidden", call, "generate_rota", ask, BARISTA)
    plan = await call("generate_rota", ask, MANAGER)
    assert plan["state"] == "draft" and plan["monday"] == week and len(plan["shifts"]) >= 20
    assert plan["open_shifts"] == [] and plan["labour_cost_cents"] > 0 and 0 < plan["labour_percent"] < 100
    extras = [s for s in plan["shifts"] if s["hours"] == 4]  # for the morning rush the staffing need asks for
    assert extras and {s["role"] for s in extras} == {"barista"} and all(s["staff_id"] for s in extras)
    assert 95 <= plan["coverage_percent"] < 100 and plan["unmet"] and all(" short 1: " in u for u in plan["unmet"])
    assert plan["hours"] == sum(s["hours"] for s in plan["shifts"] if s["staff_id"])
    holders = {s["shift_id"]: s["staff_id"] for s in plan["shifts"]}
    again = await call("generate_rota", ask, MANAGER)
    assert again["changed"] == 0 and {s["shift_id"]: s["staff_id"] for s in again["shifts"]} == holders
    gone = plan["shifts"][3]
    await call("unassign_shift", {"shift_id": gone["shift_id"]}, MANAGER)
    replanned = await call("generate_rota", ask, MANAGER)
    moved = [s for s in replanned["shifts"] if s["shift_id"] != gone["shift_id"] and holders[s["shift_id"]] != s["staff_id"]]
    assert replanned["coverage_percent"] == plan["coverage_percent"] and len(moved) <= 2 and replanned["changed"] == len(moved)
    published = await call("publish_rota", ask, MANAGER)
    assert published["state"] == "published" and {s["state"] for s in published["shifts"]} == {"published"}
    await refused("conflict", call, "generate_rota", ask, MANAGER)
    await refused("conflict", call, "publish_rota", ask, MANAGER)


async def test_time_off_waits_for_a_manager_and_once_approved_opens_the_shifts_it_covers(call: Caller) -> None:
    anna = Principal.parse("staff:anna@downtown")
    rota = await _rota(call)
    day = next(s["day"] for s in rota if s["staff_id"] == "anna" and s["day"] > shop_today().isoformat())
    ask = {"first_day": day, "last_day": day, "reason": "dentist"}
    await refused("forbidden", call, "request_time_off", {**ask, "staff_id": "ben"}, anna)
    await refused("invalid_input", call, "request_time_off", {**ask, "first_day": "2030-01-02",
                                                              "last_day": "2030-01-01"}, anna)
    asked = await call("request_time_off", ask, anna)
    assert asked["state"] == "pending" and asked["first_day"] == asked["last_day"] == day
    assert await _rota(call) == rota
    assert [r["time_off_id"] for r in (await call("list_time_off", {}, anna))["requests"]] == [asked["time_off_id"]]
    await refused("forbidden", call, "decide_time_off", {"time_off_id": asked["time_off_id"],
                                                         "decision": "approved"}, anna)
    decided = await call("decide_time_off", {"time_off_id": asked["time_off_id"], "decision": "approved"}, MANAGER)
    held = [s for s in rota if s["staff_id"] == "anna" and s["day"] == day]
    assert decided["state"] == "approved" and decided["decided_by"] == "manager:m1"
    assert [s["shift_id"] for s in decided["uncovered"]] == [s["shift_id"] for s in held]
    assert all(s["staff_id"] is None for s in decided["uncovered"])
    error = await refused("rule_broken", call, "assign_shift", {"shift_id": held[0]["shift_id"], "staff_id": "anna",
                                                                "override": ["availability", "weekly_hours"]}, MANAGER)
    assert "time_off" in {b["rule"] for b in error.details["breaches"]}
    await refused("conflict", call, "decide_time_off", {"time_off_id": asked["time_off_id"],
                                                        "decision": "rejected"}, MANAGER)


async def test_a_shift_is_named_by_number_by_holder_and_day_or_by_a_shops_opening_or_closing(call: Caller) -> None:
    rota = await _rota(call)
    day = next(d for d, shifts in sorted(_by_day(rota).items()) if sum(s["role"] == "keyholder" for s in shifts) == 2)
    shifts = _by_day(rota)[day]
    holder = shifts[0]
    by_holder = await call("find_cover", {"holder": holder["staff_id"], "on": day}, MANAGER)
    assert by_holder["shift"]["shift_id"] == holder["shift_id"]
    close = max((s for s in shifts if s["role"] == "keyholder"), key=lambda s: s["end"])
    by_part = await call("find_cover", {"location_id": "downtown", "on": day, "part": "close"}, MANAGER)
    assert by_part["shift"]["shift_id"] == close["shift_id"]
    ambiguous = await refused("invalid_input", call, "find_cover", {"location_id": "downtown", "on": day}, MANAGER)
    assert sorted(ambiguous.details["shifts"]) == sorted(s["shift_id"] for s in shifts)
    await refused("invalid_input", call, "unassign_shift", {"holder": holder["staff_id"]}, MANAGER)
    await refused("not_found", call, "unassign_shift", {"holder": "nobody", "on": day}, MANAGER)


async def test_coverage_reads_the_rota_against_a_need_from_the_sales_history(call: Caller) -> None:
    monday = shop_today() - timedelta(days=shop_today().weekday()) + timedelta(days=7)
    day = (await call("get_coverage", {"location_id": "downtown", "starts_on": monday.isoformat()}, MANAGER))
    assert day["open_hours"] >= 12 and 0 < day["coverage_percent"] <= 100
    assert all(h["needed"] >= 2 for h in day["gaps"]) and day["short_hours"] == sum(h["gap"] > 0 for h in day["gaps"])
    rota = await _rota(call)
    shift = next(s for s in rota if s["day"] == monday.isoformat() and s["role"] == "barista")
    await call("unassign_shift", {"shift_id": shift["shift_id"]}, MANAGER)
    after = await call("get_coverage", {"location_id": "downtown", "starts_on": monday.isoformat()}, MANAGER)
    assert after["coverage_percent"] < day["coverage_percent"] and after["short_hours"] > day["short_hours"]
    await refused("forbidden", call, "get_coverage", {"location_id": "harbor"}, BARISTA)


async def test_labour_is_hours_times_rates_against_expected_sales(call: Caller) -> None:
    monday = shop_today() - timedelta(days=shop_today().weekday())  # the seed's week
    week = (await call("get_labour", {"location_id": "campus", "week_of": monday.isoformat()}, MANAGER))
    assert week["people"] and week["cost_cents"] == sum(p["cost_cents"] for p in week["people"])
    assert week["expected_sales_cents"] > 0 and week["open_shift_hours"] == 0
    assert week["labour_percent"] == round(100 * week["cost_cents"] / week["expected_sales_cents"], 1)
    await refused("forbidden", call, "get_labour", {"location_id": "campus"}, BARISTA)


async def test_the_seeded_sales_history_has_weekly_and_daily_patterns(platform: Platform) -> None:
    async with platform.db.reader() as session:
        rows = (await session.scalars(select(SalesHour).where(SalesHour.location_id == "campus"))).all()
    assert len({r.starts_at.date() for r in rows}) >= 50
    by_weekday: dict[int, list[int]] = defaultdict(list)
    by_hour: dict[int, list[int]] = defaultdict(list)
    for r in rows:
        local = r.starts_at.astimezone(ZoneInfo("America/New_York"))
        by_weekday[local.weekday()].append(r.orders)
        by_hour[local.hour].append(r.orders)
    daily = {d: sum(v) for d, v in by_weekday.items()}  # the same number of each weekday
    assert daily[1] > 1.5 * daily[6], "campus is busier on a Tuesday than a Sunday"
    assert sum(by_hour[8]) / len(by_hour[8]) > 2 * sum(by_hour[16]) / len(by_hour[16]), "the morning rush"


async def test_a_swap_is_checked_when_asked_and_made_when_the_colleague_accepts(call: Caller) -> None:
    rota = await _rota(call, days=7)
    baristas = [s for s in rota if s["role"] == "barista" and s["staff_id"]]
    pairs = [(a, b) for a in baristas for b in baristas if a["day"] < b["day"] and a["staff_id"] != b["staff_id"]]
    someone_elses = pairs[0]
    holders = {someone_elses[0]["staff_id"], someone_elses[1]["staff_id"]}
    other = next(s["staff_id"] for s in rota if s["staff_id"] and s["staff_id"] not in holders)
    bystander = Principal.parse(f"staff:{other}@downtown")
    await refused("forbidden", call, "request_swap", {"shift_id": someone_elses[0]["shift_id"],
                                                      "other_shift_id": someone_elses[1]["shift_id"]}, bystander)
    swap, refusals = None, 0
    for mine, theirs in pairs:  # the rules refuse some trades at once (and change nothing); one goes through
        asker = Principal.parse(f"staff:{mine['staff_id']}@downtown")
        try:
            swap = await call("request_swap", {"shift_id": mine["shift_id"], "other_shift_id": theirs["shift_id"]},
                              asker)
            break
        except RuleBroken as exc:
            refusals += 1
            assert exc.details["breaches"] and (await call("list_swaps", {}, MANAGER))["swaps"] == []
    assert swap is not None and refusals > 0 and await _rota(call, days=7) == rota
    asked = Principal.parse(f"staff:{theirs['staff_id']}@downtown")
    assert swap["state"] == "pending" and swap["asked"] == theirs["staff_id"]
    await refused("forbidden", call, "answer_swap", {"swap_id": swap["swap_id"], "accept": True}, asker)
    told = (await call("list_notifications", {}, asked))["items"]
    assert f"(swap {swap['swap_id']})" in told[0]["text"]
    done = await call("answer_swap", {"swap_id": swap["swap_id"], "accept": True}, asked)
    assert done["state"] == "accepted" and done["shift"]["staff_id"] == theirs["staff_id"]
    assert done["other_shift"]["staff_id"] == mine["staff_id"]
    await refused("conflict", call, "answer_swap", {"swap_id": swap["swap_id"], "accept": False}, asked)
    changes = (await call("list_rota_changes", {"location_id": "downtown", "week_of": mine["day"]}, MANAGER))
    assert [(c["shift_id"], c["before"]["staff_id"], c["after"]["staff_id"]) for c in changes["changes"]] == [
        (mine["shift_id"], mine["staff_id"], theirs["staff_id"]), (theirs["shift_id"], theirs["staff_id"],
                                                                    mine["staff_id"])]
    await refused("not_found", call, "list_rota_changes", {"location_id": "moon"}, MANAGER)
