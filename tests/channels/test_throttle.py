"""Rate limits: sign-in attempts over the limit get 429 with Retry-After; in Redis (the machine's), two server
processes share one count."""

from __future__ import annotations

import os
import uuid

import pytest

from channels.rest.throttle import Throttle
from gocoffee.settings import Settings
from tests.identities import AS
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


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_guessing_across_many_accounts_from_one_address_is_throttled_too(settings: Settings) -> None:
    async with app_client(settings) as client:
        replies = [await client.post("/api/v1/auth/token", json={"email": f"u{n}@example.com", "password": "guess"})
                   for n in range(31)]
    assert {r.status_code for r in replies[:30]} == {401} and replies[30].status_code == 429


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_chat_turns_and_changes_are_limited_per_person(settings: Settings) -> None:
    tight = {"chat_principal": "2/minute", "changes_principal": "2/minute"}
    async with app_client(settings.model_copy(update={"rate_limits": tight})) as client:
        said = [await client.post("/api/v1/chat", json={"message": "hi"}, headers={AS: "customer:c8"})
                for _ in range(3)]
        assert [r.status_code for r in said] == [200, 200, 429] and said[2].headers["Retry-After"]
        other = await client.post("/api/v1/chat", json={"message": "hi"}, headers={AS: "customer:c9"})
        assert other.status_code == 200  # per person
        order = {"location_id": "downtown", "lines": [{"item_id": "latte"}]}
        made = [await client.post("/api/v1/orders", json=order, headers={AS: "customer:c8", "Idempotency-Key": f"k{n}"})
                for n in range(3)]
        assert [r.status_code for r in made] == [201, 201, 429]


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
