"""Simulated machines on a real MQTT broker: the machine model behind the protocol, one client per machine.

Each machine connects with a retained OFFLINE last will (so a machine that dies is seen offline), publishes
its retained state on every change, and answers each command id once: a redelivered command (QoS 1 allows
duplicates) gets the same acknowledgement again and is never applied twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlparse

import aiomqtt
from pydantic import ValidationError

from devices.machine import MachineConfig, MachineModel
from devices.protocol import COMMANDS, EVENT_QOS, STATE_QOS, Event, Status, topic

log = logging.getLogger(__name__)
REMEMBERED_COMMANDS = 1000


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
        self._answered: OrderedDict[str, list[Event]] = OrderedDict()
        self.ready = asyncio.Event()

    def _topic(self, channel: str) -> str:
        return topic(self.model.location, self.model.id, channel)  # type: ignore[arg-type]

    def _offline(self) -> bytes:
        state = self.model.state(self.clock()).model_copy(update={"status": Status.OFFLINE, "job_id": None})
        return state.model_dump_json().encode()

    async def run(self) -> None:
        will = aiomqtt.Will(self._topic("state"), self._offline(), qos=STATE_QOS, retain=True)
        async with aiomqtt.Client(self.broker.host, self.broker.port, identifier=f"gc-{self.model.location}-"
                                  f"{self.model.id}", will=will, keepalive=5) as client:
            await client.subscribe(self._topic("commands"), qos=1)
            await self._publish(client, [])
            self.ready.set()
            messages = client.messages
            while True:
                deadline = self.model.next_change()
                wait = None if deadline is None else max(0.0, deadline - self.clock())
                try:
                    message = await asyncio.wait_for(anext(messages), timeout=wait)
                except TimeoutError:
                    await self._publish(client, self.model.advance(self.clock()))
                    continue
                await self._publish(client, self._answer(bytes(message.payload)))  # type: ignore[arg-type]

    def _answer(self, payload: bytes) -> list[Event]:
        try:
            command = COMMANDS.validate_json(payload)
        except ValidationError:
            log.warning("machine %s ignored a malformed command", self.model.id)
            return []
        if command.command_id in self._answered:
            return [e for e in self._answered[command.command_id] if e.kind == "ack"]
        events = self.model.handle(command, self.clock())
        self._answered[command.command_id] = events
        while len(self._answered) > REMEMBERED_COMMANDS:
            self._answered.popitem(last=False)
        return events

    async def _publish(self, client: aiomqtt.Client, events: list[Event]) -> None:
        for event in events:
            await client.publish(self._topic("events"), event.model_dump_json(), qos=EVENT_QOS)
        state = self.model.state(self.clock())
        await client.publish(self._topic("state"), state.model_dump_json(), qos=STATE_QOS, retain=True)


async def simulate(broker: Broker, location: str, machines: int, config: MachineConfig) -> None:
    """Run `machines` simulated machines at `location` until cancelled."""
    epoch, start = datetime.now(UTC), time.monotonic()
    fleet = [SimulatedMachine(MachineModel(f"m{n}", location, replace(config, seed=config.seed + n), epoch, start),
                              broker) for n in range(1, machines + 1)]
    await asyncio.gather(*(m.run() for m in fleet))
