"""Swap requests: a staff member asks a colleague to trade shifts; the colleague accepts or declines. The rules are
checked when asked (nobody is asked for a trade that cannot be) and again when accepted (the rota may have moved)."""

from __future__ import annotations

from sqlalchemy import or_, select, update

from store.engine import rows_changed
from store.scheduling import Shift, SwapRequest
from tools.context import ToolContext
from tools.errors import Conflict, Forbidden, NotFound
from tools.inventory import ensure_location_scope
from tools.notifications.events import render
from tools.notifications.outbox import notify
from tools.principal import STAFF_ONLY, Role
from tools.registry import Rest, capability
from tools.scheduling import roster
from tools.scheduling.models import AnswerSwap, AskSwap, SwapList, SwapOut, SwapQuery
from tools.scheduling.shifts import swap_holders, swappable


async def _out(ctx: ToolContext, row: SwapRequest) -> SwapOut:
    tz, names = await roster.zones(ctx.session), await roster.names(ctx.session)
    shifts = [await ctx.session.get(Shift, i) for i in (row.shift_id, row.other_shift_id)]
    mine, theirs = (roster.shown(s, tz, names) for s in shifts if s is not None)
    return SwapOut(swap_id=row.id, shift=mine, other_shift=theirs, asked_by=row.asked_by, asked=row.asked,
                   state=row.state)


@capability(domain="scheduling", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/swaps", 201))
async def request_swap(ctx: ToolContext, cmd: AskSwap) -> SwapOut:
    """Ask the colleague holding another shift to trade it for yours (staff: your own shift). Refused at once if the
    rules would not let either of you hold the other's shift; the colleague is told and answers."""
    if ctx.principal.role == Role.STAFF and (await roster.shift(ctx.session, cmd.shift_id)).staff_id != ctx.principal.id:
        raise Forbidden("staff ask to swap their own shifts", shift_id=cmd.shift_id)
    ensure_location_scope(ctx.principal, (await roster.shift(ctx.session, cmd.other_shift_id)).location_id)
    a, b = await swappable(ctx, cmd.shift_id, cmd.other_shift_id, set())
    row = SwapRequest(shift_id=a.id, other_shift_id=b.id, asked_by=a.staff_id or "", asked=b.staff_id or "",
                      state="pending", created_at=ctx.now())
    ctx.session.add(row)
    await ctx.session.flush()
    out = await _out(ctx, row)
    await notify(ctx.session, ctx.now(), topic="shift", audience=f"staff:{row.asked}", by=ctx.principal.person,
                 link=f"swap:{row.id}", text=render("swap_asked", {"swap_id": row.id, "mine": out.shift.model_dump(),
                                                                   "yours": out.other_shift.model_dump()}))
    return out


@capability(domain="scheduling", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/swaps/{swap_id}/answer"))
async def answer_swap(ctx: ToolContext, cmd: AnswerSwap) -> SwapOut:
    """Accept or decline a swap you were asked for (or, as a manager, any). Accepting trades the shifts if the rules
    still allow it; the asker is told either way."""
    row = await ctx.session.get(SwapRequest, cmd.swap_id)
    if row is None:
        raise NotFound(f"no swap {cmd.swap_id}", swap_id=cmd.swap_id)
    if ctx.principal.role == Role.STAFF and row.asked != ctx.principal.id:
        raise Forbidden("only the colleague asked answers a swap", swap_id=row.id)
    state = "accepted" if cmd.accept else "declined"
    done = await ctx.session.execute(update(SwapRequest).where(SwapRequest.id == row.id, SwapRequest.state == "pending")
                                     .values(state=state, answered_at=ctx.now()))
    if rows_changed(done) != 1:
        raise Conflict(f"swap {row.id} is {row.state}", swap_id=row.id, state=row.state)
    if cmd.accept:
        await swap_holders(ctx, row.shift_id, row.other_shift_id, set())
    await ctx.session.refresh(row)
    await notify(ctx.session, ctx.now(), topic="shift", audience=f"staff:{row.asked_by}", by=ctx.principal.person,
                 link=f"swap:{row.id}", text=render("swap_answered", {"swap_id": row.id, "state": state}))
    return await _out(ctx, row)


@capability(domain="scheduling", roles=STAFF_ONLY, rest=Rest("GET", "/swaps"))
async def list_swaps(ctx: ToolContext, cmd: SwapQuery) -> SwapList:
    """Swap requests, newest first: staff see those they asked or were asked; managers every one."""
    query = select(SwapRequest).order_by(SwapRequest.id.desc()).limit(200)
    if ctx.principal.role == Role.STAFF:
        query = query.where(or_(SwapRequest.asked_by == ctx.principal.id, SwapRequest.asked == ctx.principal.id))
    if cmd.state:
        query = query.where(SwapRequest.state == cmd.state)
    return SwapList(swaps=[await _out(ctx, r) for r in (await ctx.session.scalars(query)).all()])
