"""The conversation checkpointer lives in the store's own database: SQLite file or Postgres."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiosqlite
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from sqlalchemy.engine import make_url

from store.engine import SQLITE_PRAGMAS

CHECKPOINT_TABLES = frozenset({
    "checkpoints", "writes",  # SQLite saver
    "checkpoint_blobs", "checkpoint_writes", "checkpoint_migrations",  # Postgres saver
})


@asynccontextmanager
async def open_checkpointer(database_url: str) -> AsyncIterator[BaseCheckpointSaver[str]]:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        async with aiosqlite.connect(url.database or ":memory:") as conn:
            for pragma in SQLITE_PRAGMAS:
                await conn.execute(pragma)
            saver = AsyncSqliteSaver(conn)
            await saver.setup()
            yield saver
        return
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    async with AsyncPostgresSaver.from_conn_string(conninfo) as postgres:
        await postgres.setup()
        yield postgres
