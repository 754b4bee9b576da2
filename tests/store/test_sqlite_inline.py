"""The store's SQLite runs inline on the event loop, yet never makes the loop wait for a lock: a write that
finds the database locked (another process, the checkpointer's connection) waits on a worker thread."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from gocoffee.bootstrap import Platform
from store.inventory import Stock

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
HOLD_S = 0.6


def hold_write_lock(path: str, taken: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE stock SET quantity = quantity + 1 WHERE location_id = 'campus'")
    taken.set()
    time.sleep(HOLD_S)
    other.execute("COMMIT")
    other.close()


async def test_a_locked_database_is_waited_for_off_the_loop(platform: Platform, store_url: str) -> None:
    taken = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(make_url(store_url).database, taken))
    holder.start()
    await asyncio.to_thread(taken.wait, 5)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    started = time.monotonic()
    async with platform.db.writer() as session, session.begin():
        await session.execute(update(Stock).where(Stock.location_id == "downtown").values(quantity=Stock.quantity + 1))
    waited = time.monotonic() - started
    ticker.cancel()
    holder.join()
    assert waited >= HOLD_S * 0.5  # it really waited for the other writer
    assert ticks >= waited / 0.01 * 0.5  # and the loop went on meanwhile
    async with platform.db.reader() as session:
        assert await session.scalar(select(Stock.quantity).where(Stock.location_id == "downtown").limit(1))
