"""Reading a rota against the business: coverage of the staffing need hour by hour, and labour cost as a share of
expected sales."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from store.menu import Location
from tools.context import ToolContext
from tools.inventory import ensure_location_scope
from tools.principal import MANAGERS, STAFF_ONLY
from tools.registry import Rest, Talk, capability
from tools.scheduling import roster, staffing
from tools.scheduling.models import Coverage, CoverageQuery, Labour, LabourQuery, PersonLabour
from tools.scheduling.rota import monday_of


def dollars(cents: int) -> str:
    return f"${cents / 100:,.2f}"


async def _shop(ctx: ToolContext, location_id: str) -> Location:
    ensure_location_scope(ctx.principal, location_id)
    return await roster.shop(ctx.session, location_id)


@capability(domain="scheduling", roles=STAFF_ONLY, rest=Rest("GET", "/coverage"), talk=Talk(
    asks=("short staffed", "short-staffed", "understaffed", "staffing gaps", "gaps", "coverage", "enough people",
          "enough staff", "overstaffed", "too many people", "covered", "staffing"),
    unless=("cover for", "who can cover", "swap", "move"),
    each="{weekday} {hour} {note} ({staffed} of {needed})",
    empty="{location_id} has the people it needs every open hour ({coverage_percent}% of the need covered).",
    done="{location_id}: {short_hours} hours short, {over_hours} over, {coverage_percent}% covered: {listed}."))
async def get_coverage(ctx: ToolContext, cmd: CoverageQuery) -> Coverage:
    """How a shop's rota covers its staffing need, hour by hour, for a day or more: the hours short of people,
    overstaffed, or without a keyholder. The need is one barista per so many drinks an hour (the average of that
    weekday-hour in the sales history), at least two people while open."""
    location = await _shop(ctx, cmd.location_id)
    tz = (await roster.zones(ctx.session))[location.id]
    first = cmd.starts_on or ctx.now().astimezone(tz).date()
    usual = await staffing.typical(ctx.session, location)
    start = datetime.combine(first, time(), tz)
    shifts = await staffing.held_shifts(ctx.session, location.id, start, start + timedelta(days=cmd.days))
    hours = staffing.hour_by_hour(location, usual, shifts, first, cmd.days)
    return Coverage(gaps=[h for h in hours if h.note], location_id=location.id, first_day=first, days=cmd.days,
                    open_hours=len(hours), short_hours=sum(h.gap > 0 for h in hours),
                    over_hours=sum(h.gap < 0 for h in hours),
                    coverage_percent=staffing.covered_percent(hours))


@capability(domain="scheduling", roles=MANAGERS, rest=Rest("GET", "/labour"), talk=Talk(
    asks=("labour", "labor", "wages", "payroll", "staff cost", "hours per person", "how many hours", "share of sales"),
    each="{name} {hours} h ({cost})", empty="Nobody works at {location_id} that week.",
    done="{location_id}, week of {monday}: {hours} h for {cost}, {labour_percent}% of the {expected_sales} "
         "expected in sales. {listed}."))
async def get_labour(ctx: ToolContext, cmd: LabourQuery) -> Labour:
    """A shop-week's hours and labour cost, per person and in all, and that cost as a percentage of the week's
    expected sales (each weekday's average in the sales history). Managers only."""
    location = await _shop(ctx, cmd.location_id)
    tz = (await roster.zones(ctx.session))[location.id]
    monday = monday_of(cmd.week_of or ctx.now().astimezone(tz).date())
    start = datetime.combine(monday, time(), tz)
    shifts = await staffing.held_shifts(ctx.session, location.id, start, start + timedelta(days=7))
    hours: dict[str, float] = defaultdict(float)
    unheld = 0.0
    for s in shifts:
        length = (s.ends_at - s.starts_at).total_seconds() / 3600
        if s.staff_id:
            hours[s.staff_id] += length
        else:
            unheld += length
    people = []
    for staff_id, h in sorted(hours.items(), key=lambda kv: -kv[1]):
        who = await roster.person(ctx.session, staff_id)
        cost = round(h * who.hourly_rate_cents)
        people.append(PersonLabour(staff_id=staff_id, name=who.name, hours=round(h, 1), cost_cents=cost,
                                   cost=dollars(cost)))
    usual = await staffing.typical(ctx.session, location)
    sales = sum(usual.sales_cents(monday + timedelta(days=k)) for k in range(7))
    cost = sum(p.cost_cents for p in people)
    return Labour(people=people, location_id=location.id, monday=monday, hours=round(sum(hours.values()), 1),
                  open_shift_hours=round(unheld, 1), cost_cents=cost, cost=dollars(cost), expected_sales_cents=sales,
                  expected_sales=dollars(sales), labour_percent=round(100 * cost / sales, 1) if sales else 0.0)
