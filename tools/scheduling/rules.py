"""The rules a rota keeps, checked for one person holding one shift against everything else they hold.

Pure functions over plain values, so every surface (a capability, the rota solver's final check, a test) asks
the same question. Hard rules cannot be overridden; a manager may override a soft one by naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

MIN_REST = timedelta(hours=11)
MAX_SHIFT = timedelta(hours=10)
MAX_DAYS_IN_A_ROW = 6
SOFT = frozenset({"availability", "weekly_hours"})
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Breach(BaseModel):
    """A rule the change would break, with the numbers that break it."""

    rule: str
    hard: bool
    message: str


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    locations: tuple[str, ...]
    skills: tuple[str, ...]
    max_hours: int
    availability: dict[str, list[str]]


@dataclass(frozen=True)
class Slot:
    """A shift as the rules see it: where, which role, and when (aware datetimes)."""

    location_id: str
    role: str
    starts_at: datetime
    ends_at: datetime
    tz: ZoneInfo

    def local(self) -> tuple[datetime, datetime]:
        return self.starts_at.astimezone(self.tz), self.ends_at.astimezone(self.tz)

    @property
    def day(self) -> date:
        return self.local()[0].date()

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


def _hm(t: str) -> time:
    return time.fromisoformat(t)


def _available(p: Person, s: Slot) -> Breach | None:
    start, end = s.local()
    windows = p.availability.get(DAYS[start.weekday()], [])
    for window in windows:
        low, high = (_hm(part) for part in window.split("-"))
        if low <= start.time() and (end.time() <= high) and end.date() == start.date():
            return None
    said = ", ".join(windows) or "not at all"
    return Breach(rule="availability", hard=False, message=(
        f"{p.name} is available {DAYS[start.weekday()]} {said}, not {start:%H:%M}-{end:%H:%M}"))


def gap(a: Slot, b: Slot) -> timedelta:
    """The time between two shifts that do not overlap (negative when they do)."""
    return b.starts_at - a.ends_at if a.ends_at <= b.starts_at else a.starts_at - b.ends_at


def clash(a: Slot, b: Slot) -> bool:
    """Whether one person may not hold both: they overlap, fall on one day, or leave too little rest between."""
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at or a.day == b.day or gap(a, b) < MIN_REST


def week_hours(day: date, held: list[Slot]) -> float:
    """Hours of `held` in the (Monday to Sunday) week of `day`."""
    monday = day - timedelta(days=day.weekday())
    return sum(o.hours for o in held if monday <= o.day < monday + timedelta(days=7))


def _apart(p: Person, s: Slot, others: list[Slot]) -> list[Breach]:
    out = []
    for o in others:
        if o.starts_at < s.ends_at and s.starts_at < o.ends_at:
            out.append(Breach(rule="overlap", hard=True, message=(
                f"{p.name} already works {o.location_id} {o.local()[0]:%a %H:%M}-{o.local()[1]:%H:%M}")))
            continue
        if o.day == s.day:
            out.append(Breach(rule="one_shift_a_day", hard=True, message=(
                f"{p.name} already has a shift on {s.day:%a %d %b} ({o.location_id} {o.local()[0]:%H:%M})")))
        rest = gap(s, o)
        if rest < MIN_REST:
            out.append(Breach(rule="rest", hard=True, message=(
                f"{p.name} would have {rest.total_seconds() / 3600:.1f} h rest between shifts (at least "
                f"{MIN_REST.total_seconds() / 3600:.0f} h)")))
    return out


def _days_in_a_row(p: Person, s: Slot, others: list[Slot]) -> Breach | None:
    worked = {o.day for o in others} | {s.day}
    run, d = 1, s.day
    while d - timedelta(days=1) in worked:
        run, d = run + 1, d - timedelta(days=1)
    d = s.day
    while d + timedelta(days=1) in worked:
        run, d = run + 1, d + timedelta(days=1)
    if run <= MAX_DAYS_IN_A_ROW:
        return None
    return Breach(rule="days_in_a_row", hard=True, message=(
        f"{p.name} would work {run} days in a row (at most {MAX_DAYS_IN_A_ROW})"))


def _weekly_hours(p: Person, s: Slot, others: list[Slot]) -> Breach | None:
    total = s.hours + week_hours(s.day, others)
    if total <= p.max_hours:
        return None
    monday = s.day - timedelta(days=s.day.weekday())
    return Breach(rule="weekly_hours", hard=False, message=(
        f"{p.name} would work {total:.1f} h in the week of {monday:%d %b} (contract: at most {p.max_hours} h)"))


def check(p: Person, s: Slot, others: list[Slot], time_off: list[tuple[datetime, datetime]]) -> list[Breach]:
    """Every rule `p` holding `s` would break, given the other shifts they hold and their approved time off."""
    out: list[Breach] = []
    if s.location_id not in p.locations:
        out.append(Breach(rule="shop", hard=True, message=f"{p.name} does not work at {s.location_id}"))
    if s.role not in p.skills:
        out.append(Breach(rule="skill", hard=True, message=f"{p.name} is not a {s.role}"))
    if s.ends_at - s.starts_at > MAX_SHIFT:
        out.append(Breach(rule="shift_length", hard=True, message=(
            f"the shift is {s.hours:.1f} h long (at most {MAX_SHIFT.total_seconds() / 3600:.0f} h)")))
    out += [Breach(rule="time_off", hard=True, message=f"{p.name} has approved time off {a:%a %d %b}-{b:%a %d %b}")
            for a, b in time_off if a < s.ends_at and s.starts_at < b]
    out += _apart(p, s, others)
    out += [b for b in (_available(p, s), _days_in_a_row(p, s, others), _weekly_hours(p, s, others)) if b]
    return out


def refusing(breaches: list[Breach], override: set[str]) -> list[Breach]:
    """What still stands after the manager's overrides (hard rules always stand)."""
    return [b for b in breaches if b.hard or b.rule not in override]
