"""The kitchen's device link: machine reports in, commands out, the dispatcher in between.

MQTT runs on its own network thread (devices/port.py). Reports are applied in batches, each in one write
transaction together with the dispatch round it triggers; the commands that round creates are published
after the commit. Commands written by tools (the outbox) are polled and published; a command not
acknowledged in time is published again (machines answer a command id once, so a resend is harmless), and
given up after a few sends. On every (re)connect unacknowledged commands are resent and the retained states
replayed, which is how nothing is lost across a broker restart; a drink brewing on a machine that went
offline waits a grace period for it to come back (and report the brew) before it is made elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from pydantic import ValidationError
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devices.port import MqttPort, PortConfig
from devices.protocol import COMMAND_QOS, EVENTS, Ack, Event, MachineState, parse_topic, subscription, topic
from devices.simulator import Broker
from store.changes import QUIET
from store.engine import Database
from store.kitchen import BrewJob, Machine, MachineCommand
from store.menu import Location
from tools.kitchen.dispatch import dispatch, locations_waiting
from tools.kitchen.jobs import KITCHEN
from tools.kitchen.models import JobState
from tools.kitchen.reports import apply_event, apply_state, give_up, requeue_stranded, stranded_drinks

logger = logging.getLogger(__name__)
Report = tuple[str, str, MachineState | Event]
MAX_SENDS = 5
HEARD = 10_000
BATCH = 256
WAKES = frozenset({BrewJob.__tablename__, MachineCommand.__tablename__})
"""Tables whose committed writes (by anyone but the link) may give the kitchen work."""


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
    sweep_s: float = 5.0
    """The slowest the link looks at the store while nothing wakes it (a safety net; commits and machine
    reports wake it at once)."""
    ack_timeout_s: float = 2.0
    offline_grace_s: float = 15.0
    """How long a drink brewing on a machine that went offline waits for it before being made elsewhere."""


class KitchenLink:
    def __init__(self, db: Database, broker: Broker, clock: Callable[[], datetime],
                 config: LinkConfig | None = None) -> None:
        self.db, self.broker, self.clock, self.config = db, broker, clock, config or LinkConfig()
        self.stats = LinkStats()
        self.connected = asyncio.Event()
        self._sent: dict[str, float] = {}
        """Command id -> when it was first published (read and popped on the network thread)."""
        self._inbox: asyncio.Queue[Report] = asyncio.Queue()
        self._heard: OrderedDict[str, None] = OrderedDict()
        """Ids of commands acknowledged on the wire (most recent), not to be resent while their ack is applied."""
        self._resend = False
        self._bell = asyncio.Event()
        self._port: MqttPort

    async def run(self) -> None:
        """Serve until cancelled; the port reconnects by itself whenever the broker goes away."""
        locations = await self._locations()
        subscriptions = [subscription(loc, ch) for loc in locations for ch in ("state", "events")]
        c = self.config
        self._port = MqttPort(self.broker, PortConfig(c.client_id, c.persistent_session, subscriptions),
                              self._arrived, self._on_connect, self.connected.clear)
        self._port.start()
        stop_listening = self.db.changes.subscribe(WAKES, self._bell.set)
        try:
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(self._apply_reports())
                tasks.create_task(self._poll())
        finally:
            stop_listening()
            self._port.stop()

    def _on_connect(self) -> None:
        self.stats.connects += 1
        self._resend = True
        self.connected.set()
        self._bell.set()

    async def _locations(self) -> list[str]:
        async with self.db.reader() as session:
            return list(await session.scalars(select(Location.id).order_by(Location.id)))

    def _arrived(self, name: str, payload: bytes, at: float) -> None:
        """On the network thread: parse, time an acknowledgement, hand the report to the loop."""
        report = self._parse(name, payload, at)
        if report is not None:
            self._port.loop.call_soon_threadsafe(self._inbox.put_nowait, report)

    def _parse(self, name: str, payload: bytes, at: float) -> Report | None:
        try:
            location, machine, channel = parse_topic(name)
            if channel not in ("state", "events"):
                return None  # amqtt may also hand us others' retained messages
            body: MachineState | Event | None = (MachineState.model_validate_json(payload) if channel == "state"
                                                 else EVENTS.validate_json(payload))
        except (ValueError, ValidationError):
            body = None
        if body is None or (body.machine_id, getattr(body, "location_id", location)) != (machine, location):
            if payload:
                logger.warning("kitchen link ignored a malformed report on %s", name)
            return None
        if isinstance(body, Ack):
            self._heard[body.command_id] = None
            if len(self._heard) > HEARD:
                self._heard.popitem(last=False)
            if (sent := self._sent.pop(body.command_id, None)) is not None:
                self.stats.ack_latencies.append(at - sent)
        return location, machine, body

    async def _apply_reports(self) -> None:
        while True:
            batch = [await self._inbox.get()]
            while len(batch) < BATCH and not self._inbox.empty():
                batch.append(self._inbox.get_nowait())
            try:
                commands = await self._transaction(partial(self._apply, batch=batch))
            except Exception:  # the store failed: states come back retained, commands are resent
                logger.exception("kitchen link could not apply %d reports", len(batch))
                continue
            self.stats.reports += len(batch)
            self._publish(commands)

    async def _apply(self, session: AsyncSession, now: datetime, batch: list[Report]) -> list[MachineCommand]:
        loaded = await _preload(session, batch)  # noqa: F841  (the identity map only holds what is referenced)
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

    async def _poll(self) -> None:
        """Sleep until woken — a commit that queued drinks or wrote a command, a (re)connect — or until the
        next deadline (an unacknowledged command, a drink on a machine gone offline), or a slow safety sweep."""
        while True:
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._bell.wait(), await self._seconds_to_next_deadline())
                self._bell.clear()
                if self.connected.is_set():
                    if self._resend:
                        await self._resend_all()
                        self._resend = False
                    if await self._anything_due():
                        self._publish(await self._transaction(self._due))
            except Exception:  # the store failed; try again next round
                logger.exception("kitchen link round failed")
                await asyncio.sleep(self.config.sweep_s)

    async def _seconds_to_next_deadline(self) -> float:
        async with self.db.reader() as session:
            sent = await session.scalar(select(func.min(MachineCommand.published_at))
                                        .where(MachineCommand.acked.is_(False)))
            seen = await session.scalar(stranded_drinks().with_only_columns(func.min(Machine.seen_at)))
            held = await session.scalar(select(func.min(Machine.hold_until)).where(Machine.hold_until > self.clock()))
        now, c = self.clock(), self.config
        deadlines = [now + timedelta(seconds=c.sweep_s), *([held] if held else [])]
        deadlines += [sent + timedelta(seconds=c.ack_timeout_s)] if sent else []
        deadlines += [seen + timedelta(seconds=c.offline_grace_s)] if seen else []
        return max(0.0, (min(deadlines) - now).total_seconds()) + 0.001

    async def _anything_due(self) -> bool:
        """A read-only look first, so a round with nothing to do does not queue for the write lock."""
        stale = self.clock() - timedelta(seconds=self.config.ack_timeout_s)
        async with self.db.reader() as session:
            waiting = await session.scalar(select(BrewJob.id).where(BrewJob.state == JobState.QUEUED).limit(1))
            due = await session.scalar(_unanswered(stale).limit(1))
            stranded = await session.scalar(stranded_drinks().limit(1))
        return waiting is not None or due is not None or stranded is not None

    async def _due(self, session: AsyncSession, now: datetime) -> list[MachineCommand]:
        """Dispatch shops with waiting drinks; take outbox commands never sent or not acknowledged in time."""
        await requeue_stranded(session, now, timedelta(seconds=self.config.offline_grace_s))
        commands = [c for loc in await locations_waiting(session)
                    for c in await dispatch(session, loc, now, KITCHEN, published=True)]
        stale = now - timedelta(seconds=self.config.ack_timeout_s)
        for row in await session.scalars(_unanswered(stale)):
            if row.id in self._heard:
                continue  # answered; the report is waiting its turn to be applied
            if row.sends >= MAX_SENDS:
                self._sent.pop(row.id, None)
                await give_up(session, row, now)
                continue
            row.published_at, row.sends = now, row.sends + 1
            commands.append(row)
        return commands

    async def _resend_all(self) -> None:
        async with self.db.write_turn(), self.db.writer() as session, session.begin():
            session.sync_session.info[QUIET] = True
            await session.execute(update(MachineCommand).where(MachineCommand.acked.is_(False))
                                  .values(published_at=None))

    async def _transaction(self, work: Callable[[AsyncSession, datetime], Awaitable[list[MachineCommand]]]
                           ) -> list[MachineCommand]:
        async with self.db.write_turn(), self.db.writer() as session, session.begin():
            session.sync_session.info[QUIET] = True  # what the link writes itself must not wake it again
            return await work(session, self.clock())

    def _publish(self, commands: list[MachineCommand]) -> None:
        now = time.monotonic()
        for c in commands:
            self._sent.setdefault(c.id, now)
            self._port.publish(topic(c.location_id, c.machine_id, "commands"), c.payload, qos=COMMAND_QOS)


def _unanswered(stale: datetime) -> Select[tuple[MachineCommand]]:
    """Commands never published, or published before `stale` and not acknowledged since."""
    return select(MachineCommand).where(MachineCommand.acked.is_(False), or_(
        MachineCommand.published_at.is_(None), MachineCommand.published_at < stale))


async def _preload(session: AsyncSession, batch: list[Report]) -> list[object]:
    """Load a batch's machines and acknowledged commands in two queries instead of one per report."""
    shops = sorted({location for location, _, _ in batch})
    acked = [body.command_id for _, _, body in batch if isinstance(body, Ack)]
    rows: list[object] = list(await session.scalars(select(Machine).where(Machine.location_id.in_(shops))))
    if acked:
        rows += list(await session.scalars(select(MachineCommand).where(MachineCommand.id.in_(acked))))
    return rows
