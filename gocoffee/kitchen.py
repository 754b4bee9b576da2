"""The kitchen beside the server: the device link, and on the embedded defaults a broker with machines.

With `GOCOFFEE_MQTT_URL` set the link joins that broker and real (or separately simulated) machines; without
it an embedded broker starts on a free local port and each shop gets a few simulated machines, so the
quick start brews drinks with nothing else installed.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import replace

from sqlalchemy import select

from devices.broker import embedded_broker
from devices.machine import MachineConfig
from devices.simulator import Broker, simulate
from gocoffee.settings import Settings
from store.menu import Location
from tools.invoke import Runtime
from tools.kitchen.link import KitchenLink, LinkConfig


async def _shops(runtime: Runtime) -> list[str]:
    async with runtime.db.reader() as session:
        return list(await session.scalars(select(Location.id).order_by(Location.id)))


@asynccontextmanager
async def kitchen(settings: Settings, runtime: Runtime) -> AsyncIterator[KitchenLink]:
    """Run the kitchen for the duration of the block (the store must be ready)."""
    async with AsyncExitStack() as stack:
        url = settings.mqtt_url
        if url is None:
            url = await stack.enter_async_context(embedded_broker())
        broker = Broker.parse(url)
        link = KitchenLink(runtime, broker, LinkConfig(client_id=settings.mqtt_client_id))
        tasks = [asyncio.create_task(link.run(), name="kitchen-link")]
        if settings.mqtt_url is None and settings.simulate_machines:
            machine = MachineConfig(time_scale=settings.simulate_time_scale)
            for n, shop in enumerate(await _shops(runtime)):
                config = replace(machine, seed=100 * n)
                tasks.append(asyncio.create_task(simulate(broker, shop, settings.simulate_machines, config)))
        gc.freeze()  # what start-up allocated is here to stay: full collections over it would stall the link
        try:
            yield link
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
