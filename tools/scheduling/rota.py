"""A shop-week's shifts from its opening hours, and the rota the solver makes of them.

Each open day has a keyholder and a barista from half an hour before opening to half an hour after closing;
a day longer than a 10-hour shift is split into an opening and a closing pair that overlap at midday.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import Location
from store.scheduling import Shift, StaffMember
from tools.scheduling.roster import as_person
from tools.scheduling.rules import DAYS, MAX_SHIFT, Slot
from tools.scheduling.solver import Rota, Staffer, solve

SETTLE = timedelta(minutes=30)
LONG_DAY_SHIFT = timedelta(hours=8)
ROLES = ("keyholder", "barista")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def needs_for(location: Location, monday: date) -> list[Slot]:
    """The week's shifts to fill at `location`, in local opening hours."""
    tz = ZoneInfo(location.timezone)
    out = []
    for k in range(7):
        day = monday + timedelta(days=k)
        hours = location.opening_hours.get(DAYS[k])
        if not hours:
            continue
        opens = datetime.combine(day, time.fromisoformat(hours[0]), tz) - SETTLE
        closes = datetime.combine(day, time.fromisoformat(hours[1]), tz) + SETTLE
        spans = [(opens, closes)] if closes - opens <= MAX_SHIFT else [
            (opens, opens + LONG_DAY_SHIFT), (closes - LONG_DAY_SHIFT, closes)]
        out += [Slot(location.id, role, a, b, tz) for a, b in spans for role in ROLES]
    return out


def staffer(m: StaffMember) -> Staffer:
    return Staffer(as_person(m), m.hourly_rate_cents, m.min_hours, frozenset(m.preferences.get("prefer", [])),
                   frozenset(m.preferences.get("avoid", [])))


_SEED_ROTAS: dict[tuple[str, date, str], Rota] = {}


def _solved(location_id: str, monday: date, staff: list[Staffer], needs: list[Slot]) -> Rota:
    """The seed's rota for a shop-week: the same inputs give the same rota, so it is solved once a process."""
    key = (location_id, monday, repr((staff, needs)))
    if key not in _SEED_ROTAS:
        _SEED_ROTAS[key] = solve(staff, needs)
    return _SEED_ROTAS[key]


async def seed_rotas(session: AsyncSession, today: date, weeks: int = 2) -> int:
    """Publish a solved rota for this week and the next at every shop, if the store has no shifts yet; returns how
    many shifts were written. Each person works at their home shop in the seed (two-shop people help out later)."""
    if await session.scalar(select(func.count()).select_from(Shift)):
        return 0
    people = (await session.scalars(select(StaffMember).order_by(StaffMember.id))).all()
    written = 0
    for location in (await session.scalars(select(Location).order_by(Location.id))).all():
        home = [staffer(m) for m in people if m.home_location_id == location.id]
        for week in range(weeks):  # week by week, each held fixed for the next (rest and days in a row span them)
            monday = monday_of(today) + timedelta(weeks=week)
            needs = needs_for(location, monday)
            rota = _solved(location.id, monday, home, needs)
            session.add_all([Shift(location_id=n.location_id, role=n.role, starts_at=n.starts_at, ends_at=n.ends_at,
                                   staff_id=holder, state="published", version=1)
                             for n, holder in zip(needs, rota.holders, strict=True)])
            home = [replace(s, holds=(*s.holds, *(n for n, h in zip(needs, rota.holders, strict=True)
                                                  if h == s.person.id))) for s in home]
            written += len(needs)
    await session.flush()
    return written
