"""Kitchen capabilities about machines: list and inspect, and every command, each behind its interlock.

A command is written to the outbox in the caller's transaction and the device link delivers it; the reply
says it was sent, and `get_machine` shows whether the machine accepted it.
"""

from __future__ import annotations

from sqlalchemy import select

from devices.protocol import ClearFault, Command, Descale, Maintenance, Stop
from devices.protocol import Refill as RefillCommand
from store.kitchen import BrewJob, Machine, MachineCommand
from tools.context import ToolContext
from tools.errors import IllegalTransition, Interlock, NotFound
from tools.inventory import ensure_location_scope
from tools.kitchen.dispatch import assign, busy_machines, machines_at
from tools.kitchen.interlocks import Action, check
from tools.kitchen.jobs import requeue, send, wire_id
from tools.kitchen.models import (
    ACTIVE,
    CommandView,
    JobState,
    LocationRef,
    MachineDetail,
    MachineList,
    MachineRef,
    MachineView,
    Refill,
    SetMaintenance,
    StartBrew,
)
from tools.kitchen.queue import check_shop, load_job
from tools.principal import STAFF_ONLY
from tools.registry import Rest, capability


async def _active_job(ctx: ToolContext, machine: Machine) -> BrewJob | None:
    return await ctx.session.scalar(select(BrewJob).where(
        BrewJob.location_id == machine.location_id, BrewJob.machine_id == machine.id,
        BrewJob.state.in_([s.value for s in ACTIVE])))


def _view(m: Machine, job: BrewJob | None) -> MachineView:
    return MachineView(location_id=m.location_id, machine_id=m.id, status=m.status, fault=m.fault,
                       boiler_c=m.boiler_c, water_ml=m.water_ml, beans_g=m.beans_g,
                       brews_since_descale=m.brews_since_descale, drink_id=job.id if job else None,
                       reported_at=m.reported_at)


def _command_view(c: MachineCommand) -> CommandView:
    return CommandView(command_id=c.id, location_id=c.location_id, machine_id=c.machine_id, kind=c.kind,
                       drink_id=c.job_id.partition("#")[0] if c.job_id else None, issued_at=c.issued_at,
                       acknowledged=c.acked, accepted=c.accepted, reason=c.reason)


async def load_machine(ctx: ToolContext, ref: MachineRef, action: Action | None = None) -> Machine:
    ensure_location_scope(ctx.principal, ref.location_id)
    query = select(Machine).where(Machine.location_id == ref.location_id, Machine.id == ref.machine_id)
    machine = await ctx.session.scalar(query.with_for_update() if action else query)
    if machine is None:
        raise NotFound(f"no machine {ref.machine_id} at {ref.location_id}", **ref.model_dump())
    if action:
        check(machine, action)
    return machine


async def _issue(ctx: ToolContext, machine: Machine, command: Command, job: BrewJob | None = None) -> CommandView:
    row = send(ctx.session, ctx.now(), machine, command, ctx.principal.as_header(), job)
    await ctx.session.flush()
    return _command_view(row)


@capability(domain="kitchen", roles=STAFF_ONLY, rest=Rest("GET", "/kitchen/{location_id}/machines"))
async def list_machines(ctx: ToolContext, cmd: LocationRef) -> MachineList:
    """The shop's coffee machines with their live state (as last reported) and the drink each is making."""
    await check_shop(ctx, cmd.location_id)
    busy = {j.machine_id: j for j in await ctx.session.scalars(select(BrewJob).where(
        BrewJob.location_id == cmd.location_id, BrewJob.state.in_([s.value for s in ACTIVE])))}
    return MachineList(machines=[_view(m, busy.get(m.id)) for m in await machines_at(ctx.session, cmd.location_id)])


@capability(domain="kitchen", roles=STAFF_ONLY, rest=Rest("GET", "/kitchen/{location_id}/machines/{machine_id}"))
async def get_machine(ctx: ToolContext, cmd: MachineRef) -> MachineDetail:
    """One machine's live state and its last commands, with whether each was accepted (and if not, why)."""
    machine = await load_machine(ctx, cmd)
    commands = await ctx.session.scalars(select(MachineCommand).where(
        MachineCommand.location_id == cmd.location_id, MachineCommand.machine_id == cmd.machine_id)
        .order_by(MachineCommand.issued_at.desc()).limit(10))
    return MachineDetail(machine=_view(machine, await _active_job(ctx, machine)),
                         recent_commands=[_command_view(c) for c in commands])


