"""The staffing need, from the sales history and a stated service rule (`staffing.toml`); what the rota covers of
it, hour by hour; and the labour cost against expected sales."""

from __future__ import annotations

import math
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import Location
from store.sales import SalesHour
from store.scheduling import Shift
from tools.scheduling.models import HourCover
from tools.scheduling.rules import DAYS


@dataclass(frozen=True)
class Rule:
    drinks_per_barista_hour: int
    min_people: int


@cache
def rule() -> Rule:
    return Rule(**tomllib.loads(Path(__file__).with_name("staffing.toml").read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Typical:
    """A shop's average trade by (weekday, local hour) over its history."""

    drinks: dict[tuple[int, int], float]
    revenue_cents: dict[tuple[int, int], float]

    def need(self, day: date, hour: int) -> int:
        drinks = self.drinks.get((day.weekday(), hour), 0.0)
        return max(rule().min_people, math.ceil(drinks / rule().drinks_per_barista_hour))

    def sales_cents(self, day: date) -> int:
        return round(sum(v for (wd, _), v in self.revenue_cents.items() if wd == day.weekday()))


async def typical(session: AsyncSession, location: Location) -> Typical:
    tz = ZoneInfo(location.timezone)
    rows = (await session.scalars(select(SalesHour).where(SalesHour.location_id == location.id))).all()
    drinks: dict[tuple[int, int], list[int]] = defaultdict(list)
    revenue: dict[tuple[int, int], list[int]] = defaultdict(list)
    for r in rows:
        local = r.starts_at.astimezone(tz)
        drinks[(local.weekday(), local.hour)].append(r.drinks)
        revenue[(local.weekday(), local.hour)].append(r.revenue_cents)
    return Typical({k: sum(v) / len(v) for k, v in drinks.items()}, {k: sum(v) / len(v) for k, v in revenue.items()})


def open_hours(location: Location, day: date) -> list[datetime]:
    """The starts of the clock hours the shop is open on its local `day`."""
    span = location.opening_hours.get(DAYS[day.weekday()])
    if not span:
        return []
    tz = ZoneInfo(location.timezone)
    opens, closes = time.fromisoformat(span[0]), time.fromisoformat(span[1])
    return [datetime.combine(day, time(h), tz) for h in range(opens.hour, closes.hour + (1 if closes.minute else 0))]


async def held_shifts(session: AsyncSession, location_id: str, start: datetime, end: datetime) -> list[Shift]:
    return list((await session.scalars(select(Shift).where(
        Shift.location_id == location_id, Shift.state != "cancelled", Shift.starts_at < end,
        Shift.ends_at > start).order_by(Shift.starts_at))).all())


def on_at(shifts: list[Shift], hour: datetime) -> list[Shift]:
    """The held shifts covering the whole clock hour from `hour`."""
    end = hour + timedelta(hours=1)
    return [s for s in shifts if s.staff_id and s.starts_at <= hour and s.ends_at >= end]


def hour_by_hour(location: Location, usual: Typical, shifts: list[Shift], first: date, days: int) -> list[HourCover]:
    """Each open hour of `days` from `first`: the people it needs, the people `shifts` put there, a keyholder."""
    out: list[HourCover] = []
    for day in (first + timedelta(days=k) for k in range(days)):
        for hour in open_hours(location, day):
            on = on_at(shifts, hour)
            needed, keyholder = usual.need(day, hour.hour), any(s.role == "keyholder" for s in on)
            gap = needed - len(on)
            note = ", ".join([*([f"short {gap}"] if gap > 0 else [f"over {-gap}"] if gap < 0 else []),
                              *([] if keyholder else ["no keyholder"])])
            out.append(HourCover(day=day, weekday=DAYS[day.weekday()].capitalize(), hour=f"{hour:%H:%M}",
                                 needed=needed, staffed=len(on), keyholder=keyholder, gap=gap, note=note))
    return out


def covered_percent(hours: list[HourCover]) -> float:
    """The share of the needed person-hours the rota puts people in."""
    need = sum(h.needed for h in hours)
    return round(100 * sum(min(h.needed, h.staffed) for h in hours) / need, 1) if need else 100.0
