"""Kitchen capabilities about drinks: the queue, an order's progress, dispatching, finishing by hand, the feed."""

from __future__ import annotations

from sqlalchemy import func, select

from store.kitchen import BrewJob, KitchenLogEntry
from tools.context import ToolContext
from tools.errors import IllegalTransition, NotFound
from tools.inventory import ensure_location_scope, require_location
from tools.kitchen.dispatch import dispatch
from tools.kitchen.jobs import complete, drink_view, log, stop_on_machine
from tools.kitchen.models import (
    OPEN,
    DispatchResult,
    DrinkRef,
    DrinkView,
    JobState,
    KitchenEvent,
    KitchenFeed,
    KitchenFeedQuery,
    KitchenQueue,
    LocationRef,
)
from tools.principal import STAFF_ONLY
from tools.registry import Rest, Talk, capability


async def check_shop(ctx: ToolContext, location_id: str) -> None:
    require_location(await ctx.menu(), location_id)
    ensure_location_scope(ctx.principal, location_id)


@capability(domain="kitchen", roles=STAFF_ONLY, rest=Rest("GET", "/kitchen/{location_id}/queue"))
async def get_kitchen_queue(ctx: ToolContext, cmd: LocationRef) -> KitchenQueue:
    """The shop's drinks still to make (queued, sent to a machine or brewing), by promised time.

    Drinks flagged for staff (no machine can take them) say why in `flag`.
    """
    await check_shop(ctx, cmd.location_id)
    jobs = await ctx.session.scalars(
        select(BrewJob).where(BrewJob.location_id == cmd.location_id, BrewJob.state.in_([s.value for s in OPEN]))
        .order_by(BrewJob.promised_at, BrewJob.id))
    return KitchenQueue(location_id=cmd.location_id, drinks=[drink_view(j) for j in jobs])


@capability(domain="kitchen", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/kitchen/{location_id}/dispatch"),
            talk=Talk(asks=("dispatch", "send the waiting drinks", "send the queue", "push the queue"),
                      confirm="Shall I send the queued drinks at {location_id} to free machines now?",
                      done="Sent {dispatched_count} drinks to machines at {location_id}; {waiting} still waiting."))
async def dispatch_drinks(ctx: ToolContext, cmd: LocationRef) -> DispatchResult:
    """Send the shop's queued drinks to free, healthy machines now (the kitchen also does this by itself).

    Each machine gets at most one brew; machines offline, faulted, in maintenance or low on supplies get none.
    """
    await check_shop(ctx, cmd.location_id)
    commands = await dispatch(ctx.session, cmd.location_id, ctx.now(), ctx.principal.as_header())
    sent = [await ctx.session.get(BrewJob, c.job_id.partition("#")[0]) for c in commands if c.job_id]
    waiting = await ctx.session.scalar(select(func.count()).select_from(BrewJob).where(
        BrewJob.location_id == cmd.location_id, BrewJob.state == JobState.QUEUED))
    return DispatchResult(location_id=cmd.location_id, dispatched=[drink_view(j) for j in sent if j],
                          waiting=waiting or 0)


async def load_job(ctx: ToolContext, drink_id: str, *, lock: bool = False) -> BrewJob:
    query = select(BrewJob).where(BrewJob.id == drink_id)
    job = await ctx.session.scalar(query.with_for_update() if lock else query)
    if job is None:
        raise NotFound(f"no drink {drink_id}", drink_id=drink_id)
    ensure_location_scope(ctx.principal, job.location_id)
    return job


@capability(domain="kitchen", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/kitchen/drinks/{drink_id}/done"))
async def mark_drink_done(ctx: ToolContext, cmd: DrinkRef) -> DrinkView:
    """Mark a drink made by hand. A machine still brewing it is told to stop; the order moves on when all
    its drinks are made. A drink already made or cancelled is refused."""
    job = await load_job(ctx, cmd.drink_id, lock=True)
    if job.state not in OPEN:
        raise IllegalTransition(f"drink {job.id} is already {job.state}", drink_id=job.id, state=job.state)
    who = ctx.principal.as_header()
    await stop_on_machine(ctx.session, job, ctx.now(), who)
    if cmd.note:
        log(ctx.session, ctx.now(), job.location_id, "note", job=job, detail=cmd.note)
    await complete(ctx.session, job, ctx.now(), who)
    await ctx.session.flush()
    return drink_view(job)


@capability(domain="kitchen", roles=STAFF_ONLY, rest=Rest("GET", "/kitchen/{location_id}/log"))
async def list_kitchen_events(ctx: ToolContext, cmd: KitchenFeedQuery) -> KitchenFeed:
    """The shop's kitchen log, oldest first: drinks queued, dispatched, started, done, requeued or flagged,
    machine status changes, faults and refused commands. Pass the last id seen to get only newer entries."""
    await check_shop(ctx, cmd.location_id)
    rows = await ctx.session.scalars(
        select(KitchenLogEntry).where(KitchenLogEntry.location_id == cmd.location_id, KitchenLogEntry.id > cmd.after_id)
        .order_by(KitchenLogEntry.id).limit(cmd.limit))
    return KitchenFeed(events=[KitchenEvent(id=r.id, at=r.at, location_id=r.location_id, kind=r.kind,
                                            machine_id=r.machine_id, drink_id=r.job_id, order_id=r.order_id,
                                            detail=r.detail) for r in rows])
