"""Reading the rota from the store for the rules: people, their shifts and time off, shops' time zones."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import Location
from store.scheduling import Shift, StaffMember, TimeOff
from tools.errors import NotFound, RuleBroken
from tools.scheduling.models import ShiftOut
from tools.scheduling.rules import Breach, Person, Slot, check, refusing

NEAR = timedelta(days=8)
"""Shifts further than this from a change cannot break its rules (rest, days in a row, the week's hours)."""


async def zones(session: AsyncSession) -> dict[str, ZoneInfo]:
    return {loc.id: ZoneInfo(loc.timezone) for loc in (await session.scalars(select(Location))).all()}


async def person(session: AsyncSession, staff_id: str) -> StaffMember:
    found = await session.get(StaffMember, staff_id)
    if found is None:
        raise NotFound(f"no staff member {staff_id!r}", staff_id=staff_id)
    return found


async def shift(session: AsyncSession, shift_id: int) -> Shift:
    found = await session.get(Shift, shift_id)
    if found is None:
        raise NotFound(f"no shift {shift_id}", shift_id=shift_id)
    return found


def as_person(m: StaffMember) -> Person:
    return Person(m.id, m.name, tuple(m.locations), tuple(m.skills), m.max_hours, m.availability)


def as_slot(s: Shift, tz: dict[str, ZoneInfo], starts_at: datetime | None = None,
            ends_at: datetime | None = None) -> Slot:
    return Slot(s.location_id, s.role, starts_at or s.starts_at, ends_at or s.ends_at, tz[s.location_id])


async def breaches(session: AsyncSession, who: StaffMember, slot: Slot, ignore: set[int]) -> list[Breach]:
    """The rules `who` holding `slot` would break, against their other live shifts near it (not those in `ignore`)."""
    tz = await zones(session)
    near = (await session.scalars(select(Shift).where(
        Shift.staff_id == who.id, Shift.state != "cancelled", Shift.starts_at < slot.ends_at + NEAR,
        Shift.ends_at > slot.starts_at - NEAR))).all()
    off = (await session.scalars(select(TimeOff).where(TimeOff.staff_id == who.id, TimeOff.state == "approved"))).all()
    others = [as_slot(s, tz) for s in near if s.id not in ignore]
    return check(as_person(who), slot, others, [(t.starts_at, t.ends_at) for t in off])


def refuse_if_broken(found: list[Breach], override: set[str]) -> None:
    standing = refusing(found, override)
    if standing:
        raise RuleBroken("; ".join(b.message for b in standing),
                         breaches=[b.model_dump() for b in standing],
                         overridable=all(not b.hard for b in standing))


def shown(s: Shift, tz: dict[str, ZoneInfo], names: dict[str, str]) -> ShiftOut:
    start, end = s.starts_at.astimezone(tz[s.location_id]), s.ends_at.astimezone(tz[s.location_id])
    return ShiftOut(shift_id=s.id, location_id=s.location_id, role=s.role, starts_at=s.starts_at, ends_at=s.ends_at,
                    day=start.date(), weekday=f"{start:%a}", start=f"{start:%H:%M}", end=f"{end:%H:%M}",
                    hours=round((s.ends_at - s.starts_at).total_seconds() / 3600, 2), staff_id=s.staff_id,
                    staff_name=names.get(s.staff_id or ""), held_by=names.get(s.staff_id or "", "open"), state=s.state,
                    version=s.version)


async def names(session: AsyncSession) -> dict[str, str]:
    return {m.id: m.name for m in (await session.scalars(select(StaffMember))).all()}
