"""Simulated machines on a real MQTT broker: the machine model behind the protocol, one client per machine.

Each machine connects with a retained OFFLINE last will (so a machine that dies is seen offline), publishes
its retained state on every change, and answers each command id once: a redelivered command (QoS 1 allows
duplicates) gets the same acknowledgement again and is never applied twice.

When the broker goes away the machine keeps its model (a brew in progress finishes in model time) and reconnects
with backoff; on every connect it subscribes to its commands again and republishes its retained state, whose
`recent_jobs` lets a kitchen reconcile the brews whose events it missed. Events not yet confirmed by the broker
when the connection dropped are published again after reconnecting (so one may arrive twice, same `event_id`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import socket
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlparse

import aiomqtt
from pydantic import ValidationError

from devices.machine import MachineConfig, MachineModel
from devices.protocol import COMMAND_QOS, COMMANDS, EVENT_QOS, STATE_QOS, Channel, Event, Status, topic

log = logging.getLogger(__name__)
REMEMBERED_COMMANDS = 1000
UNSENT_EVENTS = 1000
RETRY_FIRST_S, RETRY_MAX_S = 0.05, 1.0
NO_DELAY = ((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),)
"""Acks are small and latency-bound: without this, Nagle and delayed ACKs add about 40 ms a round trip."""


@dataclass(frozen=True)
class Broker:
    host: str
    port: int

    @classmethod
    def parse(cls, url: str) -> Broker:
        parsed = urlparse(url if "://" in url else f"mqtt://{url}")
        return cls(parsed.hostname or "127.0.0.1", parsed.port or 1883)


class SimulatedMachine:
    def __init__(self, model: MachineModel, broker: Broker, clock: Callable[[], float] = time.monotonic) -> None:
        self.model, self.broker, self.clock = model, broker, clock
        self._answered: OrderedDict[str, Event] = OrderedDict()
        """Command id -> its acknowledgement, repeated to a redelivered command."""
        self._unsent: deque[Event] = deque(maxlen=UNSENT_EVENTS)
        self._inbox: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._stopping, self._idle = asyncio.Event(), asyncio.Event()
        self._idle.set()
        self.ready = asyncio.Event()
        """Set once the machine has first connected and published its state."""
        self.connected = asyncio.Event()
        """Set while connected (from when its state is published), cleared when the connection is lost."""
        self.connections = 0
        """How many times the machine has connected (and published its state)."""

    def _topic(self, channel: Channel) -> str:
        return topic(self.model.location, self.model.id, channel)

    def _offline(self) -> bytes:
        state = self.model.state(self.clock()).model_copy(update={"status": Status.OFFLINE, "job_id": None})
        return state.model_dump_json().encode()

    def _client(self) -> aiomqtt.Client:
        will = aiomqtt.Will(self._topic("state"), self._offline(), qos=STATE_QOS, retain=True)
        return aiomqtt.Client(self.broker.host, self.broker.port, identifier=f"gc-{self.model.location}-"
                              f"{self.model.id}", will=will, keepalive=5, socket_options=NO_DELAY)

    async def run(self) -> None:
        """Serve until `stop()` (or cancellation), reconnecting with backoff whenever the broker goes away."""
        self._stopping.clear()
        self._idle.clear()
        try:
            await self._reconnecting()
        finally:
            self._idle.set()

    async def stop(self) -> None:
        """Switch off: publish the OFFLINE state and disconnect cleanly; returns once `run()` has."""
        self._stopping.set()
        self._inbox.put_nowait(None)
        await self._idle.wait()

    async def _reconnecting(self) -> None:
        delay = RETRY_FIRST_S
        while not self._stopping.is_set():
            connections = self.connections
            try:
                await self._session()
            except* aiomqtt.MqttError as lost:
                log.info("machine %s: broker unavailable (%s)", self.model.id, lost.exceptions[0])
            finally:
                self.connected.clear()
            delay = RETRY_FIRST_S if self.connections > connections else min(2 * delay, RETRY_MAX_S)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)

    async def _session(self) -> None:
        async with self._client() as client, asyncio.TaskGroup() as tasks:
            await client.subscribe(self._topic("commands"), qos=COMMAND_QOS)
            await self._publish(client, self.model.advance(self.clock()))
            self.connections += 1
            self.connected.set()
            self.ready.set()
            receiver = tasks.create_task(self._receive(client))
            await self._serve(client)
            receiver.cancel()
            await client.publish(self._topic("state"), self._offline(), qos=STATE_QOS, retain=True)

    async def _receive(self, client: aiomqtt.Client) -> None:
        commands = self._topic("commands")
        async for message in client.messages:
            if message.topic.value == commands:  # amqtt also sends retained messages matching others' subscriptions
                self._inbox.put_nowait(bytes(message.payload))

    async def _serve(self, client: aiomqtt.Client) -> None:
        while not self._stopping.is_set():
            deadline = self.model.next_change()
            wait = None if deadline is None else max(0.0, deadline - self.clock())
            try:
                payload = await asyncio.wait_for(self._inbox.get(), timeout=wait)
            except TimeoutError:
                payload = None
            await self._publish(client, self._answer(payload) if payload else self.model.advance(self.clock()))

    def _answer(self, payload: bytes) -> list[Event]:
        try:
            command = COMMANDS.validate_json(payload)
        except ValidationError:
            log.warning("machine %s ignored a malformed command", self.model.id)
            return []
        if command.command_id in self._answered:
            return [self._answered[command.command_id]]
        events = self.model.handle(command, self.clock())
        self._answered[command.command_id] = next(e for e in events if e.kind == "ack")
        while len(self._answered) > REMEMBERED_COMMANDS:
            self._answered.popitem(last=False)
        return events

    async def _publish(self, client: aiomqtt.Client, events: list[Event]) -> None:
        self._unsent.extend(events)
        while self._unsent:
            await client.publish(self._topic("events"), self._unsent[0].model_dump_json(), qos=EVENT_QOS)
            self._unsent.popleft()
        state = self.model.state(self.clock())
        await client.publish(self._topic("state"), state.model_dump_json(), qos=STATE_QOS, retain=True)


async def simulate(broker: Broker, location: str, machines: int, config: MachineConfig) -> None:
    """Run `machines` simulated machines at `location` until cancelled."""
    epoch, start = datetime.now(UTC), time.monotonic()
    fleet = [SimulatedMachine(MachineModel(f"m{n}", location, replace(config, seed=config.seed + n), epoch, start),
                              broker) for n in range(1, machines + 1)]
    runs = [asyncio.create_task(m.run()) for m in fleet]
    await asyncio.wait([asyncio.create_task(m.ready.wait()) for m in fleet])
    gc.freeze()  # a fleet shares one process: a full collection over its clients would stall every machine at once
    await asyncio.gather(*runs)
