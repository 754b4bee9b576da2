"""Finding cover for a shift: everyone who works at its shop, ranked, each with why."""

from __future__ import annotations

from sqlalchemy import select

from store.scheduling import Shift, StaffMember
from tools.context import ToolContext
from tools.principal import STAFF_ONLY
from tools.registry import Rest, Talk, capability
from tools.scheduling import roster
from tools.scheduling.models import Candidate, Cover, CoverQuery
from tools.scheduling.rules import Slot, week_hours


async def _candidate(ctx: ToolContext, who: StaffMember, shift: Shift, slot: Slot) -> tuple[Candidate, bool]:
    """The person as a candidate, and whether they may take the shift (no hard rule broken)."""
    found = await roster.breaches(ctx.session, who, slot, {shift.id})
    hard = [b for b in found if b.hard]
    soft = [b for b in found if not b.hard]
    week = week_hours(slot.day, await roster.held(ctx.session, who, slot, {shift.id}))
    why = hard[0].message if hard else "; ".join(b.message for b in soft) if soft else (
        f"available, {who.max_hours - week - slot.hours:.1f} h left this week")
    return Candidate(staff_id=who.id, name=who.name, hours_that_week=round(week, 2),
                     hours_left=round(who.max_hours - week - slot.hours, 2), hourly_rate_cents=who.hourly_rate_cents,
                     why=why, overrides=[b.rule for b in soft]), not hard


@capability(domain="scheduling", roles=STAFF_ONLY, rest=Rest("GET", "/shifts/cover"), talk=Talk(
    asks=("cover", "who can", "fill in", "take over", "stand in", "replace"), values={
        "open": ("open", "opening", "morning"), "close": ("close", "closing", "evening")},
    each="{name} ({why})", empty="Nobody who works there can take it.",
    done="For {shift[weekday]} {shift[day]} {shift[start]}-{shift[end]} {shift[role]} at {shift[location_id]}: {listed}."))
async def find_cover(ctx: ToolContext, cmd: CoverQuery) -> Cover:
    """Find who could take a shift, best first, each with why.

    Everyone who works at its shop (not its holder): those who break no rule first, then by hours left in their
    contract and by cost; and who cannot, with the rule that stops them."""
    shift = await roster.pick(ctx.session, cmd)
    return await ranked(ctx, shift)


async def ranked(ctx: ToolContext, shift: Shift) -> Cover:
    tz = await roster.zones(ctx.session)
    slot = roster.as_slot(shift, tz)
    people = (await ctx.session.scalars(select(StaffMember).order_by(StaffMember.id))).all()
    found = [await _candidate(ctx, m, shift, slot) for m in people
             if shift.location_id in m.locations and m.id != shift.staff_id]
    ok = sorted((c for c, able in found if able), key=lambda c: (len(c.overrides), -c.hours_left, c.hourly_rate_cents))
    return Cover(shift=roster.shown(shift, tz, await roster.names(ctx.session)), candidates=ok,
                 not_eligible=[c for c, able in found if not able])


async def suggested(ctx: ToolContext, shift: Shift, limit: int = 2) -> str:
    """"Tue 2026-01-06 06:00-14:00 keyholder: Ben Okafor or Grace Liu" (those who break no rule at all)."""
    cover = await ranked(ctx, shift)
    names = [c.name for c in cover.candidates if not c.overrides][:limit]
    s = cover.shift
    return f"{s.weekday} {s.day} {s.start}-{s.end} {s.role}: {' or '.join(names) or 'nobody free'}"