@capability(domain="kitchen", roles=STAFF_ONLY, mutating=True,
            rest=Rest("POST", "/kitchen/{location_id}/machines/{machine_id}/brew", 202))
async def start_brew(ctx: ToolContext, cmd: StartBrew) -> CommandView:
    """Brew a queued drink on a chosen machine. Refused if the machine is not idle, is descaling, faulted,
    in maintenance, offline, low on water or beans, or already has a drink."""
    job = await load_job(ctx, cmd.drink_id, lock=True)
    if job.location_id != cmd.location_id or job.state != JobState.QUEUED:
        raise IllegalTransition(f"drink {job.id} is {job.state} at {job.location_id}; only a queued drink of "
                                f"{cmd.location_id} can be started", drink_id=job.id, state=job.state)
    machine = await load_machine(ctx, cmd, "brew")
    if machine.id in await busy_machines(ctx.session, machine.location_id):
        raise Interlock(f"brew refused on {machine.id}: it already has a drink", reason="already has a drink",
                        machine_id=machine.id)
    row = assign(ctx.session, job, machine, ctx.now(), ctx.principal.as_header())
    await ctx.session.flush()
    return _command_view(row)


@capability(domain="kitchen", roles=STAFF_ONLY, mutating=True,
            rest=Rest("POST", "/kitchen/{location_id}/machines/{machine_id}/stop", 202))
async def stop_brew(ctx: ToolContext, cmd: MachineRef) -> CommandView:
    """Stop the brew in progress on a machine; its drink goes back to the queue to be made again."""
    machine = await load_machine(ctx, cmd, "stop")
    job = await _active_job(ctx, machine)
    stop = Stop(job_id=wire_id(job) if job else machine.job_id or "")
    if job is not None:
        requeue(ctx.session, job, ctx.now(), f"stopped by {ctx.principal.as_header()}")
    return await _issue(ctx, machine, stop, job)


@capability(domain="kitchen", roles=STAFF_ONLY, mutating=True,
            rest=Rest("POST", "/kitchen/{location_id}/machines/{machine_id}/descale", 202))
async def descale_machine(ctx: ToolContext, cmd: MachineRef) -> CommandView:
    """Start a descaling cycle (clears a 'descaling due' fault). Refused while brewing or in maintenance."""
    return await _issue(ctx, await load_machine(ctx, cmd, "descale"), Descale())


@capability(domain="kitchen", roles=STAFF_ONLY, mutating=True,
            rest=Rest("POST", "/kitchen/{location_id}/machines/{machine_id}/clear-fault", 202))
async def clear_fault(ctx: ToolContext, cmd: MachineRef) -> CommandView:
    """Clear a machine's fault after fixing its cause (a low-water fault needs a refill first)."""
    return await _issue(ctx, await load_machine(ctx, cmd, "clear_fault"), ClearFault())


@capability(domain="kitchen", roles=STAFF_ONLY, mutating=True,
            rest=Rest("POST", "/kitchen/{location_id}/machines/{machine_id}/refill", 202))
async def refill_machine(ctx: ToolContext, cmd: Refill) -> CommandView:
    """Record a refill of a machine's water tank and/or bean hopper."""
    machine = await load_machine(ctx, cmd, "refill")
    return await _issue(ctx, machine, RefillCommand(water_ml=cmd.water_ml, beans_g=cmd.beans_g))


@capability(domain="kitchen", roles=STAFF_ONLY, mutating=True, needs_approval=True,
            rest=Rest("POST", "/kitchen/{location_id}/machines/{machine_id}/maintenance", 202))
async def set_maintenance(ctx: ToolContext, cmd: SetMaintenance) -> CommandView:
    """Take a machine out of service for maintenance, or bring it back. Needs a human's approval when an agent
    asks. A brewing machine is refused unless `force`, which stops the brew and re-queues its drink."""
    action: Action = "maintenance_on" if cmd.on else "maintenance_off"
    machine = await load_machine(ctx, cmd, None)
    job = await _active_job(ctx, machine)
    if cmd.on and cmd.force and machine.status == "brewing":
        stop = Stop(job_id=wire_id(job) if job else machine.job_id or "")
        send(ctx.session, ctx.now(), machine, stop, ctx.principal.as_header(), job)
        if job is not None:
            requeue(ctx.session, job, ctx.now(), f"machine taken for maintenance by {ctx.principal.as_header()}")
    else:
        check(machine, action)
    return await _issue(ctx, machine, Maintenance(on=cmd.on))
