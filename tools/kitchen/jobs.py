"""Drinks as brew jobs: queue a paid order, requeue, complete once, move the order along, write the log.

These run inside whatever transaction the caller holds (a capability's, or the device link's), so a job's
change, its order's move, its log entry and any command it sends commit together or not at all.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from devices.protocol import Command, Stop
from store.kitchen import BrewJob, KitchenLogEntry, Machine, MachineCommand
from store.orders import Order
from tools.kitchen.models import ACTIVE, OPEN, DrinkView, JobState
from tools.menu.snapshot import Snapshot
from tools.notifications.events import order_ready
from tools.orders.models import OrderState
from tools.orders.service import move

KITCHEN = "service:kitchen"
"""The actor recorded for moves the kitchen makes by itself."""
MACHINE_MADE = frozenset({"espresso", "brewed", "chocolate", "tea"})
"""Menu categories a machine makes; the rest (bakery, food) comes from the counter."""
PROMISE = timedelta(minutes=5)
S = OrderState


def log(session: AsyncSession, now: datetime, location_id: str, kind: str, *, machine_id: str | None = None,
        job: BrewJob | None = None, detail: str | None = None) -> None:
    session.add(KitchenLogEntry(at=now, location_id=location_id, kind=kind, machine_id=machine_id,
                                job_id=job.id if job else None, order_id=job.order_id if job else None,
                                detail=detail[:200] if detail else None))


def wire_id(job: BrewJob) -> str:
    """The id a machine sees: the drink and its attempt, so a stale attempt's report is recognisable."""
    return f"{job.id}#{job.attempt}"


def _shots(category: str, extras: list[str]) -> int:
    base = {"espresso": 2, "brewed": 1}.get(category, 0)
    return min(4, base + extras.count("extra_shot"))


async def enqueue_order(session: AsyncSession, menu: Snapshot, order: Order, now: datetime) -> list[BrewJob]:
    """A paid order becomes queued: one job per machine-made drink, promised a few minutes from now."""
    jobs = []
    for line in order.lines:
        item = menu.items[line.item_id]
        if item.category not in MACHINE_MADE:
            continue
        for unit in range(1, line.quantity + 1):
            jobs.append(BrewJob(id=f"{order.id}-{line.id}-{unit}", order_id=order.id, location_id=order.location_id,
                                item_id=line.item_id, size=line.size, milk=line.milk,
                                shots=_shots(item.category, list(line.extras)), state=JobState.QUEUED,
                                attempt=0, promised_at=now + PROMISE, queued_at=now))
    session.add_all(jobs)
    move(order, S.QUEUED, now, KITCHEN, f"{len(jobs)} drink(s) to make")
    for job in jobs:
        log(session, now, order.location_id, "drink_queued", job=job, detail=job.item_id)
    if not jobs:
        move(order, S.READY, now, KITCHEN, "nothing to brew")
        await order_ready(session, now, order)
    return jobs


async def order_jobs(session: AsyncSession, order_id: int) -> list[BrewJob]:
    return list(await session.scalars(select(BrewJob).where(BrewJob.order_id == order_id).order_by(BrewJob.id)))


async def settle_order(session: AsyncSession, order_id: int, now: datetime) -> None:
    """Move the order on from its drinks: queued → brewing at the first start, → ready when all are made."""
    state = await session.scalar(select(Order.state).where(Order.id == order_id))
    if state not in (S.QUEUED, S.BREWING):
        return
    rows = await session.execute(select(BrewJob.state, func.count()).where(BrewJob.order_id == order_id)
                                 .group_by(BrewJob.state))
    counts: dict[str, int] = {state: n for state, n in rows}
    if not any(n for job_state, n in counts.items() if job_state in OPEN):
        order = await _order(session, order_id)
        move(order, S.READY, now, KITCHEN, "all drinks made")
        await order_ready(session, now, order)
    elif state == S.QUEUED and (counts.get(JobState.BREWING) or counts.get(JobState.DONE)):
        move(await _order(session, order_id), S.BREWING, now, KITCHEN)


async def _order(session: AsyncSession, order_id: int) -> Order:
    order = await session.get(Order, order_id)
    assert order is not None
    return order


def requeue(session: AsyncSession, job: BrewJob, now: datetime, reason: str) -> None:
    log(session, now, job.location_id, "drink_requeued", machine_id=job.machine_id, job=job, detail=reason)
    job.state, job.machine_id, job.dispatched_at, job.started_at = JobState.QUEUED, None, None, None


async def complete(session: AsyncSession, job: BrewJob, now: datetime, by: str) -> None:
    """The one place a drink becomes done; callers have checked it is still open."""
    job.state, job.done_at, job.done_by = JobState.DONE, now, by
    log(session, now, job.location_id, "drink_done", machine_id=job.machine_id, job=job, detail=by)
    await settle_order(session, job.order_id, now)


def send(session: AsyncSession, now: datetime, machine: Machine, command: Command, issued_by: str,
         job: BrewJob | None = None, published: bool = False) -> MachineCommand:
    """Put a command in the outbox; the device link publishes it until the machine acknowledges it."""
    row = MachineCommand(id=command.command_id, location_id=machine.location_id,
                         machine_id=machine.id, kind=command.kind,
                         payload=command.model_dump_json(), job_id=wire_id(job) if job else None, issued_by=issued_by,
                         issued_at=now, published_at=now if published else None, sends=1 if published else 0,
                         acked=False)
    session.add(row)
    return row


async def stop_on_machine(session: AsyncSession, job: BrewJob, now: datetime, issued_by: str) -> None:
    """Tell the machine brewing `job` to stop (it may be gone; the command then simply waits)."""
    if job.state in ACTIVE and job.machine_id:
        machine = await session.get(Machine, (job.location_id, job.machine_id))
        if machine is not None:
            send(session, now, machine, Stop(job_id=wire_id(job)), issued_by, job)


async def finish_by_hand(session: AsyncSession, order: Order, now: datetime, actor: str) -> None:
    """Staff declared the order ready: its unmade drinks were made by hand."""
    for job in await order_jobs(session, order.id):
        if job.state in OPEN:
            await stop_on_machine(session, job, now, actor)
            await complete(session, job, now, actor)


async def cancel_jobs(session: AsyncSession, order: Order, now: datetime, actor: str) -> None:
    """The order was refunded: drop its open drinks and stop any brewing one."""
    for job in await order_jobs(session, order.id):
        if job.state in OPEN:
            await stop_on_machine(session, job, now, actor)
            job.state = JobState.CANCELLED
            log(session, now, job.location_id, "drink_cancelled", machine_id=job.machine_id, job=job)


def drink_view(job: BrewJob) -> DrinkView:
    return DrinkView(drink_id=job.id, order_id=job.order_id, item_id=job.item_id, size=job.size, milk=job.milk,
                     state=JobState(job.state), machine_id=job.machine_id, attempt=job.attempt,
                     promised_at=job.promised_at, started_at=job.started_at, done_at=job.done_at,
                     done_by=job.done_by, flag=job.flag)
