"""Reading the rota from the store for the rules: people, their shifts and time off, shops' time zones."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import Location
from store.scheduling import Shift, StaffMember, TimeOff
from tools.errors import InvalidInput, NotFound, RuleBroken
from tools.scheduling.models import ShiftOut, ShiftPick
from tools.scheduling.rules import Breach, Person, Slot, check, refusing

NEAR = timedelta(days=8)
"""Shifts further than this from a change cannot break its rules (rest, days in a row, the week's hours)."""


async def zones(session: AsyncSession) -> dict[str, ZoneInfo]:
    return {loc.id: ZoneInfo(loc.timezone) for loc in (await session.scalars(select(Location))).all()}


async def shop(session: AsyncSession, location_id: str) -> Location:
    found = await session.get(Location, location_id)
    if found is None:
        raise NotFound(f"no shop {location_id!r}", location_id=location_id)
    return found


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
    """The rules `who` holding `slot` would break, against their other live shifts near it (not those in `ignore`).
    The person's row is locked first: two changes to two of one person's shifts are checked one after the other."""
    await session.execute(select(StaffMember.id).where(StaffMember.id == who.id).with_for_update())
    off = (await session.scalars(select(TimeOff).where(TimeOff.staff_id == who.id, TimeOff.state == "approved"))).all()
    return check(as_person(who), slot, await held(session, who, slot, ignore), [(t.starts_at, t.ends_at) for t in off])


async def held(session: AsyncSession, who: StaffMember, slot: Slot, ignore: set[int]) -> list[Slot]:
    """The live shifts `who` holds near `slot` (not those in `ignore`)."""
    tz = await zones(session)
    near = (await session.scalars(select(Shift).where(
        Shift.staff_id == who.id, Shift.state != "cancelled", Shift.starts_at < slot.ends_at + NEAR,
        Shift.ends_at > slot.starts_at - NEAR))).all()
    return [as_slot(s, tz) for s in near if s.id not in ignore]


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


async def pick(session: AsyncSession, which: ShiftPick) -> Shift:
    """The one live shift `which` names, or a refusal saying what is missing or which shifts it could be."""
    if which.shift_id is not None:
        return await shift(session, which.shift_id)
    if which.on is None:
        raise InvalidInput("say which shift: its number, or whose shift (or which shop's) on which day")
    tz = await zones(session)
    start = datetime.combine(which.on, time(), next(iter(tz.values()))) - timedelta(hours=14)
    near = (await session.scalars(select(Shift).where(
        Shift.state != "cancelled", Shift.starts_at >= start, Shift.starts_at < start + timedelta(hours=52))
        .order_by(Shift.starts_at, Shift.id))).all()
    found = [s for s in near if s.starts_at.astimezone(tz[s.location_id]).date() == which.on
             and which.holder in (None, s.staff_id) and which.location_id in (None, s.location_id)]
    if which.part:
        edge = (min if which.part == "open" else max)(
            (s.starts_at if which.part == "open" else s.ends_at) for s in found) if found else None
        found = [s for s in found if (s.starts_at if which.part == "open" else s.ends_at) == edge]
    if which.role or len({s.role for s in found}) > 1 and which.part:
        found = [s for s in found if s.role == (which.role or "keyholder")]
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(f"no such shift on {which.on:%a %d %b}", on=str(which.on), holder=which.holder,
                       location_id=which.location_id)
    people = await names(session)
    listed = "; ".join(f"{s.id}: {s.location_id} {s.starts_at.astimezone(tz[s.location_id]):%H:%M} {s.role} "
                       f"({people.get(s.staff_id or '', 'open')})" for s in found[:8])
    raise InvalidInput(f"which shift on {which.on:%a %d %b}? {listed}", shifts=[s.id for s in found])
