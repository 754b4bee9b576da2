"""Fixtures: real stores (SQLite, Postgres), a running platform, and the four callers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from gocoffee.bootstrap import Platform, Running, build_platform, running
from gocoffee.settings import Settings
from store.audit import AuditEntry
from store.inventory import Stock
from store.orders import Order
from tests import stores
from tests.callers import Caller, DirectCaller, GatewayCaller, HttpCaller, RestCaller
from tests.chains import anvil, node_modules  # noqa: F401  (fixtures)
from tests.fakes.stripe_api import FakeStripe, serve_fake_stripe
from tests.live import LiveServer, app_client
from tests.mail import smtp  # noqa: F401  (a fixture)

STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
CALLERS = ["direct", "mcp", "http", "rest"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return stores.sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    name = stores.postgres_template(tmp_path_factory.mktemp("pg-template"))
    yield name
    stores.postgres_drop(name)


@pytest.fixture(params=STORES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield stores.sqlite_clone(request.getfixturevalue("sqlite_template"), tmp_path)
        return
    name, url = stores.postgres_clone(request.getfixturevalue("postgres_template"))
    yield url
    stores.postgres_drop(name)


@pytest.fixture
def stripe_api() -> Iterator[FakeStripe]:
    """A fake Stripe API on a local port (its `settings()` point the platform at it)."""
    with serve_fake_stripe() as fake:
        yield fake


@pytest.fixture
def settings(request: pytest.FixtureRequest, store_url: str, tmp_path: Path) -> Settings:
    """No kitchen; the chain (embedded EVM, contracts deployed per test) only for tests marked `chain`
    (`chain(node="anvil")`: on the session's anvil instead)."""
    marker = request.node.get_closest_marker("chain")
    extra = dict(marker.kwargs) if marker is not None else {}
    if extra.pop("node", None) == "anvil":
        extra["chain_rpc_url"] = request.getfixturevalue("anvil").url
    options = {"data_dir": tmp_path, "database_url": store_url, "kitchen": False, "chain": marker is not None,
               "chain_block_seconds": 0, **extra}
    return Settings(**options)


@pytest.fixture
async def platform(settings: Settings) -> AsyncIterator[Running]:
    p = build_platform(settings)
    async with running(p) as live:
        yield live


@pytest.fixture(params=CALLERS)
async def call(request: pytest.FixtureRequest, platform: Platform, settings: Settings) -> AsyncIterator[Caller]:
    kind = request.param
    if kind == "direct":
        yield DirectCaller(platform)
    elif kind == "mcp":
        yield GatewayCaller("mcp", platform.gateway)
    elif kind == "http":
        with LiveServer(settings) as live:
            async with HttpCaller.running(platform.registry, live.url, platform.accounts) as caller:
                yield caller
    else:
        async with app_client(settings) as client:
            yield RestCaller(client)


class Probe:
    """Reads the store directly, to check what a call wrote (or did not)."""

    def __init__(self, platform: Platform) -> None:
        self.db = platform.db

    async def orders(self) -> int:
        async with self.db.reader() as s:
            return int(await s.scalar(select(func.count()).select_from(Order)) or 0)

    async def stock(self, location: str, ingredient: str) -> int:
        async with self.db.reader() as s:
            return int(await s.scalar(select(Stock.quantity).where(
                Stock.location_id == location, Stock.ingredient_id == ingredient)) or 0)

    async def snapshot(self) -> dict[str, Any]:
        async with self.db.reader() as s:
            stock = (await s.execute(select(Stock.location_id, Stock.ingredient_id, Stock.quantity))).all()
            return {"orders": await self.orders(), "stock": sorted(map(tuple, stock))}

    async def audit(self, capability: str) -> list[str]:
        async with self.db.reader() as s:
            rows = await s.scalars(select(AuditEntry.outcome).where(AuditEntry.capability == capability)
                                   .order_by(AuditEntry.id))
            return list(rows)


@pytest.fixture
def probe(platform: Platform) -> Probe:
    return Probe(platform)
