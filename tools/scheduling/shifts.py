"""Shift capabilities: read a rota; assign, unassign, move and swap shifts, every change checked by the rules.

A change names the version of the shift it was made against when the caller read it; the UPDATE is conditional on
that version, so of two concurrent changes to one shift exactly one wins and the other gets a conflict.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select, update

from store.engine import rows_changed
from store.scheduling import Shift
from tools.context import ToolContext
from tools.errors import Conflict, InvalidInput
from tools.inventory import ensure_location_scope
from tools.notifications import events
from tools.principal import MANAGERS, STAFF_ONLY, Role
from tools.registry import Rest, Talk, capability
from tools.scheduling import changes, roster
from tools.scheduling.models import (
    AssignShift,
    MoveShift,
    ShiftList,
    ShiftOut,
    ShiftPick,
    ShiftQuery,
    SwapShifts,
    UnassignShift,
)


def _query(ctx: ToolContext, cmd: ShiftQuery) -> ShiftQuery:
    """Staff read their own shop's rota, or their own shifts anywhere."""
    p = ctx.principal
    if p.role != Role.STAFF or cmd.staff_id == p.id:
        return cmd
    ensure_location_scope(p, cmd.location_id or p.location_id or "")
    return cmd.model_copy(update={"location_id": p.location_id})


@capability(domain="scheduling", roles=STAFF_ONLY, rest=Rest("GET", "/shifts"), talk=Talk(
    asks=("rota", "shifts", "shift", "working", "who's on", "who is on", "schedule", "on shift", "in work", "enough"),
    unless=("move", "swap", "cover", "assign", "sick", "off", "make", "generate", "publish", "short", "gaps",
            "labour", "labor", "hours", "staffed", "overstaffed", "enough people", "enough staff"),
    each="{weekday} {day} {start}-{end} {role} at {location_id}: {held_by}", empty="No shifts then.",
    done="{listed}."))
async def list_shifts(ctx: ToolContext, cmd: ShiftQuery) -> ShiftList:
    """List the shifts of a shop or a person from a day, for some days.

    Default: the next 7 days from today, or the one day named. Staff see their own shop's rota and their own
    shifts."""
    cmd = _query(ctx, cmd)
    tz = await roster.zones(ctx.session)
    zone = tz.get(cmd.location_id or "") or next(iter(tz.values()))
    first = cmd.starts_on or ctx.now().astimezone(zone).date()
    days = cmd.days or (1 if cmd.starts_on else 7)
    start = datetime.combine(first, time(), zone) - timedelta(hours=12)  # shops in other zones start earlier
    query = select(Shift).where(Shift.starts_at >= start, Shift.starts_at < start + timedelta(days=days, hours=36),
                                Shift.state != "cancelled").order_by(Shift.starts_at, Shift.location_id, Shift.id)
    if cmd.location_id:
        query = query.where(Shift.location_id == cmd.location_id)
    if cmd.staff_id:
        query = query.where(Shift.staff_id == cmd.staff_id)
    names = await roster.names(ctx.session)
    shifts = [roster.shown(s, tz, names) for s in (await ctx.session.scalars(query)).all()]
    return ShiftList(shifts=[s for s in shifts if first <= s.day < first + timedelta(days=days)])


async def _changed(ctx: ToolContext, s: Shift, version: int | None, **values: object) -> ShiftOut:
    """Write the change if the shift is still at the version read (and at `version`, when the caller gave one)."""
    if version is not None and version != s.version:
        raise Conflict(f"shift {s.id} changed since you read it (version {s.version}, not {version})",
                       shift_id=s.id, version=s.version)
    tz, names = await roster.zones(ctx.session), await roster.names(ctx.session)
    before = roster.shown(s, tz, names)
    done = await ctx.session.execute(update(Shift).where(Shift.id == s.id, Shift.version == s.version)
                                     .values(**values, version=s.version + 1))
    if rows_changed(done) != 1:
        raise Conflict(f"shift {s.id} was changed by someone else just now; read it again", shift_id=s.id)
    await ctx.session.refresh(s)
    after = roster.shown(s, tz, names)
    changes.record(ctx.session, ctx.now(), ctx.principal.person, before, after)
    await events.shift_changed(ctx.session, ctx.now(), ctx.principal.person, before.model_dump(), after.model_dump())
    return after


async def _live(ctx: ToolContext, which: ShiftPick) -> Shift:
    s = await roster.pick(ctx.session, which)
    if s.state == "cancelled":
        raise Conflict(f"shift {s.id} is cancelled", shift_id=s.id)
    return s


