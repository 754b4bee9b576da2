"""Apply Alembic migrations programmatically (on start, in tests, from the CLI)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


_ONE_AT_A_TIME = threading.Lock()
"""Alembic's `context` is process-global: two migrations running at once in threads trample each other."""


def upgrade(url: str) -> None:
    """Bring the database at `url` to the newest schema (blocking; safe to call repeatedly)."""
    with _ONE_AT_A_TIME:
        command.upgrade(alembic_config(url), "head")


async def upgrade_async(url: str) -> None:
    await asyncio.to_thread(upgrade, url)
