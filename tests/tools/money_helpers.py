"""Shared arrangements for the COFFEE and DAO tests: points credited in the ledger, chain access, mining."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from contracts.chain import Chain
from gocoffee.bootstrap import Platform
from tools.wallet.ledger import LOYALTY, Move, post
from tools.wallet.ledger import points as points_account

T = TypeVar("T")


async def give_points(platform: Platform, who: str, points: int) -> None:
    """Loyalty points as if earned earlier (the earning itself is tested in test_payments)."""
    async with platform.db.writer() as session, session.begin():
        await post(session, "points_earned", platform.runtime.clock(),
                   [Move(points_account(who), "points", points), Move(LOYALTY, "points", -points)], memo="test")


async def on_chain(platform: Platform, operation: Callable[[Chain], T]) -> T:
    service = platform.runtime.services.chain
    assert service is not None
    return await service.run(operation)


async def mine(platform: Platform, blocks: int = 1, seconds: int = 0) -> None:
    await on_chain(platform, lambda chain: chain.mine(blocks, seconds))
