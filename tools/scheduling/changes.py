"""Schedule versions: every change to a published shift is kept (who, when, before and after), so the rota as
published stays readable and what changed since is visible."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.scheduling import ShiftChange
from tools.context import ToolContext
from tools.inventory import ensure_location_scope, require_location
from tools.principal import STAFF_ONLY
from tools.registry import Rest, Talk, capability
from tools.scheduling import roster
from tools.scheduling.models import RotaChange, RotaChanges, RotaChangesQuery, ShiftOut
from tools.scheduling.rota import monday_of

KEPT = ("day", "weekday", "start", "end", "role", "staff_id", "held_by")


def _kept(shift: ShiftOut) -> dict[str, Any]:
    return shift.model_dump(mode="json", include=set(KEPT))


def record(session: AsyncSession, now: datetime, by: str, before: ShiftOut, after: ShiftOut) -> None:
    """Keep the change if the shift was published (a draft changes freely until it is)."""
    if before.state == "published":
        session.add(ShiftChange(shift_id=after.shift_id, location_id=after.location_id, version=after.version,
                                changed_at=now, changed_by=by, before=_kept(before), after=_kept(after)))


def _said(side: dict[str, Any]) -> str:
    return f"{side['weekday']} {side['day']} {side['start']}-{side['end']} {side['role']} ({side['held_by']})"


@capability(domain="scheduling", roles=STAFF_ONLY, rest=Rest("GET", "/rotas/changes"), talk=Talk(
    asks=("changed since", "what changed", "changes to the rota", "rota changes", "since it was published",
          "since publishing"),
    each="{what}", empty="Nothing changed at {location_id} that week since it was published.", done="{listed}."))
async def list_rota_changes(ctx: ToolContext, cmd: RotaChangesQuery) -> RotaChanges:
    """What changed in a shop-week's rota after it was published, oldest first: each change with who made it, when,
    and the shift before and after (staff: their own shop)."""
    ensure_location_scope(ctx.principal, cmd.location_id)
    require_location(await ctx.menu(), cmd.location_id)
    tz = (await roster.zones(ctx.session))[cmd.location_id]
    monday = monday_of(cmd.week_of or ctx.now().astimezone(tz).date())
    rows = (await ctx.session.scalars(select(ShiftChange).where(ShiftChange.location_id == cmd.location_id)
                                      .order_by(ShiftChange.id))).all()
    week = {str(monday + timedelta(days=k)) for k in range(7)}
    return RotaChanges(location_id=cmd.location_id, monday=monday, changes=[
        RotaChange(shift_id=r.shift_id, version=r.version, changed_at=r.changed_at, changed_by=r.changed_by,
                   before=r.before, after=r.after, what=f"{_said(r.before)} → {_said(r.after)}")
        for r in rows if r.before["day"] in week or r.after["day"] in week])
