"""The dispatcher: queued drinks to free, healthy machines, oldest promise first; one brew per machine."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from devices.protocol import Brew
from store.kitchen import BrewJob, Machine, MachineCommand
from tools.kitchen.interlocks import can_take_brew, is_serviceable
from tools.kitchen.jobs import log, send, wire_id
from tools.kitchen.models import ACTIVE, JobState

NO_MACHINE = "no machine can take it: all are offline, faulted, in maintenance or out of supplies"


async def machines_at(session: AsyncSession, location_id: str) -> list[Machine]:
    return list(await session.scalars(select(Machine).where(Machine.location_id == location_id)
                                      .order_by(Machine.id)))


async def busy_machines(session: AsyncSession, location_id: str) -> set[str]:
    rows = await session.scalars(select(BrewJob.machine_id).where(
        BrewJob.location_id == location_id, BrewJob.state.in_([s.value for s in ACTIVE])))
    return {m for m in rows if m}


def is_free(machine: Machine, busy: set[str], now: datetime) -> bool:
    held = machine.hold_until is not None and machine.hold_until > now
    return machine.id not in busy and machine.job_id is None and not held and can_take_brew(machine)


def assign(session: AsyncSession, job: BrewJob, machine: Machine, now: datetime, issued_by: str,
           published: bool = False) -> MachineCommand:
    """Send `job` to `machine` as a new attempt; reports about earlier attempts no longer count."""
    job.attempt += 1
    job.state, job.machine_id, job.dispatched_at, job.flag = JobState.DISPATCHED, machine.id, now, None
    brew = Brew(job_id=wire_id(job), item_id=job.item_id, size=job.size, milk=job.milk, shots=job.shots)
    log(session, now, job.location_id, "drink_dispatched", machine_id=machine.id, job=job,
        detail=f"attempt {job.attempt}")
    return send(session, now, machine, brew, issued_by, job, published)


async def dispatch(session: AsyncSession, location_id: str, now: datetime, issued_by: str,
                   published: bool = False) -> list[MachineCommand]:
    """One dispatch round for a shop. Drinks left waiting with no serviceable machine are flagged for staff."""
    queued = list(await session.scalars(
        select(BrewJob).where(BrewJob.location_id == location_id, BrewJob.state == JobState.QUEUED)
        .order_by(BrewJob.promised_at, BrewJob.id)))
    if not queued:
        return []
    machines = await machines_at(session, location_id)
    busy = await busy_machines(session, location_id)
    free = [m for m in machines if is_free(m, busy, now)]
    sent = [assign(session, job, m, now, issued_by, published) for job, m in zip(queued, free, strict=False)]
    waiting = queued[len(sent):]
    if waiting and not any(is_serviceable(m) for m in machines):
        for job in waiting:
            if job.flag is None:
                job.flag = NO_MACHINE
                log(session, now, location_id, "drink_flagged", job=job, detail=NO_MACHINE)
    return sent


async def locations_waiting(session: AsyncSession) -> list[str]:
    """Shops with queued drinks."""
    rows = await session.scalars(select(BrewJob.location_id).where(BrewJob.state == JobState.QUEUED).distinct())
    return sorted(rows)
