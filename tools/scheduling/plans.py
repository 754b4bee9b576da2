"""Planning a shop-week: generate (or re-plan) a draft rota with the solver, and publish it."""

from __future__ import annotations

from collections import defaultdict
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
from tools.scheduling import roster, staffing
from tools.scheduling.explain import Solved, short_runs, why_open, why_short
from tools.scheduling.labour import dollars
from tools.scheduling.models import RotaPlan, RotaRequest
from tools.scheduling.rota import monday_of, staffer, week_needs
from tools.scheduling.rules import Slot
from tools.scheduling.solver import Demand, Staffer, solve
from tools.second_factor import require_step_up


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


async def _plan(ctx: ToolContext, location: Location, start: datetime, changed: int, optimal: bool,
                open_shifts: list[str], why: tuple[Solved, Demand] | None = None) -> RotaPlan:
    """The week as it now stands: its shifts, how they cover the staffing need (each short stretch explained when
    `why` has the solve), hours and labour cost against expected sales."""
    shifts = await _shifts(ctx, location.id, start, start + timedelta(days=7))
    tz, names = await roster.zones(ctx.session), await roster.names(ctx.session)
    rates = {m.id: m.hourly_rate_cents for m in (await ctx.session.scalars(select(StaffMember))).all()}
    shown = [roster.shown(s, tz, names) for s in shifts]
    held = [s for s in shown if s.staff_id]
    usual = await staffing.typical(ctx.session, location)
    hours = staffing.hour_by_hour(location, usual, [s for s in shifts if s.staff_id], start.date(), 7)
    runs = short_runs(hours)
    unmet = [why_short(why[0], why[1].optional, run) for run in runs] if why else [
        f"{day:%a %d %b} {first}-{after} short {short}" for day, first, after, short in runs]
    cost = round(sum(s.hours * rates[s.staff_id or ""] for s in held))
    sales = sum(usual.sales_cents(start.date() + timedelta(days=k)) for k in range(7))
    return RotaPlan(location_id=location.id, monday=start.date(), state="published" if any(
        s.state == "published" for s in shifts) else "draft", shifts=shown,
        coverage_percent=staffing.covered_percent(hours), hours=round(sum(s.hours for s in held), 2),
        labour_cost_cents=cost, labour_cost=dollars(cost), expected_sales=dollars(sales),
        labour_percent=round(100 * cost / sales, 1) if sales else 0.0, changed=changed, optimal=optimal,
        open_shifts=open_shifts, unmet=unmet)


def _matched(current: list[Shift], needs: list[Slot]) -> list[Shift | None]:
    """Per need, the draft shift already standing for it (same role and times), each used once."""
    pool: dict[tuple[str, datetime, datetime], list[Shift]] = defaultdict(list)
    for s in current:
        pool[(s.role, s.starts_at, s.ends_at)].append(s)
    return [pool[key].pop(0) if pool[key] else None for key in ((n.role, n.starts_at, n.ends_at) for n in needs)]


@capability(domain="scheduling", roles=MANAGERS, mutating=True, rest=Rest("POST", "/rotas"), talk=Talk(
    asks=("rota", "make", "generate", "plan", "draft", "build"), unless=("publish",),
    confirm="Shall I make a draft rota for {location_id}?",
    done=("Draft rota for {location_id} from {monday}: {coverage_percent}% of the staffing need covered, "
          "{open_shifts_count} shifts open, {hours} h, labour {labour_cost} ({labour_percent}% of expected sales)."),
    questions={"location_id": "For which shop?"}))
async def generate_rota(ctx: ToolContext, cmd: RotaRequest) -> RotaPlan:
    """Make a draft rota for a shop-week with the solver.

    Default: next week. Every shift covered where the rules allow, and extra shifts where the staffing need asks
    for more people; contracted hours, preferences and cost weighed; says how much of the staffing need is
    covered, hours, labour cost and its share of expected sales, and why any shift stays open or hour short. Run again on a draft to re-plan it:
    as few assignments as possible change. A published week is changed shift by shift instead."""
    location, start, end = await _week(ctx, cmd)
    current = await _shifts(ctx, location.id, start, end)
    if any(s.state == "published" for s in current):
        raise Conflict(f"the rota for {location.id} from {start:%d %b} is published; change its shifts one by one",
                       location_id=location.id, monday=str(start.date()))
    needs, demand = week_needs(location, start.date(), await staffing.typical(ctx.session, location))
    standing = _matched(current, needs)
    staff = await _staff(ctx, location.id, start, end)
    rota = solve(staff, needs, [m.staff_id if m else None for m in standing] if current else None, demand)
    for n, (need, holder, old) in enumerate(zip(needs, rota.holders, standing, strict=True)):
        if old is None and (holder or n not in demand.optional):
            ctx.session.add(Shift(location_id=location.id, role=need.role, starts_at=need.starts_at,
                                  ends_at=need.ends_at, staff_id=holder, state="draft", version=1))
        elif old is not None and holder is None and n in demand.optional:
            old.state, old.version = "cancelled", old.version + 1
        elif old is not None and old.staff_id != holder:
            old.staff_id, old.version = holder, old.version + 1
    await ctx.session.flush()
    solved = Solved(staff, needs, rota.holders)
    open_shifts = [why_open(solved, n) for k, (n, h) in enumerate(zip(needs, rota.holders, strict=True))
                   if h is None and k not in demand.optional]
    return await _plan(ctx, location, start, rota.changed, rota.optimal, open_shifts, (solved, demand))


@capability(domain="scheduling", roles=MANAGERS, mutating=True, needs_approval=True,
            rest=Rest("POST", "/rotas/publish"), talk=Talk(
                asks=("publish", "make final", "finalise", "finalize", "send out the rota"),
                confirm="Shall I publish the rota for {location_id}? (A person approves publishing first.)",
                done=("Published the rota for {location_id} from {monday}: {coverage_percent}% of the staffing need "
                      "covered, {open_shifts_count} shifts open. The shop's staff have been told."),
                questions={"location_id": "For which shop?"}))
async def publish_rota(ctx: ToolContext, cmd: RotaRequest) -> RotaPlan:
    """Publish a shop-week's draft rota.

    Default: next week. An agent's request waits for a human's approval; a signed-in caller gives a fresh
    second-factor code (step-up) first."""
    require_step_up(ctx.principal, ctx.now(), "publishing a rota")
    location, start, end = await _week(ctx, cmd)
    drafts = [s for s in await _shifts(ctx, location.id, start, end) if s.state == "draft"]
    if not drafts:
        raise Conflict(f"no draft rota for {location.id} from {start:%d %b}", location_id=location.id)
    for s in drafts:
        s.state, s.version = "published", s.version + 1
    await ctx.session.flush()
    await events.rota_published(ctx.session, ctx.now(), ctx.principal.person, location.id, start.date())
    return await _plan(ctx, location, start, 0, True, [])
