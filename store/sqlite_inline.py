"""SQLite on the event loop's own thread, behind aiosqlite's interface (which SQLAlchemy's async dialect drives).

aiosqlite runs every call on a thread of its own. On these machines a hop there and back costs ~140 µs of CPU
and SQLAlchemy makes three or four per statement, while SQLite answers most statements in a few µs: the hops
were most of an order's cost. Here statements run inline. The one thing inline code must never do is wait for
a lock on the loop's thread, so the connection's busy timeout is zero: a statement that finds the database
locked (at BEGIN IMMEDIATE, by another process or by the conversation checkpointer's own connection) fails at
once without effect, and is then retried on a worker thread that waits for the lock patiently, leaving the loop
free to let the holder finish.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from typing import Any

import aiosqlite

PATIENCE_MS = 30_000
"""How long a statement retried on a worker thread waits for the lock."""


class _RunNow:
    """Stands in for aiosqlite's queue to its thread (SQLAlchemy's isolation-level setter writes to it)."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # noqa: BLE001  (handed to the waiting caller, as aiosqlite's thread does)
            if future is not None:
                future.set_exception(exc)
            return
        if future is not None:
            future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    def __init__(self, path: str) -> None:
        super().__init__(lambda: sqlite3.connect(path, check_same_thread=False, timeout=0), iter_chunk_size=64)
        self._tx = _RunNow()  # type: ignore[assignment]  # same put_nowait contract as aiosqlite's queue

    def __await__(self) -> Generator[Any, None, InlineConnection]:
        return self._open().__await__()

    async def _open(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        try:
            return fn(*args, **kwargs)
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
        return await asyncio.to_thread(self._patiently, fn, args, kwargs)

    def _patiently(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        self._conn.execute(f"PRAGMA busy_timeout={PATIENCE_MS}")
        try:
            return fn(*args, **kwargs)
        finally:
            self._conn.execute("PRAGMA busy_timeout=0")

    def stop(self) -> None:  # nothing to stop: there is no thread
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None


async def connect(path: str) -> InlineConnection:
    return await InlineConnection(path)
