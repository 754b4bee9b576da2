"""Time off: staff ask for themselves, a manager decides; approving it opens the shifts it covers for cover."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from store.scheduling import Shift, StaffMember, TimeOff
from tools.context import ToolContext
from tools.errors import Conflict, Forbidden, InvalidInput
from tools.notifications import events
from tools.principal import MANAGERS, STAFF_ONLY, Role
from tools.registry import Rest, Talk, capability
from tools.scheduling import changes, roster
from tools.scheduling.cover import suggested
from tools.scheduling.models import DecideTimeOff, RequestTimeOff, ShiftOut, TimeOffList, TimeOffOut, TimeOffQuery


async def _home_zone(ctx: ToolContext, who: StaffMember) -> ZoneInfo:
    return (await roster.zones(ctx.session))[who.home_location_id]


async def _held_during(ctx: ToolContext, t: TimeOff) -> list[Shift]:
    """The live shifts the person holds during the time off."""
    return list((await ctx.session.scalars(select(Shift).where(
        Shift.staff_id == t.staff_id, Shift.state != "cancelled", Shift.starts_at < t.ends_at,
        Shift.ends_at > t.starts_at).order_by(Shift.starts_at))).all())


async def _out(ctx: ToolContext, t: TimeOff, uncovered: list[ShiftOut] | None = None) -> TimeOffOut:
    who = await roster.person(ctx.session, t.staff_id)
    tz = await _home_zone(ctx, who)
    return TimeOffOut(time_off_id=t.id, staff_id=who.id, staff_name=who.name,
                      first_day=t.starts_at.astimezone(tz).date(),
                      last_day=(t.ends_at - timedelta(seconds=1)).astimezone(tz).date(), reason=t.reason,
                      state=t.state, decided_by=t.decided_by, uncovered=uncovered or [])


@capability(domain="scheduling", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/time-off"), talk=Talk(
    asks=("sick", "time off", "day off", "days off", "holiday", "off work", "can't come in", "cannot come in",
          "won't be in", "not coming in", "need off", "leave", "appointment", "off for", "off next", "off this",
          "off on"),
    confirm="Shall I ask a manager for time off from {first_day}{parts} (\"{reason}\")?",
    parts={"last_day": " to {last_day}"},
    done="Asked: time off for {staff_name} from {first_day} to {last_day} is {state}; a manager will decide."
         "{cover_note}",
    questions={"first_day": "From which day?"}))
async def request_time_off(ctx: ToolContext, cmd: RequestTimeOff) -> TimeOffOut:
    """Ask for time off (staff for themselves; a manager for anyone).

    A manager decides; nothing on the rota changes until it is approved."""
    p = ctx.principal
    staff_id = cmd.staff_id or p.id
    if p.role == Role.STAFF and staff_id != p.id:
        raise Forbidden("staff ask for time off for themselves only", staff_id=staff_id)
    last_day = cmd.last_day or cmd.first_day
    if last_day < cmd.first_day:
        raise InvalidInput("the last day off comes before the first", first_day=str(cmd.first_day),
                           last_day=str(last_day))
    who = await roster.person(ctx.session, staff_id)
    tz = await _home_zone(ctx, who)
    row = TimeOff(staff_id=who.id, starts_at=datetime.combine(cmd.first_day, time(), tz),
                  ends_at=datetime.combine(last_day + timedelta(days=1), time(), tz), reason=cmd.reason,
                  state="pending")
    ctx.session.add(row)
    await ctx.session.flush()
    held = await _held_during(ctx, row)
    cover = [await suggested(ctx, s) for s in held]
    out = await _out(ctx, row)
    return out.model_copy(update={"cover": cover, "cover_note": f" Could cover: {'; '.join(cover)}." if cover else ""})


@capability(domain="scheduling", roles=MANAGERS, mutating=True,
            rest=Rest("POST", "/time-off/{time_off_id}/decision"), talk=Talk(
                asks=("approve", "reject", "decline", "deny", "grant", "refuse"), unless=("swap",),
                confirm="Shall I mark time off request {time_off_id} {decision}?",
                done="Time off {time_off_id} for {staff_name} ({first_day} to {last_day}) is {state}.{open_note}",
                questions={"time_off_id": "Which request? Say its number.",
                           "decision": "Approve it or reject it?"},
                values={"approved": ("approve", "approved", "grant", "granted", "allow"),
                        "rejected": ("reject", "rejected", "decline", "declined", "deny", "denied", "refuse")}))
async def decide_time_off(ctx: ToolContext, cmd: DecideTimeOff) -> TimeOffOut:
    """Approve or reject a pending time-off request.

    Approving takes the person off every shift it covers, which are then open for cover (listed in the
    answer)."""
    row = await ctx.session.get(TimeOff, cmd.time_off_id)
    if row is None or row.state != "pending":
        raise Conflict(f"time off {cmd.time_off_id} is not pending", time_off_id=cmd.time_off_id,
                       state=row.state if row else None)
    row.state, row.decided_by = cmd.decision, ctx.principal.person
    uncovered: list[ShiftOut] = []
    if cmd.decision == "approved":
        held = await _held_during(ctx, row)
        tz, names = await roster.zones(ctx.session), await roster.names(ctx.session)
        for s in held:
            before = roster.shown(s, tz, names)
            await ctx.session.execute(update(Shift).where(Shift.id == s.id)
                                      .values(staff_id=None, version=Shift.version + 1))
            await ctx.session.refresh(s)
            uncovered.append(roster.shown(s, tz, names))
            changes.record(ctx.session, ctx.now(), ctx.principal.person, before, uncovered[-1])
    await ctx.session.flush()
    decided = await _out(ctx, row, uncovered)
    if uncovered:
        decided.open_note = " Now open for cover: " + "; ".join(
            f"{u.weekday} {u.day} {u.start}-{u.end} {u.role} at {u.location_id}" for u in uncovered) + "."
    await events.time_off_decided(ctx.session, ctx.now(), ctx.principal.person, decided.model_dump())
    return decided


@capability(domain="scheduling", roles=STAFF_ONLY, rest=Rest("GET", "/time-off"), talk=Talk(
    asks=("time off requests", "time-off requests", "requests for time off", "asked for time off", "pending time off",
          "time off pending", "holiday requests", "leave requests"),
    each="#{time_off_id} {staff_name} {first_day} to {last_day} ({reason}, {state})",
    empty="No time-off requests.", done="{listed}.",
    values={"pending": ("pending", "waiting", "undecided"), "approved": ("approved",), "rejected": ("rejected",)}))
async def list_time_off(ctx: ToolContext, cmd: TimeOffQuery) -> TimeOffList:
    """List time-off requests, newest first (staff: their own)."""
    query = select(TimeOff).order_by(TimeOff.id.desc())
    staff_id = ctx.principal.id if ctx.principal.role == Role.STAFF else cmd.staff_id
    if staff_id:
        query = query.where(TimeOff.staff_id == staff_id)
    if cmd.state:
        query = query.where(TimeOff.state == cmd.state)
    return TimeOffList(requests=[await _out(ctx, t) for t in (await ctx.session.scalars(query.limit(200))).all()])
