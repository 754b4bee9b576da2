"""Helpers for kitchen tests on a real broker: a fresh shop, the device link, simulated machines, waiting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import aiomqtt
import anyio
from sqlalchemy import select

from devices.machine import MachineConfig, MachineModel
from devices.protocol import topic
from devices.simulator import Broker, SimulatedMachine
from gocoffee.bootstrap import Platform
from store.inventory import Stock
from store.menu import Location
from tests.callers import DirectCaller
from tools.kitchen.link import KitchenLink, LinkConfig
from tools.principal import Principal, Role

FAST = MachineConfig(heat_up_s=0.0, time_scale=0.01)
"""Ready at once; a medium latte takes about 0.3 s."""


async def new_shop(platform: Platform) -> str:
    """A shop of the test's own (a copy of downtown), so machines other tests left on a shared broker are not
    its machines."""
    shop = f"t{uuid4().hex[:10]}"
    async with platform.db.writer() as session, session.begin():
        downtown = await session.get(Location, "downtown")
        assert downtown is not None
        session.add(Location(id=shop, name=f"Test shop {shop}", address=downtown.address,
                             timezone=downtown.timezone, opening_hours=downtown.opening_hours))
        await session.flush()
        for row in await session.scalars(select(Stock).where(Stock.location_id == "downtown")):
            session.add(Stock(location_id=shop, ingredient_id=row.ingredient_id, quantity=row.quantity))
    platform.runtime.catalog.invalidate()
    return shop


@asynccontextmanager
async def kitchen_link(platform: Platform, url: str, ack_timeout_s: float = 1.0, offline_grace_s: float = 15.0
                       ) -> AsyncIterator[KitchenLink]:
    # No safety sweep within a test: every drink must be started by what wakes the link, not by a timer.
    config = LinkConfig(client_id=f"kitchen-{uuid4().hex[:8]}", persistent_session=False,
                        ack_timeout_s=ack_timeout_s, offline_grace_s=offline_grace_s, sweep_s=3600)
    link = KitchenLink(platform.runtime, Broker.parse(url), config)
    task = asyncio.create_task(link.run())
    try:
        with anyio.fail_after(10):
            await link.connected.wait()
        yield link
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@asynccontextmanager
async def machines(url: str, shop: str, *configs: MachineConfig, first: int = 1
                   ) -> AsyncIterator[list[SimulatedMachine]]:
    """Simulated machines m<first>, … with the given configs, connected and reporting; switched off afterwards
    and their retained states cleared."""
    broker = Broker.parse(url)
    fleet = [SimulatedMachine(MachineModel(f"m{n}", shop, replace(c, seed=n), datetime.now(UTC), time.monotonic()),
                              broker) for n, c in enumerate(configs, start=first)]
    tasks = [asyncio.create_task(m.run()) for m in fleet]
    try:
        with anyio.fail_after(10):
            for m in fleet:
                await m.ready.wait()
        yield fleet
    finally:
        for m, task in zip(fleet, tasks, strict=True):
            if not task.done():
                with anyio.move_on_after(10):  # a machine still reconnecting to a restarted broker may not answer
                    await m.stop()
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        with anyio.fail_after(10):
            async with aiomqtt.Client(broker.host, broker.port) as client:
                for n in range(1, first + len(fleet)):
                    await client.publish(topic(shop, f"m{n}", "state"), b"", qos=1, retain=True)


def staff(shop: str) -> Principal:
    return Principal(role=Role.STAFF, id="s1", location_id=shop)


CUSTOMER = Principal(role=Role.CUSTOMER, id="carol")


async def pay_for(platform: Platform, shop: str, lines: list[dict[str, Any]], key: str) -> int:
    call = DirectCaller(platform)
    order = await call("create_order", {"location_id": shop, "lines": lines}, CUSTOMER, key)
    await call("advance_order", {"order_id": order["order_id"], "to_state": "paid"}, staff(shop))
    return int(order["order_id"])


async def eventually(check: Callable[[], Awaitable[Any]], seconds: float = 15, every: float = 0.02) -> Any:
    """Poll `check` until it returns something truthy (bounded)."""
    with anyio.fail_after(seconds):
        while not (result := await check()):
            await asyncio.sleep(every)
        return result


async def order_in(platform: Platform, order_id: int, state: str, seconds: float = 15) -> dict[str, Any]:
    call = DirectCaller(platform)

    async def reached() -> dict[str, Any] | None:
        order = await call("get_order", {"order_id": order_id}, CUSTOMER)
        return order if order["state"] == state else None

    return await eventually(reached, seconds)


async def seen(platform: Platform, shop: str, statuses: dict[str, str]) -> None:
    """Wait until the kitchen has these machines in these states."""
    call = DirectCaller(platform)

    async def matches() -> bool:
        listed = (await call("list_machines", {"location_id": shop}, staff(shop)))["machines"]
        return {m["machine_id"]: m["status"] for m in listed} == statuses

    await eventually(matches)
