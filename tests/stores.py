"""Real stores for tests: a migrated, seeded template per run, cloned for each test (SQLite and Postgres)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from gocoffee.bootstrap import build_platform, prepare_store
from gocoffee.settings import Settings

POSTGRES_URL = os.environ.get("GOCOFFEE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


async def _prepare(settings: Settings) -> None:
    platform = build_platform(settings)
    await prepare_store(platform)
    await platform.db.dispose()


def sqlite_template(root: Path) -> Path:
    path = root / "template.db"
    asyncio.run(_prepare(Settings(data_dir=root, database_url=f"sqlite+aiosqlite:///{path}")))
    return path


def sqlite_clone(template: Path, into: Path) -> str:
    target = into / "store.db"
    shutil.copyfile(template, target)
    return f"sqlite+aiosqlite:///{target}"


def _pg_dsn(database: str) -> str:
    url = make_url(POSTGRES_URL).set(drivername="postgresql", database=database)
    return url.render_as_string(hide_password=False)


def _pg_url(database: str) -> str:
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(_pg_dsn(make_url(POSTGRES_URL).database or "test"))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def postgres_template(root: Path) -> str:
    name = f"gct_tpl_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    asyncio.run(_prepare(Settings(data_dir=root, database_url=_pg_url(name))))
    return name


def postgres_clone(template: str) -> tuple[str, str]:
    name = f"gct_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    return name, _pg_url(name)


def postgres_drop(name: str) -> None:
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
