"""Alembic environment: runs migrations on the async engine the platform uses."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from store.engine import open_database
from store.models import Base

config = context.config
target_metadata = Base.metadata


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Only our own tables: the conversation checkpointer keeps its tables in the same database."""
    return type_ != "table" or name in target_metadata.tables


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


async def _main() -> None:
    db = open_database(config.get_main_option("sqlalchemy.url") or "")
    async with db.engine.connect() as conn:
        await conn.run_sync(_run)
        await conn.commit()
    await db.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
asyncio.run(_main())
