"""A shop-week's shifts from its opening hours, and the rota the solver makes of them.

Each open day has a keyholder and a barista from half an hour before opening to half an hour after closing;
a day longer than a 10-hour shift is split into an opening and a closing pair that overlap at midday. Where the
staffing need (`staffing.py`) asks for more people than those at some hour, 4-hour barista shifts over those
hours are offered to the solver as optional extras; it takes the ones worth their cost.
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
from tools.scheduling.solver import Demand, Rota, Staffer, solve
from tools.scheduling.staffing import Typical, open_hours, typical

SETTLE = timedelta(minutes=30)
LONG_DAY_SHIFT = timedelta(hours=8)
EXTRA_SHIFT = 4
"""Hours of an optional extra shift for a busy stretch."""
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


def _covers(s: Slot, hour: datetime) -> bool:
    return s.starts_at <= hour and s.ends_at >= hour + timedelta(hours=1)


def _extras(location: Location, day: date, core: list[Slot], wanted: list[tuple[datetime, int]]) -> list[Slot]:
    """Every EXTRA_SHIFT-hour barista shift within the day's open hours that covers an hour the core shifts leave
    short, as many of each as the most it would be short."""
    short = [people - sum(_covers(s, hour) for s in core) for hour, people in wanted]
    tz = ZoneInfo(location.timezone)
    out = []
    for k in range(len(wanted) - EXTRA_SHIFT + 1):
        start = wanted[k][0]
        out += [Slot(location.id, "barista", start, start + timedelta(hours=EXTRA_SHIFT), tz)] * max(
            0, *short[k:k + EXTRA_SHIFT])
    return out


def week_needs(location: Location, monday: date, usual: Typical) -> tuple[list[Slot], Demand]:
    """The week's shifts to fill, core first then the optional extras, and the staffing need they answer."""
    core = needs_for(location, monday)
    extras: list[Slot] = []
    hours: list[tuple[datetime, int]] = []
    for day in (monday + timedelta(days=k) for k in range(7)):
        wanted = [(hour, usual.need(day, hour.hour)) for hour in open_hours(location, day)]
        extras += _extras(location, day, [s for s in core if s.day == day], wanted)
        hours += wanted
    return core + extras, Demand(tuple(hours), frozenset(range(len(core), len(core) + len(extras))))


def staffer(m: StaffMember) -> Staffer:
    return Staffer(as_person(m), m.hourly_rate_cents, m.min_hours, frozenset(m.preferences.get("prefer", [])),
                   frozenset(m.preferences.get("avoid", [])))


_SEED_ROTAS: dict[tuple[str, date, str], Rota] = {}


def _solved(location_id: str, monday: date, staff: list[Staffer], needs: list[Slot], demand: Demand) -> Rota:
    """The seed's rota for a shop-week: the same inputs give the same rota, so it is solved once a process."""
    key = (location_id, monday, repr((staff, needs, demand)))
    if key not in _SEED_ROTAS:
        _SEED_ROTAS[key] = solve(staff, needs, demand=demand)
    return _SEED_ROTAS[key]


async def seed_rotas(session: AsyncSession, now: datetime, weeks: int = 2) -> int:
    """Publish a solved rota for this week and the next (in the shop's own time zone) at every shop, if the store has no shifts yet; returns how
    many shifts were written. Each person works at their home shop in the seed (two-shop people help out later).
    Needs the sales history (the staffing need) seeded first."""
    if await session.scalar(select(func.count()).select_from(Shift)):
        return 0
    people = (await session.scalars(select(StaffMember).order_by(StaffMember.id))).all()
    written = 0
    for location in (await session.scalars(select(Location).order_by(Location.id))).all():
        home = [staffer(m) for m in people if m.home_location_id == location.id]
        usual = await typical(session, location)
        for week in range(weeks):  # week by week, each held fixed for the next (rest and days in a row span them)
            monday = monday_of(now.astimezone(ZoneInfo(location.timezone)).date()) + timedelta(weeks=week)
            needs, demand = week_needs(location, monday, usual)
            rota = _solved(location.id, monday, home, needs, demand)
            kept = [(n, h) for k, (n, h) in enumerate(zip(needs, rota.holders, strict=True))
                    if h is not None or k not in demand.optional]
            session.add_all([Shift(location_id=n.location_id, role=n.role, starts_at=n.starts_at, ends_at=n.ends_at,
                                   staff_id=holder, state="published", version=1) for n, holder in kept])
            home = [replace(s, holds=(*s.holds, *(n for n, h in kept if h == s.person.id))) for s in home]
            written += len(kept)
    await session.flush()
    return written
