"""The kitchen's device link: machine reports in, commands out, the dispatcher in between.

Reports arrive in batches, each applied in one write transaction together with the dispatch round it
triggers; the commands that round creates are published after the commit. Commands written by tools
(the outbox) are polled and published; any command not acknowledged in time is published again (machines
answer a command id once, so a resend is harmless). On every (re)connect unacknowledged commands are
resent and the retained states replayed, which is how nothing is lost across a broker restart.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

import aiomqtt
from pydantic import ValidationError
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devices.protocol import COMMAND_QOS, EVENTS, Ack, Event, MachineState, parse_topic, subscription, topic
from devices.simulator import Broker
from store.catalog import Location
from store.engine import Database
from store.kitchen import BrewJob, Machine, MachineCommand
from tools.kitchen.dispatch import dispatch, locations_waiting
from tools.kitchen.jobs import KITCHEN, log, requeue
from tools.kitchen.models import JobState
from tools.kitchen.reports import apply_event, apply_state, current_job

logger = logging.getLogger(__name__)
Report = tuple[str, str, MachineState | Event]
MAX_SENDS = 5
UNANSWERED_HOLD = timedelta(seconds=30)
BATCH = 256


@dataclass
class LinkStats:
    """What the benchmark and tests read: dispatch→ack latencies (seconds), reports applied, reconnects."""

    ack_latencies: list[float] = field(default_factory=list)
    reports: int = 0
    connects: int = 0


@dataclass
class LinkConfig:
    client_id: str = "gocoffee-kitchen"
    persistent_session: bool = True
    poll_s: float = 0.05
    ack_timeout_s: float = 2.0


class KitchenLink:
    def __init__(self, db: Database, broker: Broker, clock: Callable[[], datetime],
                 config: LinkConfig | None = None) -> None:
        self.db, self.broker, self.clock, self.config = db, broker, clock, config or LinkConfig()
        self.stats = LinkStats()
        self.connected = asyncio.Event()
        self._sent: dict[str, float] = {}
        self._inbox: asyncio.Queue[Report] = asyncio.Queue()

    async def run(self) -> None:
        """Serve until cancelled, reconnecting with a short backoff whenever the broker goes away."""
        backoff = 0.05
        while True:
            connects = self.stats.connects
            try:
                await self._session()
            except* aiomqtt.MqttError as lost:
                logger.warning("kitchen link lost the broker (%s); reconnecting", lost.exceptions[0])
            finally:
                self.connected.clear()
            backoff = 0.05 if self.stats.connects > connects else min(backoff * 2, 1.0)
            await asyncio.sleep(backoff)

    async def _session(self) -> None:
        c = self.config
        async with aiomqtt.Client(self.broker.host, self.broker.port, identifier=c.client_id,
                                  clean_session=not c.persistent_session, keepalive=5,
                                  max_inflight_messages=1000) as client:
            for location in await self._locations():
                await client.subscribe(subscription(location, "state"), qos=1)
                await client.subscribe(subscription(location, "events"), qos=1)
            await self._resend_all()
            self.stats.connects += 1
            self.connected.set()
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(self._read(client))
                tasks.create_task(self._apply_reports(client))
                tasks.create_task(self._poll(client))

    async def _locations(self) -> list[str]:
        async with self.db.reader() as session:
            return list(await session.scalars(select(Location.id).order_by(Location.id)))

    async def _read(self, client: aiomqtt.Client) -> None:
        async for message in client.messages:
            report = self._parse(str(message.topic), bytes(message.payload))  # type: ignore[arg-type]
            if report is not None:
                self._inbox.put_nowait(report)

    def _parse(self, name: str, payload: bytes) -> Report | None:
        try:
            location, machine, channel = parse_topic(name)
            if channel not in ("state", "events"):
                return None  # amqtt may also hand us others' retained messages
            body: MachineState | Event = (MachineState.model_validate_json(payload) if channel == "state"
                                          else EVENTS.validate_json(payload))
        except (ValueError, ValidationError):
            if payload:
                logger.warning("kitchen link ignored a malformed report on %s", name)
            return None
        if isinstance(body, Ack) and (sent := self._sent.pop(body.command_id, None)) is not None:
            self.stats.ack_latencies.append(time.monotonic() - sent)
        return location, machine, body

    async def _apply_reports(self, client: aiomqtt.Client) -> None:
        while True:
            batch = [await self._inbox.get()]
            while len(batch) < BATCH and not self._inbox.empty():
                batch.append(self._inbox.get_nowait())
            commands = await self._transaction(partial(self._apply, batch=batch))
            self.stats.reports += len(batch)
            await self._publish(client, commands)

    async def _apply(self, session: AsyncSession, now: datetime, batch: list[Report]) -> list[MachineCommand]:
        touched = set()
        for location, machine, body in batch:
            if isinstance(body, MachineState):
                if await apply_state(session, body, now):
                    touched.add(location)
            else:
                await apply_event(session, location, machine, body, now)
                touched.add(location)
        await session.flush()
        return [c for loc in sorted(touched) for c in await dispatch(session, loc, now, KITCHEN, published=True)]

    async def _poll(self, client: aiomqtt.Client) -> None:
        while True:
            if await self._anything_due():
                await self._publish(client, await self._transaction(self._due))
            await asyncio.sleep(self.config.poll_s)

    async def _anything_due(self) -> bool:
        """A read-only look first, so an idle kitchen does not queue for the write lock every poll."""
        stale = self.clock() - timedelta(seconds=self.config.ack_timeout_s)
        async with self.db.reader() as session:
            waiting = await session.scalar(select(BrewJob.id).where(BrewJob.state == JobState.QUEUED).limit(1))
            due = await session.scalar(select(MachineCommand.id).where(
                MachineCommand.acked.is_(False),
                or_(MachineCommand.published_at.is_(None), MachineCommand.published_at < stale)).limit(1))
        return waiting is not None or due is not None

    async def _due(self, session: AsyncSession, now: datetime) -> list[MachineCommand]:
        """Dispatch shops with waiting drinks; take outbox commands never sent or not acknowledged in time."""
        commands = [c for loc in await locations_waiting(session)
                    for c in await dispatch(session, loc, now, KITCHEN, published=True)]
        stale = now - timedelta(seconds=self.config.ack_timeout_s)
        for row in await session.scalars(select(MachineCommand).where(
                MachineCommand.acked.is_(False),
                or_(MachineCommand.published_at.is_(None), MachineCommand.published_at < stale))):
            if row.sends >= MAX_SENDS:
                await self._give_up(session, row, now)
                continue
            row.published_at, row.sends = now, row.sends + 1
            commands.append(row)
        return commands

    async def _give_up(self, session: AsyncSession, row: MachineCommand, now: datetime) -> None:
        """A machine that never answers is treated as gone for a while; its drink goes to another machine."""
        row.acked, row.reason = True, f"no answer after {row.sends} sends"
        self._sent.pop(row.id, None)
        log(session, now, row.location_id, "command_unanswered", machine_id=row.machine_id, detail=row.kind)
        machine = await session.get(Machine, (row.location_id, row.machine_id))
        if machine is not None:
            machine.hold_until = now + UNANSWERED_HOLD
        if row.kind == "brew" and row.job_id:
            job = await current_job(session, row.job_id, row.machine_id)
            if job is not None:
                requeue(session, job, now, f"{row.machine_id} did not answer")

    async def _resend_all(self) -> None:
        async with self.db.write_turn(), self.db.writer() as session, session.begin():
            await session.execute(update(MachineCommand).where(MachineCommand.acked.is_(False))
                                  .values(published_at=None))

    async def _transaction(self, work: Callable[[AsyncSession, datetime], Awaitable[list[MachineCommand]]]
                           ) -> list[MachineCommand]:
        async with self.db.write_turn(), self.db.writer() as session, session.begin():
            return await work(session, self.clock())

    async def _publish(self, client: aiomqtt.Client, commands: list[MachineCommand]) -> None:
        now = time.monotonic()
        for c in commands:
            self._sent.setdefault(c.id, now)
        await asyncio.gather(*(client.publish(topic(c.location_id, c.machine_id, "commands"), c.payload,
                                              qos=COMMAND_QOS) for c in commands))
