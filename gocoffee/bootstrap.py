"""Composition root: the one place that wires store, tools, MCP servers and the gateway together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from mcp.server.mcpserver import MCPServer

from gocoffee.chain import start_chain
from gocoffee.services import services_from
from gocoffee.settings import Settings
from graph.app import Conversations, build_graph
from graph.checkpoint import open_checkpointer
from graph.models import models
from mcp_servers.factory import build_servers
from mcp_servers.gateway import Gateway, Target
from store.engine import Database, open_database
from store.migrate import upgrade_async
from store.seed import seed_if_empty
from tools import Registry, load_registry
from tools.context import Clock, system_clock
from tools.invoke import Runtime
from tools.kitchen.link import KitchenLink
from tools.menu.snapshot import CatalogCache


@dataclass
class Platform:
    settings: Settings
    registry: Registry
    runtime: Runtime
    servers: dict[str, MCPServer]
    gateway: Gateway
    conversations: Conversations | None = None
    """Set while the platform is running (the graph needs the open gateway and checkpointer)."""
    kitchen: KitchenLink | None = None
    """Set while the server runs the kitchen's device link."""

    def chat(self) -> Conversations:
        if self.conversations is None:
            raise RuntimeError("the platform is not running")
        return self.conversations

    @property
    def db(self) -> Database:
        return self.runtime.db


def build_platform(settings: Settings, clock: Clock = system_clock) -> Platform:
    """Wire everything without touching the database yet (that happens in `prepare_store`)."""
    registry = load_registry()
    db = open_database(settings.db_url())
    runtime = Runtime(db, clock, CatalogCache(settings.catalog_ttl_seconds), services_from(settings))
    servers = build_servers(registry, runtime)
    targets: dict[str, Target] = {d: settings.mcp_remote.get(d) or s for d, s in servers.items()}
    return Platform(settings, registry, runtime, servers, Gateway(registry, targets))


async def prepare_store(platform: Platform) -> None:
    """Migrate to the newest schema and, if asked and empty, seed the demo chain."""
    if platform.db.is_sqlite:
        platform.settings.data_dir.mkdir(parents=True, exist_ok=True)
    await upgrade_async(platform.settings.db_url())
    if platform.settings.seed:
        async with platform.db.writer() as session, session.begin():
            await seed_if_empty(session)


@asynccontextmanager
async def running(platform: Platform) -> AsyncIterator[Platform]:
    """Store ready and gateway sessions open for the duration of the block."""
    await prepare_store(platform)
    settings = platform.settings
    chain = platform.runtime.services.chain
    try:
        if chain is not None:
            chain.attach(await start_chain(platform.db, settings, platform.runtime.clock()))
        async with platform.gateway, open_checkpointer(settings.db_url()) as saver:
            brain = models(settings.model, platform.gateway, settings.openai_api_key)
            platform.conversations = Conversations(build_graph(platform.gateway, brain, saver), platform.gateway)
            yield platform
    finally:
        platform.conversations = None
        if chain is not None and chain.ready:
            chain.chain.close()
            chain.attach(None)
        await platform.db.dispose()
