"""Planning a shop-week: generate (or re-plan) a draft rota with the solver, and publish it."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime, time, timedelta

from sqlalchemy import select

from store.menu import Location
from store.scheduling import Shift, StaffMember, TimeOff
from tools.context import ToolContext
from tools.errors import Conflict, NotFound
from tools.notifications import events
from tools.principal import MANAGERS
from tools.registry import Rest, Talk, capability
from tools.scheduling import roster
from tools.scheduling.models import RotaPlan, RotaRequest
from tools.scheduling.rota import monday_of, needs_for, staffer
from tools.scheduling.rules import Slot, check
from tools.scheduling.solver import Staffer, solve


async def _week(ctx: ToolContext, cmd: RotaRequest) -> tuple[Location, datetime, datetime]:
    location = await ctx.session.get(Location, cmd.location_id)
    if location is None:
        raise NotFound(f"no shop {cmd.location_id!r}", location_id=cmd.location_id)
    tz = (await roster.zones(ctx.session))[location.id]
    monday = monday_of(cmd.week_of or (ctx.now().astimezone(tz).date() + timedelta(days=7)))
    start = datetime.combine(monday, time(), tz)
    return location, start, start + timedelta(days=7)


async def _shifts(ctx: ToolContext, shop: str, start: datetime, end: datetime) -> list[Shift]:
    return list((await ctx.session.scalars(select(Shift).where(
        Shift.location_id == shop, Shift.state != "cancelled", Shift.starts_at >= start, Shift.starts_at < end)
        .order_by(Shift.starts_at, Shift.id))).all())


async def _staff(ctx: ToolContext, shop: str, start: datetime, end: datetime) -> list[Staffer]:
    """Everyone who works at the shop, holding fixed what they work elsewhere or in the weeks around."""
    tz = await roster.zones(ctx.session)
    out = []
    for m in (await ctx.session.scalars(select(StaffMember).order_by(StaffMember.id))).all():
        if shop not in m.locations:
            continue
        held = (await ctx.session.scalars(select(Shift).where(
            Shift.staff_id == m.id, Shift.state != "cancelled", Shift.starts_at >= start - timedelta(days=8),
            Shift.starts_at < end + timedelta(days=8)))).all()
        fixed = tuple(roster.as_slot(s, tz) for s in held if s.location_id != shop or not start <= s.starts_at < end)
        off = (await ctx.session.scalars(select(TimeOff).where(TimeOff.staff_id == m.id,
                                                                TimeOff.state == "approved"))).all()
        out.append(replace(staffer(m), time_off=tuple((t.starts_at, t.ends_at) for t in off), holds=fixed))
    return out


def _why_open(staff: list[Staffer], need: Slot) -> str:
    reasons = Counter(b.rule for s in staff for b in check(s.person, need, list(s.holds), list(s.time_off)))
    start, end = need.local()
    top = ", ".join(rule for rule, _ in reasons.most_common(2)) or "the week's limits"
    return f"{start:%a %d %b %H:%M}-{end:%H:%M} {need.role}: nobody can take it ({top})"


async def _plan(ctx: ToolContext, shop: str, start: datetime, end: datetime, changed: int, optimal: bool,
                open_shifts: list[str]) -> RotaPlan:
    shifts = await _shifts(ctx, shop, start, end)
    tz, names = await roster.zones(ctx.session), await roster.names(ctx.session)
    rates = {m.id: m.hourly_rate_cents for m in (await ctx.session.scalars(select(StaffMember))).all()}
    shown = [roster.shown(s, tz, names) for s in shifts]
    held = [s for s in shown if s.staff_id]
    return RotaPlan(location_id=shop, monday=start.date(), state="published" if any(
        s.state == "published" for s in shifts) else "draft", shifts=shown,
        coverage_percent=round(100 * len(held) / max(len(shown), 1), 1), hours=round(sum(s.hours for s in held), 2),
        labour_cost_cents=(cost := round(sum(s.hours * rates[s.staff_id or ""] for s in held))),
        labour_cost=f"${cost / 100:,.2f}", changed=changed,
        optimal=optimal, open_shifts=open_shifts)


@capability(domain="scheduling", roles=MANAGERS, mutating=True, rest=Rest("POST", "/rotas"), talk=Talk(
    asks=("rota", "make", "generate", "plan", "draft", "build"), unless=("publish",),
    confirm="Shall I make a draft rota for {location_id}?",
    done=("Draft rota for {location_id} from {monday}: {coverage_percent}% of shifts covered, {hours} h, labour "
          "{labour_cost}. Open: {open_shifts_count}."),
    questions={"location_id": "For which shop?"}))
async def generate_rota(ctx: ToolContext, cmd: RotaRequest) -> RotaPlan:
    """Make a draft rota for a shop-week with the solver.

    Default: next week. Every shift covered where the rules allow; contracted hours, preferences and cost
    weighed; says coverage, hours, labour cost and why any shift stays open. Run again on a draft to re-plan it:
    as few assignments as possible change. A published week is changed shift by shift instead."""
    location, start, end = await _week(ctx, cmd)
    current = await _shifts(ctx, location.id, start, end)
    if any(s.state == "published" for s in current):
        raise Conflict(f"the rota for {location.id} from {start:%d %b} is published; change its shifts one by one",
                       location_id=location.id, monday=str(start.date()))
    needs = needs_for(location, start.date())
    by_key = {(s.role, s.starts_at, s.ends_at): s for s in current}
    hint = [by_key[(n.role, n.starts_at, n.ends_at)].staff_id if (n.role, n.starts_at, n.ends_at) in by_key
            else None for n in needs]
    staff = await _staff(ctx, location.id, start, end)
    rota = solve(staff, needs, hint if current else None)
    for need, holder in zip(needs, rota.holders, strict=True):
        old = by_key.get((need.role, need.starts_at, need.ends_at))
        if old is None:
            ctx.session.add(Shift(location_id=location.id, role=need.role, starts_at=need.starts_at,
                                  ends_at=need.ends_at, staff_id=holder, state="draft", version=1))
        elif old.staff_id != holder:
            old.staff_id, old.version = holder, old.version + 1
    await ctx.session.flush()
    open_shifts = [_why_open(staff, n) for n, h in zip(needs, rota.holders, strict=True) if h is None]
    return await _plan(ctx, location.id, start, end, rota.changed, rota.optimal, open_shifts)


@capability(domain="scheduling", roles=MANAGERS, mutating=True, needs_approval=True,
            rest=Rest("POST", "/rotas/publish"))
async def publish_rota(ctx: ToolContext, cmd: RotaRequest) -> RotaPlan:
    """Publish a shop-week's draft rota.

    Default: next week. An agent's request waits for a human's approval."""
    location, start, end = await _week(ctx, cmd)
    drafts = [s for s in await _shifts(ctx, location.id, start, end) if s.state == "draft"]
    if not drafts:
        raise Conflict(f"no draft rota for {location.id} from {start:%d %b}", location_id=location.id)
    for s in drafts:
        s.state, s.version = "published", s.version + 1
    await ctx.session.flush()
    await events.rota_published(ctx.session, ctx.now(), ctx.principal.person, location.id, start.date())
    return await _plan(ctx, location.id, start, end, 0, True, [])
