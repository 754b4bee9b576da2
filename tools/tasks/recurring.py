"""Recurring tasks: rules kept as data (`recurring.toml`), made into a shop's tasks for the days ahead.

Each rule's day at a shop (and machine) has one key; the insert skips a key that exists, so planning twice, or two
planners at once, make each task once.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.engine import insert_or_skip
from store.kitchen import Machine
from store.menu import Location
from store.tasks import Task
from tools.context import ToolContext
from tools.principal import MANAGERS
from tools.registry import Rest, capability
from tools.scheduling import roster
from tools.scheduling.rules import DAYS
from tools.tasks import shown
from tools.tasks.models import Priority, RecurringPlan, RecurringPlanned, TaskRole

PLANNER = "service:recurring"


class Rule(BaseModel):
    id: str
    title: str
    days: Literal["every"] | list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]
    due: str
    role: TaskRole
    priority: Priority = "normal"
    per: Literal["shop", "machine"] = "shop"

    def falls_on(self, day: date) -> bool:
        return self.days == "every" or DAYS[day.weekday()] in self.days

    def due_at(self, span: tuple[datetime, datetime]) -> datetime:
        part, sign, minutes = self.due.partition("+") if "+" in self.due else self.due.partition("-")
        base = span[0] if part == "open" else span[1]
        return base + (1 if sign == "+" else -1) * timedelta(minutes=int(minutes or 0))


@cache
def rules() -> tuple[Rule, ...]:
    raw = tomllib.loads(Path(__file__).with_name("recurring.toml").read_text(encoding="utf-8"))
    return tuple(Rule.model_validate(r) for r in raw["rule"])


def _rows(location: Location, day: date, machines: list[str], now: datetime) -> list[Task]:
    span = shown.hours(location, day)
    if span is None:
        return []
    out = []
    for rule in (r for r in rules() if r.falls_on(day)):
        for machine in (machines if rule.per == "machine" else [None]):
            out.append(Task(title=rule.title.format(machine=machine), location_id=location.id,
                            assignee_role=rule.role, due_at=rule.due_at(span), priority=rule.priority, state="open",
                            about_kind="machine" if machine else None, about_id=machine, source="recurring",
                            key=f"{rule.id}:{location.id}:{machine or '-'}:{day.isoformat()}", created_by=PLANNER,
                            created_at=now, version=1))
    return out


async def plan(session: AsyncSession, first_day: date | None, days: int, now: datetime,
               location_id: str | None = None) -> list[str]:
    """Make the rules' tasks for `days` from `first_day` (default: each shop's today); returns the keys made."""
    query = select(Location).order_by(Location.id)
    shops = (await session.scalars(query.where(Location.id == location_id) if location_id else query)).all()
    machines = (await session.scalars(select(Machine).order_by(Machine.id))).all()
    rows = []
    for location in shops:
        start = first_day or now.astimezone(ZoneInfo(location.timezone)).date()
        here = [m.id for m in machines if m.location_id == location.id]
        rows += [r for k in range(days) for r in _rows(location, start + timedelta(days=k), here, now)]
    if not rows:
        return []
    columns = [c.key for c in Task.__table__.columns if c.key != "id"]
    made = await session.execute(insert_or_skip(session, Task, [{c: getattr(r, c) for c in columns} for r in rows],
                                                "key").returning(Task.key))
    return [k for k in made.scalars().all() if k]


@capability(domain="tasks", roles=MANAGERS, mutating=True, rest=Rest("POST", "/tasks/recurring"))
async def plan_recurring_tasks(ctx: ToolContext, cmd: RecurringPlan) -> RecurringPlanned:
    """Put the recurring tasks (opening and closing checklists, cleaning, descaling…) on the boards for the days
    ahead. A rule's day already on a board is not made again."""
    if cmd.location_id:
        await roster.shop(ctx.session, cmd.location_id)
    keys = await plan(ctx.session, cmd.first_day, cmd.days, ctx.now(), cmd.location_id)
    made = (await ctx.session.scalars(select(Task).where(Task.key.in_(keys)).order_by(Task.due_at, Task.id))).all() \
        if keys else []
    return RecurringPlanned(created=len(keys), tasks=await shown.shown(ctx.session, list(made), ctx.now()))
