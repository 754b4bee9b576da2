"""Simulated machines on the real broker (Mosquitto here and in CI): protocol, exactly-once, last will."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import aiomqtt
import anyio
import pytest

from devices.machine import MachineConfig, MachineModel
from devices.protocol import EVENTS, Brew, MachineState, Status, parse_topic, subscription, topic
from devices.simulator import Broker, SimulatedMachine

pytestmark = pytest.mark.anyio
BROKER = Broker.parse(os.environ.get("GOCOFFEE_TEST_MQTT_URL", "mqtt://127.0.0.1:1883"))


@pytest.fixture
async def location() -> AsyncIterator[str]:
    name = f"test{uuid4().hex[:10]}"
    yield name
    async with aiomqtt.Client(BROKER.host, BROKER.port) as client:  # clear what the test left retained
        for machine in ("m1", "m2"):
            await client.publish(topic(name, machine, "state"), b"", qos=1, retain=True)


Seen = list[dict]


async def until(messages: AsyncIterator[aiomqtt.Message], wanted: str | Callable[[Seen], bool],
                seconds: float = 10) -> Seen:
    """Collect payloads until one has `kind` or `status` equal to `wanted`, or `wanted(seen)` (bounded wait)."""
    done = wanted if callable(wanted) else (lambda seen: wanted in (seen[-1].get("kind"), seen[-1].get("status")))
    seen: list[dict] = []
    with anyio.fail_after(seconds):
        async for message in messages:
            channel = parse_topic(message.topic.value)[2]
            if channel == "commands":
                continue
            payload = bytes(message.payload)  # type: ignore[arg-type]
            data = MachineState.model_validate_json(payload) if channel == "state" else EVENTS.validate_json(payload)
            seen.append(data.model_dump(mode="json"))
            if done(seen):
                return seen
    raise AssertionError(f"never saw {wanted}: {seen}")


async def test_a_brew_is_acknowledged_once_started_and_completed_once(location: str) -> None:
    model = MachineModel("m1", location, MachineConfig(time_scale=0.001), datetime.now(UTC), time.monotonic())
    machine = SimulatedMachine(model, BROKER)
    async with aiomqtt.Client(BROKER.host, BROKER.port) as probe, anyio.create_task_group() as tasks:
        await probe.subscribe(subscription(location, "+"), qos=1)
        tasks.start_soon(machine.run)
        await until(probe.messages, "idle")
        brew = Brew(job_id="7-1-1", item_id="latte", size="large", milk="oat")
        for _ in range(2):  # the same command delivered twice
            await probe.publish(topic(location, "m1", "commands"), brew.model_dump_json(), qos=1)
        seen = await until(probe.messages, lambda seen: [e.get("kind") for e in seen].count("ack") == 2
                           and any(e.get("kind") == "brew_completed" for e in seen))
        tasks.cancel_scope.cancel()
    events = [e for e in seen if "kind" in e]
    assert [e["kind"] for e in events].count("brew_started") == 1
    acks = [e for e in events if e["kind"] == "ack"]
    assert len(acks) == 2, [e["kind"] for e in events]
    assert acks[0] == acks[1] and acks[0]["accepted"] and acks[0]["command_id"] == brew.command_id
    assert [e["kind"] for e in events].count("brew_completed") == 1
    completed = next(e for e in events if e["kind"] == "brew_completed")
    assert (completed["job_id"], completed["machine_id"]) == ("7-1-1", "m1")
    assert model.state(time.monotonic()).water_ml < 3000


async def test_a_machine_that_dies_is_seen_offline(location: str, tmp_path: Path) -> None:
    gocoffee = Path(sys.executable).parent / "gocoffee"
    url = f"mqtt://{BROKER.host}:{BROKER.port}"
    async with aiomqtt.Client(BROKER.host, BROKER.port) as probe:
        await probe.subscribe(topic(location, "m1", "state"), qos=1)
        process = subprocess.Popen([str(gocoffee), "devices", "simulate", "--location", location, "--machines", "1",
                                    "--mqtt-url", url, "--time-scale", "0.001"], env={"PATH": "/usr/bin:/bin"})
        try:
            await until(probe.messages, Status.IDLE.value, seconds=30)
            process.send_signal(signal.SIGKILL)
            last = await until(probe.messages, Status.OFFLINE.value, seconds=20)
        finally:
            process.kill()
            process.wait(timeout=10)
    assert last[-1]["machine_id"] == "m1" and last[-1]["status"] == "offline"
