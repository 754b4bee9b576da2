"""A shop's rota for some weeks with OR-Tools CP-SAT: who takes which shift.

Hard: the rules in `rules.py` (a person is only offered shifts they may hold — shop, skill, availability, time
off — and never two that clash by overlap, day or rest), at most 6 days in any 7, contracted maximum hours a week.
Soft, in the objective: every shift covered (uncovered costs most); the staffing need hour by hour, for which
optional extra shifts may be filled (an hour short of a person costs far more than an hour over); contracted
minimum hours, preferred and avoided days, labour cost; and, given the current rota as a hint, every changed assignment costs, so a re-solve
after one change moves as few other shifts as possible. Deterministic: one worker, a deterministic time limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ortools.sat.python import cp_model

from tools.scheduling.rules import DAYS, MAX_DAYS_IN_A_ROW, Person, Slot, check, clash

UNCOVERED = 100_000
UNDER_NEED_HOUR = 5_000
"""Per person-hour short of the staffing need: more than a barista's hour costs, so a 4-hour extra shift is taken
when it closes at least two short person-hours."""
OVER_NEED_HOUR = 100
CHANGED = 2_000
UNDER_MIN_HOUR = 500
AVOIDED = 300
PREFERRED = 100
WORK_LIMIT = 10.0
"""Deterministic seconds (CP-SAT's own unit of work): the same answer on every machine."""


@dataclass(frozen=True)
class Staffer:
    person: Person
    hourly_rate_cents: int
    min_hours: int
    prefer: frozenset[str] = frozenset()
    avoid: frozenset[str] = frozenset()
    time_off: tuple[tuple[datetime, datetime], ...] = ()
    holds: tuple[Slot, ...] = ()
    """Shifts this person already holds outside the ones being solved (last week's, another shop's): fixed."""


@dataclass(frozen=True)
class Demand:
    """The staffing need: people wanted per clock hour (its start), and which needs are optional extra shifts."""

    hours: tuple[tuple[datetime, int], ...] = ()
    optional: frozenset[int] = frozenset()


@dataclass
class Rota:
    holders: list[str | None]
    """Per need, who holds it (None: open)."""
    optimal: bool
    objective: float
    changed: int = 0
    wall_seconds: float = 0.0
    first_seconds: float = 0.0
    """Until the first feasible rota was found."""
    bound: float = 0.0
    """The best bound on the objective: equal to it when optimal."""


class _First(cp_model.CpSolverSolutionCallback):
    def __init__(self) -> None:
        super().__init__()
        self.seconds: float | None = None

    def on_solution_callback(self) -> None:
        if self.seconds is None:
            self.seconds = self.wall_time


def _allowed(s: Staffer, need: Slot) -> bool:
    return not check(s.person, need, list(s.holds), list(s.time_off))


def _weeks(model: cp_model.CpModel, s: Staffer, p: int, held: list[tuple[Slot, cp_model.IntVar]]
           ) -> list[cp_model.LinearExprT]:
    """Per week: at most the contracted hours (hard), short of the minimum (a cost); in any 7 days in a row, at
    most 6 worked (one shift a day, so a day's shifts count the day)."""
    cost: list[cp_model.LinearExprT] = []
    mondays = sorted({need.day - timedelta(days=need.day.weekday()) for need, _ in held})
    for monday in mondays:
        week = (monday, monday + timedelta(days=7))
        minutes = [int(need.hours * 60) * var for need, var in held if week[0] <= need.day < week[1]]
        fixed = sum(int(h.hours * 60) for h in s.holds if week[0] <= h.day < week[1])
        model.add(sum(minutes) + fixed <= s.person.max_hours * 60)
        short = model.new_int_var(0, s.min_hours * 60, f"short{p}_{monday}")
        model.add(short >= s.min_hours * 60 - fixed - sum(minutes))
        cost.append(short * (UNDER_MIN_HOUR // 60))  # per minute short of the contracted minimum
    days = sorted({need.day for need, _ in held} | {h.day for h in s.holds})
    for first in days:
        span = (first, first + timedelta(days=MAX_DAYS_IN_A_ROW + 1))
        window = [var for need, var in held if span[0] <= need.day < span[1]]
        model.add(sum(window) + len({h.day for h in s.holds if span[0] <= h.day < span[1]}) <= MAX_DAYS_IN_A_ROW)
    return cost


def _need(model: cp_model.CpModel, needs: Sequence[Slot], filled: list[cp_model.LinearExprT], demand: Demand
          ) -> list[cp_model.LinearExprT]:
    """Per hour of the staffing need: the people short of it and over it, each a cost."""
    cost: list[cp_model.LinearExprT] = []
    for k, (start, people) in enumerate(demand.hours):
        end = start + timedelta(hours=1)
        on = sum(filled[n] for n, need in enumerate(needs) if need.starts_at <= start and need.ends_at >= end)
        under, over = model.new_int_var(0, people, f"under{k}"), model.new_int_var(0, len(needs), f"over{k}")
        model.add(under >= people - on)
        model.add(over >= on - people)
        cost += [UNDER_NEED_HOUR * under, OVER_NEED_HOUR * over]
    return cost


def _twins(model: cp_model.CpModel, needs: Sequence[Slot], filled: list[cp_model.LinearExprT], optional: frozenset[int]
           ) -> None:
    """Identical optional extras are filled in order, so the solver does not search their permutations."""
    last: dict[tuple[str, datetime, datetime], int] = {}
    for n in sorted(optional):
        key = (needs[n].role, needs[n].starts_at, needs[n].ends_at)
        if key in last and not isinstance(filled[n], int):
            model.add(filled[last[key]] >= filled[n])
        last[key] = n


def solve(staff: Sequence[Staffer], needs: Sequence[Slot], hint: Sequence[str | None] | None = None,
          demand: Demand = Demand()) -> Rota:
    """Assign `staff` to `needs` (one shop-week); `hint`: the current holders, kept where they can be; `demand`:
    the staffing need the optional needs are for."""
    model = cp_model.CpModel()
    x = {(p, n): model.new_bool_var(f"x{p}_{n}") for p, s in enumerate(staff) for n, need in enumerate(needs)
         if _allowed(s, need)}
    cost: list[cp_model.LinearExprT] = []
    filled: list[cp_model.LinearExprT] = []
    for n in range(len(needs)):
        takers = [x[p, n] for p in range(len(staff)) if (p, n) in x]
        model.add(sum(takers) <= 1)
        filled.append(sum(takers))
        if n not in demand.optional:
            cost.append(UNCOVERED * (1 - sum(takers)))
    cost += _need(model, needs, filled, demand)
    _twins(model, needs, filled, demand.optional)
    for p, s in enumerate(staff):
        mine = [n for n in range(len(needs)) if (p, n) in x]
        for i, a in enumerate(mine):
            for b in mine[i + 1:]:
                if clash(needs[a], needs[b]):
                    model.add(x[p, a] + x[p, b] <= 1)
        cost += _weeks(model, s, p, [(needs[n], x[p, n]) for n in mine])
        for n in mine:
            weekday = DAYS[needs[n].day.weekday()]
            pay = s.hourly_rate_cents * int(needs[n].hours * 60) // 6000
            cost.append(x[p, n] * (pay + (AVOIDED if weekday in s.avoid else 0) - (PREFERRED if weekday in s.prefer else 0)))
            if hint is not None and hint[n] == s.person.id:
                cost.append(CHANGED * (1 - x[p, n]))
    model.minimize(sum(cost))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = WORK_LIMIT
    first = _First()
    status = solver.solve(model, first)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Rota([None] * len(needs), optimal=False, objective=float("inf"))
    holders: list[str | None] = [None] * len(needs)
    for (p, n), var in x.items():
        if solver.value(var):
            holders[n] = staff[p].person.id
    changed = sum(1 for n, h in enumerate(holders) if hint is not None and hint[n] is not None and hint[n] != h)
    return Rota(holders, status == cp_model.OPTIMAL, solver.objective_value, changed, solver.wall_time,
                first.seconds or 0.0, solver.best_objective_bound)
