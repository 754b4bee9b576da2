"""Rate limits per client address and per account or principal, in a moving window (the `limits` library): in
Redis when the server has one (shared by every worker and replica), else in this process's memory. A caller over
a limit gets 429 with Retry-After."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from fastapi import Request
from limits import parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from tools.errors import RateLimited
from tools.principal import Principal, Role

LIMITS = {"sign_in_address": "30/minute", "sign_in_account": "20/minute", "register_address": "20/hour",
          "refresh_address": "120/minute", "changes_principal": "120/minute", "changes_address": "600/minute",
          "chat_principal": "30/minute", "chat_address": "300/minute"}
"""Sign-in allows more tries per account than the lockout's ten, so an account locks before it is throttled.
Changes (every mutating route) and chat turns are counted per person and per address."""


class Throttle:
    def __init__(self, redis_url: str | None = None, limits: Mapping[str, str] | None = None,
                 prefix: str = "gocoffee") -> None:
        """`limits`: changes to LIMITS, e.g. {"chat_principal": "10/minute"}."""
        storage = (storage_from_string(f"async+{redis_url}", key_prefix=prefix) if redis_url
                   else storage_from_string("async+memory://"))
        self.limiter = MovingWindowRateLimiter(storage)
        self.items = {name: parse(value) for name, value in {**LIMITS, **(limits or {})}.items()}

    async def check(self, rule: str, key: str) -> None:
        """Count one attempt under `rule` for `key`; RateLimited (Retry-After) when over."""
        item = self.items[rule]
        if await self.limiter.hit(item, rule, key.lower()):
            return
        reset = (await self.limiter.get_window_stats(item, rule, key.lower())).reset_time
        wait = max(1, math.ceil(reset - time.time()))
        raise RateLimited(f"too many attempts; try again in {wait} s", retry_after=wait)


async def limit(request: Request, kind: str, principal: Principal) -> None:
    """Count one `kind` ("changes", "chat") call for the person (a guest: per address) and for the address."""
    throttle, address = throttle_of(request), address_of(request)
    await throttle.check(f"{kind}_address", address)
    await throttle.check(f"{kind}_principal", f"guest@{address}" if principal.role is Role.GUEST else principal.person)


def throttle_of(request: Request) -> Throttle:
    found: Throttle = request.app.state.throttle
    return found


def address_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"
