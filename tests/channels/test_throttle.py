"""Rate limits: sign-in attempts over the limit get 429 with Retry-After; in Redis (the machine's), two server
processes share one count."""

from __future__ import annotations

import os
import uuid

import pytest

from channels.rest.throttle import Throttle
from gocoffee.settings import Settings
from tests.live import app_client
from tools.errors import RateLimited

pytestmark = pytest.mark.anyio
REDIS_URL = os.environ.get("GOCOFFEE_TEST_REDIS_URL", "redis://127.0.0.1:6379")


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_sign_in_attempts_beyond_the_limit_get_429_with_retry_after(settings: Settings) -> None:
    async with app_client(settings) as client:
        attempt = {"email": "ada@example.com", "password": "not the password"}
        replies = [await client.post("/api/v1/auth/token", json=attempt) for _ in range(21)]
    assert {r.status_code for r in replies[:20]} == {401}
    assert replies[20].status_code == 429 and replies[20].json()["code"] == "rate_limited"
    assert 1 <= int(replies[20].headers["Retry-After"]) <= 60


async def test_two_processes_share_one_count_in_redis() -> None:
    prefix = f"gct-{uuid.uuid4().hex[:8]}"
    first, second = (Throttle(REDIS_URL, {"sign_in_account": "3/minute"}, prefix) for _ in range(2))
    await first.check("sign_in_account", "ada@example.com")
    await second.check("sign_in_account", "ADA@example.com")  # the same account, however it is written
    await first.check("sign_in_account", "ada@example.com")
    with pytest.raises(RateLimited) as over:
        await second.check("sign_in_account", "ada@example.com")
    assert 1 <= over.value.details["retry_after"] <= 60
    await second.check("sign_in_account", "bob@example.com")  # another account is not held back
    alone = Throttle(None, {"sign_in_account": "3/minute"})
    await alone.check("sign_in_account", "ada@example.com")  # a process without Redis counts on its own
