"""Engine factory: SQLite (WAL, immediate write transactions) by default, Postgres via asyncpg.

Two session factories share one engine: `reader` for queries, `writer` for mutations. On SQLite the
writer begins with BEGIN IMMEDIATE so concurrent writers queue on the busy timeout instead of failing
with a stale snapshot; on Postgres both are plain READ COMMITTED transactions.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Result, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from store import sqlite_inline
from store.changes import Changes

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=30000",
    "PRAGMA foreign_keys=ON",
)
"""For every SQLite connection; the store's own (inline, see store.sqlite_inline) then never waits on a lock."""


def _install_sqlite_hooks(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        for pragma in (*SQLITE_PRAGMAS, "PRAGMA busy_timeout=0"):
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("gocoffee_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


@dataclass(frozen=True)
class Database:
    engine: AsyncEngine
    reader: async_sessionmaker[AsyncSession]
    writer: async_sessionmaker[AsyncSession]
    changes: Changes = field(default_factory=Changes)
    """Announces committed writes (see store.changes)."""

    _write_turn: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def write_turn(self) -> AsyncIterator[None]:
        """On SQLite, writers of this process take turns in arrival order.

        SQLite has one writer at a time anyway; without the queue, waiting writers poll the busy timeout
        in no order (seconds of tail latency) while each holds a pooled connection. Postgres needs none.
        """
        if not self.is_sqlite:
            yield
            return
        async with self._write_turn:
            yield

    async def dispose(self) -> None:
        await self.engine.dispose()


def open_database(url: str, *, pool_size: int = 10) -> Database:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ":memory:"
        engine = create_async_engine(url, async_creator=partial(sqlite_inline.connect, path))
        _install_sqlite_hooks(engine)
    else:
        engine = create_async_engine(url, pool_size=pool_size, max_overflow=pool_size * 2)
    write_engine = engine.execution_options(gocoffee_write=True)
    changes = Changes()
    return Database(
        engine=engine,
        reader=async_sessionmaker(engine, expire_on_commit=False),
        writer=async_sessionmaker(write_engine, expire_on_commit=False, sync_session_class=changes.session_class()),
        changes=changes,
    )


def insert_or_skip(session: AsyncSession, table: Any, rows: Any, *unique: str) -> Any:
    """An INSERT of `rows` that skips a row whose `unique` columns are taken (ON CONFLICT DO NOTHING), in the
    session's dialect."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table).values(rows).on_conflict_do_nothing(index_elements=list(unique))


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (its result is a cursor result; the async API types it as any)."""
    return cast(CursorResult[Any], result).rowcount
