"""Rota benchmark: CP-SAT on the seeded shops, against a baseline measured in the same run — checking every rule
for every (person, shift) pair, the least work any rota needs.

Reported: one shop-week (downtown, 7 staff) and three shops × two weeks (week by week, as the seed does, and both
weeks in one model), each with its staffing need from the seeded sales history and the optional extra shifts it
asks for: seconds to the first feasible rota and to the best, optimal or not, objective and gap to the bound, and
the ratio to the baseline. Then a sick day: one person
cannot work one day of a solved week; re-solving with the rota as the hint vs from scratch, how many other
assignments change. Nothing is asserted.

Run `.venv/bin/python -m bench.rota`; JSON in bench/results/rota-*.json.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from gocoffee.bootstrap import build_platform, running
from gocoffee.settings import Settings
from store.menu import Location
from store.scheduling import StaffMember
from tools.scheduling.rota import monday_of, staffer, week_needs
from tools.scheduling.rules import Slot, check
from tools.scheduling.solver import Demand, Rota, Staffer, solve
from tools.scheduling.staffing import Typical, typical

RESULTS = Path(__file__).resolve().parent / "results"


def baseline(staff: list[Staffer], needs: list[Slot]) -> float:
    start = time.perf_counter()
    for s in staff:
        for n in needs:
            check(s.person, n, [], [])
    return time.perf_counter() - start


def timed(staff: list[Staffer], needs: list[Slot], demand: Demand, hint: list[str | None] | None = None
          ) -> tuple[Rota, float]:
    start = time.perf_counter()
    rota = solve(staff, needs, hint, demand)
    return rota, time.perf_counter() - start


def two_weeks(shop: Location, monday: date, usual: Typical) -> tuple[list[Slot], Demand]:
    first, second = week_needs(shop, monday, usual), week_needs(shop, monday + timedelta(weeks=1), usual)
    shift = len(first[0])
    return first[0] + second[0], Demand(first[1].hours + second[1].hours,
                                        first[1].optional | {n + shift for n in second[1].optional})


def row(name: str, rota: Rota, seconds: float, base: float) -> dict[str, Any]:
    gap = abs(rota.objective - rota.bound) / max(abs(rota.objective), 1)
    out = {"case": name, "seconds": round(seconds, 3), "first_feasible_seconds": round(rota.first_seconds, 3),
           "optimal": rota.optimal, "objective": rota.objective, "gap": round(gap, 4),
           "ratio_to_rule_checks": round(seconds / base, 1)}
    print(f"{name:<31} {seconds:6.3f} s (first {rota.first_seconds:.3f} s)  {'optimal' if rota.optimal else 'feasible'}"
          f"  objective {rota.objective:,.0f}  gap {gap:.2%}  ×{out['ratio_to_rule_checks']} the rule checks",
          flush=True)
    return out


def sick_day(staff: list[Staffer], needs: list[Slot], demand: Demand, rota: Rota) -> dict[str, Any]:
    """The busiest person cannot work the first day they were given; re-solve with and without the hint."""
    busiest = max(staff, key=lambda s: rota.holders.count(s.person.id))
    day = next(n.day for n, h in zip(needs, rota.holders, strict=True) if h == busiest.person.id)
    off = datetime.combine(day, datetime.min.time(), needs[0].tz)
    sick = [replace(s, time_off=((off, off + timedelta(days=1)),)) if s is busiest else s for s in staff]
    lost = sum(1 for n, h in zip(needs, rota.holders, strict=True) if h == busiest.person.id and n.day == day)
    stable, _ = timed(sick, needs, demand, rota.holders)
    fresh, _ = timed(sick, needs, demand)
    moved = sum(1 for a, b in zip(rota.holders, fresh.holders, strict=True) if a != b) - lost
    print(f"sick day ({busiest.person.id}, {day:%a}): {lost} shift(s) lost; other assignments changed: "
          f"{stable.changed - lost} with the hint, {moved} from scratch", flush=True)
    return {"lost": lost, "changed_with_hint": stable.changed - lost, "changed_from_scratch": moved}


def week_by_week(staff: list[Staffer], shop: Location, monday: date, usual: Typical) -> tuple[Rota, float]:
    """Two weeks as the seed makes them: the first solved, then held fixed while the second is solved."""
    (first_needs, first_demand), (second_needs, second_demand) = (
        week_needs(shop, monday, usual), week_needs(shop, monday + timedelta(weeks=1), usual))
    first, t1 = timed(staff, first_needs, first_demand)
    held = [replace(s, holds=tuple(n for n, h in zip(first_needs, first.holders, strict=True) if h == s.person.id))
            for s in staff]
    second, t2 = timed(held, second_needs, second_demand)
    both = Rota(first.holders + second.holders, first.optimal and second.optimal, first.objective + second.objective,
                first_seconds=first.first_seconds, bound=first.bound + second.bound)
    return both, t1 + t2


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        platform = build_platform(Settings(data_dir=Path(tmp), kitchen=False, chain=False))
        async with running(platform) as live, live.db.reader() as session:
            people = (await session.scalars(select(StaffMember).order_by(StaffMember.id))).all()
            shops = (await session.scalars(select(Location).order_by(Location.id))).all()
            usual = {shop.id: await typical(session, shop) for shop in shops}
    monday = monday_of(date.today()) + timedelta(weeks=4)
    rows = []
    downtown = next(s for s in shops if s.id == "downtown")
    staff = [staffer(m) for m in people if m.home_location_id == "downtown"]
    needs, demand = week_needs(downtown, monday, usual["downtown"])
    base = baseline(staff, needs)
    rota, seconds = timed(staff, needs, demand)
    rows.append(row(f"downtown, 1 week ({len(staff)} staff)", rota, seconds, base))
    sick = sick_day(staff, needs, demand, rota)
    for shop in shops:
        mine = [staffer(m) for m in people if m.home_location_id == shop.id]
        both, both_demand = two_weeks(shop, monday, usual[shop.id])
        base = baseline(mine, both)
        rota, seconds = timed(mine, both, both_demand)
        rows.append(row(f"{shop.id}, 2 weeks in one model", rota, seconds, base))
        rows.append(row(f"{shop.id}, week by week", *week_by_week(mine, shop, monday, usual[shop.id]), base))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"rota-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps({"rows": rows, "sick_day": sick}, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    asyncio.run(main())