@capability(domain="scheduling", roles=MANAGERS, mutating=True, rest=Rest("POST", "/shifts/assign"))
async def assign_shift(ctx: ToolContext, cmd: AssignShift) -> ShiftOut:
    """Give a shift to a staff member, if the rota's rules allow it.

    Refused, naming the rule and its numbers, when it would break one: the shop and the role's skill, overlapping
    shifts, one shift a day, 11 h rest, 6 days in a row, 10 h shifts and approved time off are hard; availability
    and weekly contracted hours are soft (`override` to knowingly break them)."""
    s = await _live(ctx, cmd)
    who = await roster.person(ctx.session, cmd.staff_id)
    slot = roster.as_slot(s, await roster.zones(ctx.session))
    roster.refuse_if_broken(await roster.breaches(ctx.session, who, slot, {s.id}), set(cmd.override))
    return await _changed(ctx, s, cmd.version, staff_id=who.id)


@capability(domain="scheduling", roles=MANAGERS, mutating=True, rest=Rest("POST", "/shifts/unassign"))
async def unassign_shift(ctx: ToolContext, cmd: UnassignShift) -> ShiftOut:
    """Take a shift from whoever holds it, leaving it open for cover."""
    s = await _live(ctx, cmd)
    if s.staff_id is None:
        raise Conflict(f"shift {s.id} is already open", shift_id=s.id)
    return await _changed(ctx, s, cmd.version, staff_id=None)


@capability(domain="scheduling", roles=MANAGERS, mutating=True, rest=Rest("POST", "/shifts/move"), talk=Talk(
    asks=("move", "push", "reschedule", "shift it"), unless=("swap", "cover"),
    confirm="Shall I move {holder}'s {on} shift to {day}?",
    done="Moved: {held_by} now works {weekday} {day} {start}-{end} at {location_id}."))
async def move_shift(ctx: ToolContext, cmd: MoveShift) -> ShiftOut:
    """Move a shift to another day or other times, keeping who holds it.

    The rules are checked for its holder at the new time (the same rules and overrides as assign_shift)."""
    s = await _live(ctx, cmd)
    tz = (await roster.zones(ctx.session))[s.location_id]
    start, end = s.starts_at.astimezone(tz), s.ends_at.astimezone(tz)
    day = cmd.day or start.date()
    new_start = datetime.combine(day, time.fromisoformat(cmd.start) if cmd.start else start.time(), tz)
    new_end = datetime.combine(day, time.fromisoformat(cmd.end), tz) if cmd.end else new_start + (end - start)
    if new_end <= new_start:
        raise InvalidInput("a shift must end after it starts", start=str(new_start.time()), end=str(new_end.time()))
    if s.staff_id:
        slot = roster.as_slot(s, {s.location_id: tz}, new_start, new_end)
        found = await roster.breaches(ctx.session, await roster.person(ctx.session, s.staff_id), slot, {s.id})
        roster.refuse_if_broken(found, set(cmd.override))
    return await _changed(ctx, s, cmd.version, starts_at=new_start, ends_at=new_end)


@capability(domain="scheduling", roles=MANAGERS, mutating=True, rest=Rest("POST", "/shifts/{shift_id}/swap"))
async def swap_shifts(ctx: ToolContext, cmd: SwapShifts) -> ShiftList:
    """Swap the people holding two shifts, if the rules allow it for both."""
    return await swap_holders(ctx, cmd.shift_id, cmd.other_shift_id, set(cmd.override))


async def swappable(ctx: ToolContext, shift_id: int, other_shift_id: int, override: set[str]) -> tuple[Shift, Shift]:
    """The two live shifts, held by two people, if each could hold the other's under the rules."""
    a, b = await _live(ctx, ShiftPick(shift_id=shift_id)), await _live(ctx, ShiftPick(shift_id=other_shift_id))
    if a.id == b.id or not a.staff_id or not b.staff_id or a.staff_id == b.staff_id:
        raise InvalidInput("swap two shifts held by two different people", shift_id=a.id, other_shift_id=b.id)
    tz = await roster.zones(ctx.session)
    for holder, target in ((a.staff_id, b), (b.staff_id, a)):
        who = await roster.person(ctx.session, holder)
        found = await roster.breaches(ctx.session, who, roster.as_slot(target, tz), {a.id, b.id})
        roster.refuse_if_broken(found, override)
    return a, b


async def swap_holders(ctx: ToolContext, shift_id: int, other_shift_id: int, override: set[str]) -> ShiftList:
    a, b = await swappable(ctx, shift_id, other_shift_id, override)
    first_holder = a.staff_id
    first = await _changed(ctx, a, None, staff_id=b.staff_id)
    second = await _changed(ctx, b, None, staff_id=first_holder)
    return ShiftList(shifts=[first, second])
