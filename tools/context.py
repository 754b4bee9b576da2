"""What a capability function receives besides its command: who calls, the open transaction, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from tools.menu.snapshot import CatalogCache, Snapshot
from tools.principal import Principal
from tools.services import Services

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ToolContext:
    principal: Principal
    session: AsyncSession
    clock: Clock
    catalog: CatalogCache
    idempotency_key: str | None = None
    services: Services = field(default_factory=Services)

    def now(self) -> datetime:
        return self.clock()

    async def menu(self) -> Snapshot:
        return await self.catalog.get(self.session)
