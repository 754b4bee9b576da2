"""Simulated machines on real brokers (Mosquitto and amqtt): protocol, exactly-once, last will, broker restarts."""

from __future__ import annotations

import signal
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
from devices.mosquitto import PrivateMosquitto
from devices.protocol import EVENTS, Brew, MachineState, Status, parse_topic, subscription, topic
from devices.simulator import Broker, SimulatedMachine

# The system Mosquitto is shared: its tests run on one test worker, one after another.
pytestmark = [pytest.mark.anyio, pytest.mark.xdist_group("system_mosquitto")]


@pytest.fixture
async def location(broker_url: str) -> AsyncIterator[str]:
    name = f"test{uuid4().hex[:10]}"
    yield name
    broker = Broker.parse(broker_url)
    async with aiomqtt.Client(broker.host, broker.port) as client:  # clear what the test left retained
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


async def test_a_brew_is_acknowledged_once_started_and_completed_once(location: str, broker_url: str) -> None:
    broker = Broker.parse(broker_url)
    model = MachineModel("m1", location, MachineConfig(time_scale=0.001), datetime.now(UTC), time.monotonic())
    machine = SimulatedMachine(model, broker)
    async with aiomqtt.Client(broker.host, broker.port) as probe, anyio.create_task_group() as tasks:
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
    assert model.state(time.monotonic()).recent_jobs[-1].model_dump() == {"job_id": "7-1-1", "outcome": "completed",
                                                                          "reason": None}


async def test_a_machine_that_dies_is_seen_offline(location: str, broker_url: str) -> None:
    gocoffee = Path(sys.executable).parent / "gocoffee"
    broker = Broker.parse(broker_url)
    command = [str(gocoffee), "devices", "simulate", "--location", location, "--machines", "1", "--mqtt-url", broker_url,
               "--time-scale", "0.001"]
    async with aiomqtt.Client(broker.host, broker.port) as probe:
        await probe.subscribe(topic(location, "m1", "state"), qos=1)
        async with await anyio.open_process(command, stdout=None, stderr=None, env={"PATH": "/usr/bin:/bin"}) as process:
            try:
                await until(probe.messages, Status.IDLE.value, seconds=30)
                process.send_signal(signal.SIGKILL)
                last = await until(probe.messages, Status.OFFLINE.value, seconds=20)
            finally:
                if process.returncode is None:
                    process.kill()
    assert last[-1]["machine_id"] == "m1" and last[-1]["status"] == "offline"


async def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    with anyio.fail_after(seconds):
        while not condition():
            await anyio.sleep(0.01)


async def test_a_machine_rides_out_a_broker_restart_and_reports_its_brew_once(tmp_path: Path) -> None:
    mosquitto = PrivateMosquitto(tmp_path)
    mosquitto.start()
    broker, state = Broker.parse(mosquitto.url), topic("downtown", "m1", "state")
    config = MachineConfig(time_scale=0.1, heat_up_s=1.0)  # heats in 0.1 s; an espresso brews in 1.2 s
    model = MachineModel("m1", "downtown", config, datetime.now(UTC), time.monotonic())
    machine = SimulatedMachine(model, broker)
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(machine.run)
            async with aiomqtt.Client(broker.host, broker.port) as kitchen:
                await kitchen.subscribe(subscription("downtown", "+"), qos=1)
                await until(kitchen.messages, "idle")
                brew = Brew(job_id="9-1-1", item_id="espresso", size="medium")
                await kitchen.publish(topic("downtown", "m1", "commands"), brew.model_dump_json(), qos=1)
                await until(kitchen.messages, "brew_started")
            await anyio.to_thread.run_sync(mosquitto.stop)
            await wait_for(lambda: not machine.connected.is_set())
            await wait_for(lambda: time.monotonic() >= (model.next_change() or 0))  # the brew ends, broker down
            await anyio.to_thread.run_sync(mosquitto.start)
            async with aiomqtt.Client(broker.host, broker.port) as fresh:  # a kitchen that saw none of it
                await fresh.subscribe(state, qos=1)
                seen = await until(fresh.messages, lambda seen: bool(seen[-1]["recent_jobs"]))
                await machine.stop()
                offline = await until(fresh.messages, "offline")
    finally:
        mosquitto.stop()
    assert seen[-1]["status"] == "idle" and seen[-1]["job_id"] is None
    assert seen[-1]["recent_jobs"] == [{"job_id": "9-1-1", "outcome": "completed", "reason": None}]
    assert offline[-1]["recent_jobs"] == seen[-1]["recent_jobs"] and machine.connections == 2
