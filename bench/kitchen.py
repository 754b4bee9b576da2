"""Kitchen benchmark: a burst of paid orders brewed by N simulated machines over Mosquitto.

One run, per fleet size (200 and 1,000 machines by default):
- baseline: bare MQTT request→ack round trips (QoS 1 both ways, an echo client, one at a time) on the same
  broker: the floor under dispatch→ack with no kitchen, store or simulated machine at all;
- kitchen: D one-latte orders are placed, then all paid in a burst (32 at a time); the device link dispatches them to the
  machines (a `gocoffee devices simulate` subprocess, brews a thousand times faster than life).
Reported: dispatch→ack latency (publish of a brew command to receipt of the machine's ack; median, p99) and
its ratio to the baseline, and orders/s sustained from the first payment to the last order ready.
Aim: p99 dispatch→ack <= 50 ms at 200 machines. Nothing is asserted.

The broker is a private Mosquitto on the shipped config (deploy/mosquitto.conf) and a free port; the store is
the default embedded SQLite. Run `.venv/bin/python -m bench.kitchen [--fleets 200,1000] [--drinks-per-machine 5]`;
JSON in bench/results/kitchen-*.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiomqtt
from sqlalchemy import func, select, update

from devices.mosquitto import PrivateMosquitto
from devices.simulator import NO_DELAY, Broker
from gocoffee.bootstrap import Platform, build_platform, running
from gocoffee.settings import Settings
from store.inventory import Stock
from store.kitchen import Machine
from store.menu import Location
from store.orders import Order
from tools.invoke import command_from, invoke
from tools.kitchen.link import KitchenLink, LinkConfig
from tools.principal import Principal, Role

RESULTS = Path(__file__).resolve().parent / "results"
SHOP = "bench"
CUSTOMER = Principal(role=Role.CUSTOMER, id="bench")
STAFF = Principal(role=Role.STAFF, id="bench", location_id=SHOP)
AIM_P99_MS = 50.0
PAYING_AT_ONCE = 32


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


async def baseline(url: str, n: int) -> list[float]:
    """`n` bare request→ack round trips, one at a time, through an echo client on the same broker (QoS 1 both
    ways, no Nagle): the floor under dispatch→ack, with no kitchen, store or simulated machine in the way."""
    broker = Broker.parse(url)
    async with aiomqtt.Client(broker.host, broker.port, socket_options=NO_DELAY) as echo, \
            aiomqtt.Client(broker.host, broker.port, socket_options=NO_DELAY) as asker:
        await echo.subscribe("bench/ping", qos=1)
        await asker.subscribe("bench/pong", qos=1)

        async def answer() -> None:
            async for m in echo.messages:
                await echo.publish("bench/pong", m.payload, qos=1)

        task, trips = asyncio.create_task(answer()), []
        replies = aiter(asker.messages)
        for _ in range(n):
            sent = time.monotonic()
            await asker.publish("bench/ping", b'{"kind":"brew"}', qos=1)
            await asyncio.wait_for(anext(replies), 10)
            trips.append(time.monotonic() - sent)
        task.cancel()
        return trips


async def add_shop(platform: Platform) -> None:
    async with platform.db.writer() as session, session.begin():
        downtown = await session.get(Location, "downtown")
        assert downtown is not None
        session.add(Location(id=SHOP, name="Bench", address="-", timezone=downtown.timezone,
                             opening_hours=downtown.opening_hours))
        await session.flush()
        for row in await session.scalars(select(Stock).where(Stock.location_id == "downtown")):
            session.add(Stock(location_id=SHOP, ingredient_id=row.ingredient_id, quantity=10**9))
    platform.runtime.catalog.invalidate()


async def call(platform: Platform, tool: str, args: dict[str, Any], who: Principal, key: str | None = None) -> Any:
    cap = platform.registry.get(tool)
    return await invoke(platform.runtime, cap, command_from(cap, args), who, key)


async def count(platform: Platform, query: Any) -> int:
    async with platform.db.reader() as session:
        return int(await session.scalar(query) or 0)


async def wait_for(check: Any, seconds: float) -> float:
    start = time.monotonic()
    while not await check():
        if time.monotonic() - start > seconds:
            raise TimeoutError("the kitchen did not get there in time")
        await asyncio.sleep(0.05)
    return time.monotonic() - start


async def kitchen_run(platform: Platform, url: str, machines: int, drinks: int) -> dict[str, Any]:
    await _reset(platform)
    run = uuid.uuid4().hex[:8]
    sim = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "gocoffee"), "devices", "simulate", "--location", SHOP, "--machines",
        str(machines), "--mqtt-url", url, "--time-scale", "0.001", "--seed", str(machines))
    link = KitchenLink(platform.runtime, Broker.parse(url),
                       LinkConfig(client_id=f"bench-{machines}", persistent_session=False))
    task = asyncio.create_task(link.run())
    try:
        idle = select(func.count()).select_from(Machine).where(Machine.location_id == SHOP, Machine.status == "idle")
        ready_s = await wait_for(lambda: _at_least(platform, idle, machines), 120)
        gc.freeze()  # as `gocoffee serve` does once its kitchen is up
        ids = [(await call(platform, "create_order", {"location_id": SHOP, "lines": [
            {"item_id": "latte", "size": "medium"}]}, CUSTOMER, f"{run}-{n}")).order_id for n in range(drinks)]
        link.stats.ack_latencies.clear()
        start = time.monotonic()
        tills = asyncio.Semaphore(PAYING_AT_ONCE)

        async def pay(order_id: int) -> None:
            async with tills:
                await call(platform, "advance_order", {"order_id": order_id, "to_state": "paid"}, STAFF)

        await asyncio.gather(*(pay(i) for i in ids))
        paid_s = time.monotonic() - start
        done = select(func.count()).select_from(Order).where(Order.location_id == SHOP, Order.state == "ready")
        await wait_for(lambda: _at_least(platform, done, drinks), 300)
        elapsed = time.monotonic() - start
    finally:
        task.cancel()
        sim.terminate()
        await sim.wait()
    acks = link.stats.ack_latencies
    return {"machines": machines, "orders": drinks, "fleet_ready_s": round(ready_s, 2),
            "payments_s": round(paid_s, 2), "all_ready_s": round(elapsed, 2),
            "orders_per_s": round(drinks / elapsed, 1), "acks": len(acks),
            "ack_p50_ms": round(pct(acks, 0.5), 2), "ack_p99_ms": round(pct(acks, 0.99), 2),
            "ack_mean_ms": round(statistics.fmean(acks) * 1000, 2) if acks else None}


async def _at_least(platform: Platform, query: Any, n: int) -> bool:
    return await count(platform, query) >= n


async def _reset(platform: Platform) -> None:
    """Forget the previous fleet (its retained states were cleared with the broker restart)."""
    async with platform.db.writer() as session, session.begin():
        await session.execute(update(Machine).where(Machine.location_id == SHOP).values(status="offline"))


async def main(fleets: list[int], per_machine: int) -> dict[str, Any]:
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("mqtt").setLevel(logging.ERROR)  # paho notes every burst of concurrent publishes
    out: dict[str, Any] = {"runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        platform = build_platform(Settings(data_dir=Path(tmp), kitchen=False))
        async with running(platform):
            await add_shop(platform)
            for machines in fleets:
                with PrivateMosquitto(Path(tmp)) as broker:
                    base = await baseline(broker.url, machines)
                    run = await kitchen_run(platform, broker.url, machines, machines * per_machine)
                run["baseline_p50_ms"], run["baseline_p99_ms"] = round(pct(base, 0.5), 2), round(pct(base, 0.99), 2)
                run["ack_p50_ratio"] = round(run["ack_p50_ms"] / max(run["baseline_p50_ms"], 1e-6), 2)
                run["ack_p99_ratio"] = round(run["ack_p99_ms"] / max(run["baseline_p99_ms"], 1e-6), 2)
                run["aim_p99_met"] = run["ack_p99_ms"] <= AIM_P99_MS if machines == 200 else None
                out["runs"].append(run)
                print(json.dumps(run))
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--fleets", default="200,1000")
    parser.add_argument("--drinks-per-machine", type=int, default=5)
    args = parser.parse_args()
    result = asyncio.run(main([int(f) for f in args.fleets.split(",")], args.drinks_per_machine))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"kitchen-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(result, indent=2))
