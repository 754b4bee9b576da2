"""The channels' tests call a fresh app on the test's store (its own lifespan, so its own platform)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gocoffee.settings import Settings
from tests.live import app_client


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings) as c:
        yield c
