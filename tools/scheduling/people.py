"""Who works where: the staff directory (names, shops, skills; no pay or availability)."""

from __future__ import annotations

from sqlalchemy import select

from store.scheduling import StaffMember
from tools.context import ToolContext
from tools.principal import STAFF_ONLY
from tools.registry import Rest, capability
from tools.scheduling.models import StaffList, StaffOut, StaffQuery


@capability(domain="scheduling", roles=STAFF_ONLY, rest=Rest("GET", "/staff"))
async def list_staff(ctx: ToolContext, cmd: StaffQuery) -> StaffList:
    """List the staff, optionally those who work at one shop: names, shops and skills."""
    people = (await ctx.session.scalars(select(StaffMember).order_by(StaffMember.id))).all()
    return StaffList(staff=[StaffOut(staff_id=m.id, name=m.name, home_location_id=m.home_location_id,
                                     locations=list(m.locations), skills=list(m.skills))
                            for m in people if cmd.location_id in (None, *m.locations)])
