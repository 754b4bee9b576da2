"""Reading the board: a shop's local clock and hours, who a task is for, and a task as callers see it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import Location
from store.tasks import Task
from tools.errors import InvalidInput
from tools.scheduling.roster import names, zones
from tools.scheduling.rules import DAYS
from tools.tasks.models import TaskOut


def hours(location: Location, day: date) -> tuple[datetime, datetime] | None:
    """When the shop opens and closes on its local `day`, or None if it is closed."""
    span = location.opening_hours.get(DAYS[day.weekday()])
    if not span:
        return None
    tz = ZoneInfo(location.timezone)
    return datetime.combine(day, time.fromisoformat(span[0]), tz), datetime.combine(day, time.fromisoformat(span[1]), tz)


def due_at(location: Location, day: date, at: time | None, part: str | None) -> datetime:
    """A due time on the shop's local `day`: a clock time, its opening or closing, or (neither) its closing, or
    the day's end when it is closed."""
    tz = ZoneInfo(location.timezone)
    if at is not None:
        return datetime.combine(day, at, tz)
    span = hours(location, day)
    if span is None and part is not None:
        raise InvalidInput(f"{location.name} is closed on {day:%a %-d %b}", location_id=location.id, day=str(day))
    if span is None:
        return datetime.combine(day + timedelta(days=1), time(), tz) - timedelta(minutes=1)
    return span[0] if part == "open" else span[1]


def next_due(location: Location, now: datetime, at: time | None, part: str | None) -> datetime:
    """The next such time from now: "before close" said after closing is tomorrow's closing."""
    today = now.astimezone(ZoneInfo(location.timezone)).date()
    for ahead in range(8):
        day = today + timedelta(days=ahead)
        if (at is not None or hours(location, day) is not None) and (due := due_at(location, day, at, part)) > now:
            return due
    raise InvalidInput(f"{location.name} does not open in the coming week", location_id=location.id)


def who(task: Task, names: dict[str, str]) -> str:
    if task.assignee_id:
        return names.get(task.assignee_id, task.assignee_id)
    return f"any {task.assignee_role}" if task.assignee_role else "anyone"


def out(task: Task, now: datetime, tz: dict[str, ZoneInfo], people: dict[str, str]) -> TaskOut:
    local = task.due_at.astimezone(tz[task.location_id]) if task.due_at else None
    return TaskOut(task_id=task.id, title=task.title, location_id=task.location_id, assignee_id=task.assignee_id,
                   assignee_role=task.assignee_role, who=who(task, people), due_at=task.due_at,
                   due=f"due {local:%a %-d %b %H:%M}" if local else "no due time",
                   overdue=task.state == "open" and task.due_at is not None and task.due_at < now,
                   priority=task.priority, state=task.state, about_kind=task.about_kind, about_id=task.about_id,
                   source=task.source, created_by=task.created_by, done_by=task.done_by, version=task.version)


async def shown(session: AsyncSession, tasks: list[Task], now: datetime) -> list[TaskOut]:
    tz, people = await zones(session), await names(session)
    return [out(t, now, tz, people) for t in tasks]
