"""The server's steady background work: a step every so often that outlives its own failures."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from functools import partial

from mcp_servers.gateway import Gateway
from store.engine import Database
from tools.context import Clock
from tools.notifications.dispatch import Courier, deliver_due
from tools.principal import Principal, Role

log = logging.getLogger(__name__)
BOARD = Principal(role=Role.SERVICE, id="recurring")
BOARD_SECONDS = 3600.0
"""The recurring tasks of the days ahead are put on the boards hourly (a rule's day is made once)."""
OUTBOX_SECONDS = 1.0


async def every(seconds: float, step: Callable[[], Awaitable[object]], *, first: bool = False) -> None:
    """Run `step` every `seconds` (at once too, if `first`); a failed round is logged and retried next time."""
    if not first:
        await asyncio.sleep(seconds)
    while True:
        try:
            await step()
        except Exception:
            log.exception("background step failed")
        await asyncio.sleep(seconds)


@asynccontextmanager
async def recurring_tasks(gateway: Gateway) -> AsyncIterator[None]:
    """Beside the server: the recurring tasks for today and tomorrow on every shop's board."""
    task = asyncio.create_task(every(BOARD_SECONDS, lambda: gateway.call("plan_recurring_tasks", {"days": 2},
                                                                          principal=BOARD), first=True))
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@asynccontextmanager
async def outbox(db: Database, couriers: Sequence[Courier], clock: Clock) -> AsyncIterator[None]:
    """Beside the server: hand the due deliveries to each channel's courier (email, Telegram), every second."""
    tasks = [asyncio.create_task(every(OUTBOX_SECONDS, partial(_deliver, db, c, clock), first=True)) for c in couriers]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _deliver(db: Database, courier: Courier, clock: Clock) -> int:
    return await deliver_due(db, courier, clock())
