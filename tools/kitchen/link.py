"""The kitchen's device link: machine reports in, commands out, the kitchen's capabilities in between.

MQTT runs on its own network thread (devices/port.py). Reports are applied in batches, each one call of
`apply_machine_reports` (which also dispatches the shops they touched); the commands it creates are published
after it returns. The link sleeps until something wakes it — a commit by anyone else that queued drinks or
wrote a command, a (re)connect — or until the next deadline (`get_kitchen_due`): then `run_kitchen_round`
dispatches waiting drinks and resends what was not acknowledged in time (machines answer a command id once,
so a resend is harmless), giving up after a few sends. On every (re)connect unacknowledged commands are resent
and the retained states replayed, which is how nothing is lost across a broker restart; a drink brewing on a
machine that went offline waits a grace period for it to come back (and report the brew) before it is made
elsewhere. Every change goes through the invoker as `service:kitchen`, so it is audited like any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from devices.port import MqttPort, PortConfig
from devices.protocol import COMMAND_QOS, EVENTS, Ack, Event, MachineState, parse_topic, subscription, topic
from devices.simulator import Broker
from store.kitchen import BrewJob, MachineCommand
from tools.invoke import Runtime, invoke
from tools.kitchen.device_link import (
    BATCH,
    KITCHEN_LINK,
    ApplyReports,
    KitchenDue,
    MachineReport,
    Nothing,
    Outgoing,
    Timing,
)
from tools.menu.capabilities import ListLocations, LocationList
from tools.registry import registry

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
HEARD = 10_000
RETRY_S = 1.0
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
    ack_timeout_s: float = 2.0
    offline_grace_s: float = 15.0
    """How long a drink brewing on a machine that went offline waits for it before being made elsewhere."""
    sweep_s: float = 5.0
    """The slowest the link looks at the store while nothing wakes it (a safety net; commits and machine
    reports wake it at once)."""


class KitchenLink:
    def __init__(self, runtime: Runtime, broker: Broker, config: LinkConfig | None = None) -> None:
        self.runtime, self.broker, self.config = runtime, broker, config or LinkConfig()
        self.stats = LinkStats()
        self.connected = asyncio.Event()
        self._sent: dict[str, float] = {}
        """Command id -> when it was first published (read and popped on the network thread)."""
        self._inbox: asyncio.Queue[MachineReport] = asyncio.Queue()
        self._heard: OrderedDict[str, float] = OrderedDict()
        """Ids of commands acknowledged on the wire (most recent) and when, not to be resent while their ack
        is applied."""
        self._resend = False
        self._bell = asyncio.Event()
        self._port: MqttPort

    async def run(self) -> None:
        """Serve until cancelled; the port reconnects by itself whenever the broker goes away."""
        shops = await self._call("list_locations", ListLocations(), LocationList)
        subscriptions = [subscription(s.id, ch) for s in shops.locations for ch in ("state", "events")]
        c = self.config
        self._port = MqttPort(self.broker, PortConfig(c.client_id, c.persistent_session, subscriptions),
                              self._arrived, self._on_connect, self.connected.clear)
        self._port.start()
        stop_listening = self.runtime.db.changes.subscribe(WAKES, self._wake)
        try:
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(self._apply_reports())
                tasks.create_task(self._poll())
        finally:
            stop_listening()
            self._port.stop()

    def _wake(self, by: str | None) -> None:
        if by != KITCHEN_LINK.person:  # what the link writes itself must not wake it again
            self._bell.set()

    def _on_connect(self) -> None:
        self.stats.connects += 1
        self._resend = True
        self.connected.set()
        self._bell.set()

    def _arrived(self, name: str, payload: bytes, at: float) -> None:
        """On the network thread: parse, time an acknowledgement, hand the report to the loop."""
        report = self._parse(name, payload, at)
        if report is not None:
            self._port.loop.call_soon_threadsafe(self._inbox.put_nowait, report)

    def _parse(self, name: str, payload: bytes, at: float) -> MachineReport | None:
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
            self._heard[body.command_id] = at
            if len(self._heard) > HEARD:
                self._heard.popitem(last=False)
            if (sent := self._sent.pop(body.command_id, None)) is not None:
                self.stats.ack_latencies.append(at - sent)
        if isinstance(body, MachineState):
            return MachineReport(location_id=location, machine_id=machine, state=body)
        return MachineReport(location_id=location, machine_id=machine, event=body)

    async def _apply_reports(self) -> None:
        while True:
            batch = [await self._inbox.get()]
            while len(batch) < BATCH and not self._inbox.empty():
                batch.append(self._inbox.get_nowait())
            try:
                out = await self._call("apply_machine_reports", ApplyReports(reports=batch), Outgoing)
            except Exception:  # the store failed: states come back retained, commands are resent
                logger.exception("kitchen link could not apply %d reports", len(batch))
                continue
            self.stats.reports += len(batch)
            self._publish(out)

    async def _poll(self) -> None:
        """Sleep until woken or until the next deadline; then do what is due."""
        while True:
            try:
                due = await self._call("get_kitchen_due", self._timing(), KitchenDue)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._bell.wait(), due.next_in_s + 0.001)
                self._bell.clear()
                if not self.connected.is_set():
                    continue
                if self._resend:
                    await self._call("resend_machine_commands", Nothing(), Nothing)
                    self._resend = False
                if (await self._call("get_kitchen_due", self._timing(), KitchenDue)).due:
                    self._publish(await self._call("run_kitchen_round", self._timing(), Outgoing))
            except Exception:  # the store failed; try again shortly
                logger.exception("kitchen link round failed")
                await asyncio.sleep(min(self.config.sweep_s, RETRY_S))

    def _timing(self) -> Timing:
        c = self.config
        recent = time.monotonic() - 2 * c.ack_timeout_s - 1.0
        heard = [command for command, at in list(self._heard.items()) if at >= recent]
        return Timing(ack_timeout_s=c.ack_timeout_s, offline_grace_s=c.offline_grace_s, sweep_s=c.sweep_s,
                      heard=heard[-10_000:])

    async def _call(self, name: str, cmd: BaseModel, out: type[M]) -> M:
        cap = registry.get(name)
        key = f"kitchen-link:{time.time_ns()}" if cap.idempotent else None
        result = await invoke(self.runtime, cap, cmd, KITCHEN_LINK, key)
        assert isinstance(result, out)
        return result

    def _publish(self, out: Outgoing) -> None:
        now = time.monotonic()
        for gone in out.given_up:
            self._sent.pop(gone, None)
        for c in out.commands:
            self._sent.setdefault(c.command_id, now)
            self._port.publish(topic(c.location_id, c.machine_id, "commands"), c.payload, qos=COMMAND_QOS)
