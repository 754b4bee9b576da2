"""What machines report, applied to the kitchen: retained states and events, each safe to apply twice.

A report about a drink counts only if it names the drink's current attempt on the machine it was sent to,
so a redelivered event, a late report from a machine that was given up on, or a state replayed after a
broker restart can never complete a drink twice or undo a re-dispatch.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from devices.protocol import Ack, BrewAborted, BrewCompleted, BrewStarted, DescaleDone, Event, Faulted, MachineState
from store.kitchen import BrewJob, Machine, MachineCommand
from store.menu import Location
from tools.kitchen.jobs import complete, log, requeue, settle_order, wire_id
from tools.kitchen.models import ACTIVE, JobState
from tools.tasks.machines import machine_changed

HOLD_AFTER_REFUSAL = timedelta(seconds=2)
HOLD_UNANSWERED = timedelta(seconds=30)
ROUTINE = {"idle", "brewing"}


async def current_job(session: AsyncSession, wire: str, machine_id: str) -> BrewJob | None:
    """The open job a machine's report is about, if the report is about its current attempt."""
    drink, _, attempt = wire.rpartition("#")
    job = await session.get(BrewJob, drink)
    if job is None or str(job.attempt) != attempt or job.machine_id != machine_id or job.state not in ACTIVE:
        return None
    return job


async def apply_state(session: AsyncSession, state: MachineState, now: datetime) -> bool:
    """Record a machine's retained state; False if it names a shop we do not have."""
    if await session.get(Location, state.location_id) is None:
        return False
    machine = await session.get(Machine, (state.location_id, state.machine_id))
    if machine is None:
        machine = Machine(location_id=state.location_id, id=state.machine_id, status="unknown", seen_at=now)
        session.add(machine)
    before = machine.status
    machine.status, machine.fault, machine.boiler_c = state.status.value, state.fault, state.boiler_c
    machine.water_ml, machine.beans_g, machine.job_id = state.water_ml, state.beans_g, state.job_id
    machine.brews_since_descale, machine.reported_at, machine.seen_at = state.brews_since_descale, state.at, now
    if before != machine.status and {before, machine.status} != ROUTINE:  # brews are logged as drinks
        detail = f"{before} → {machine.status}" + (f" ({state.fault})" if state.fault else "")
        log(session, now, machine.location_id, "machine_status", machine_id=machine.id, detail=detail)
        await machine_changed(session, machine, before, now)
    active = await active_on(session, machine)
    for outcome in state.recent_jobs:
        job = active.pop(outcome.job_id, None)
        if job is not None and outcome.outcome == "completed":
            await complete(session, job, now, f"machine:{machine.id}")
        elif job is not None:
            requeue(session, job, now, f"aborted on {machine.id}: {outcome.reason}")
    if machine.status == "offline":  # a brew under way may still finish: see `requeue_stranded`
        for job in active.values():
            if job.state == JobState.DISPATCHED:
                requeue(session, job, now, "machine went offline")
    return True


async def active_on(session: AsyncSession, machine: Machine) -> dict[str, BrewJob]:
    """The drinks the kitchen has on `machine`, by wire id.

    One query per shop and transaction (the link applies hundreds of states in one): the shop's active jobs
    are indexed on first use. Dispatching happens after a transaction's reports, so the index stays true."""
    index: dict[str, dict[str, list[BrewJob]]] = session.info.setdefault("active_jobs", {})
    if machine.location_id not in index:
        by_machine: dict[str, list[BrewJob]] = {}
        for job in await session.scalars(select(BrewJob).where(
                BrewJob.location_id == machine.location_id, BrewJob.state.in_([s.value for s in ACTIVE]))):
            by_machine.setdefault(job.machine_id or "", []).append(job)
        index[machine.location_id] = by_machine
    return {wire_id(j): j for j in index[machine.location_id].get(machine.id, [])
            if j.state in ACTIVE and j.machine_id == machine.id}


def stranded_drinks() -> Select[BrewJob]:
    """Drinks brewing on a machine last seen offline."""
    return select(BrewJob).join(Machine, (Machine.location_id == BrewJob.location_id)
                                & (Machine.id == BrewJob.machine_id)).where(
        BrewJob.state == JobState.BREWING, Machine.status == "offline")


async def requeue_stranded(session: AsyncSession, now: datetime, grace: timedelta) -> int:
    """Drinks brewing on a machine that has been offline longer than `grace` go back to the queue.

    A machine seen offline (its last will, or a broker restart) may still finish its brew and report it when
    it reconnects, so its drink waits that long before it is made elsewhere."""
    stranded = list(await session.scalars(stranded_drinks().where(Machine.seen_at < now - grace)))
    for job in stranded:
        requeue(session, job, now, f"{job.machine_id} offline for over {grace.total_seconds():g} s")
    return len(stranded)


async def apply_event(session: AsyncSession, location_id: str, machine_id: str, event: Event, now: datetime) -> None:
    if isinstance(event, Ack):
        await _ack(session, location_id, machine_id, event, now)
    elif isinstance(event, BrewStarted):
        job = await current_job(session, event.job_id, machine_id)
        if job is not None and job.state == JobState.DISPATCHED:
            job.state, job.started_at = JobState.BREWING, now
            log(session, now, location_id, "brew_started", machine_id=machine_id, job=job)
            await settle_order(session, job.order_id, now)
    elif isinstance(event, BrewCompleted):
        job = await current_job(session, event.job_id, machine_id)
        if job is not None:
            await complete(session, job, now, f"machine:{machine_id}")
    elif isinstance(event, BrewAborted):
        job = await current_job(session, event.job_id, machine_id)
        if job is not None:
            requeue(session, job, now, f"aborted on {machine_id}: {event.reason}")
    elif isinstance(event, Faulted):
        log(session, now, location_id, "machine_fault", machine_id=machine_id, detail=event.code.value)
    elif isinstance(event, DescaleDone):
        log(session, now, location_id, "descale_done", machine_id=machine_id)


async def _ack(session: AsyncSession, location_id: str, machine_id: str, ack: Ack, now: datetime) -> None:
    command = await session.get(MachineCommand, ack.command_id)
    if command is None or command.acked:
        return
    command.acked, command.accepted, command.reason = True, ack.accepted, ack.reason
    if ack.accepted:
        return
    log(session, now, location_id, "command_refused", machine_id=machine_id, detail=f"{command.kind}: {ack.reason}")
    if command.kind == "brew" and command.job_id:
        job = await current_job(session, command.job_id, machine_id)
        if job is not None and job.state == JobState.DISPATCHED:
            requeue(session, job, now, f"refused by {machine_id}: {ack.reason}")
            machine = await session.get(Machine, (location_id, machine_id))
            if machine is not None:
                machine.hold_until = now + HOLD_AFTER_REFUSAL


async def give_up(session: AsyncSession, command: MachineCommand, now: datetime) -> None:
    """A machine that never answered a command is treated as gone for a while; its drink goes elsewhere."""
    command.acked, command.reason = True, f"no answer after {command.sends} sends"
    log(session, now, command.location_id, "command_unanswered", machine_id=command.machine_id, detail=command.kind)
    machine = await session.get(Machine, (command.location_id, command.machine_id))
    if machine is not None:
        machine.hold_until = now + HOLD_UNANSWERED
    if command.kind == "brew" and command.job_id:
        job = await current_job(session, command.job_id, command.machine_id)
        if job is not None:
            requeue(session, job, now, f"{command.machine_id} did not answer")
