"""Composition root: the one place that wires store, tools, MCP servers, the graph and the background loops.

`build_platform` wires everything without touching the database; `running` readies the store, opens the
gateway and the conversation checkpointer, and (for a server) starts the kitchen and the chain's loops, then
yields an immutable `Running` platform. Channels and the REST lifespan only enter it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, fields
from datetime import timedelta

from mcp.server.mcpserver import MCPServer

from channels.telegram.bot import TelegramBot
from channels.voice.turns import VoiceTurns
from gocoffee.chain import chain_loops, start_chain, vault_from
from gocoffee.kitchen import kitchen
from gocoffee.messaging import couriers, telegram, voice_from
from gocoffee.routines import outbox, recurring_tasks
from gocoffee.services import services_from
from gocoffee.settings import Settings
from graph.app import Conversations, build_graph
from graph.checkpoint import open_checkpointer
from graph.models import models
from mcp_servers.auth import GatewayAuth, resource_server
from mcp_servers.factory import build_servers
from mcp_servers.gateway import Gateway, Target
from store.engine import Database, open_database
from store.migrate import upgrade_async
from store.seed import seed_if_empty
from store.seed_sales import seed_sales
from tools import Registry, load_registry
from tools.accounts.service import Accounts
from tools.context import Clock, system_clock
from tools.invoke import Runtime
from tools.kitchen.link import KitchenLink
from tools.menu.snapshot import CatalogCache
from tools.scheduling.rota import seed_rotas
from tools.stock.seed import seed_purchasing
from tools.tasks.recurring import plan


@dataclass(frozen=True)
class Platform:
    """Wired, not yet running."""

    settings: Settings
    registry: Registry
    runtime: Runtime
    servers: dict[str, MCPServer]
    gateway: Gateway
    accounts: Accounts

    @property
    def db(self) -> Database:
        return self.runtime.db


@dataclass(frozen=True)
class Running(Platform):
    """The platform while it runs: the store ready, the gateway open, conversations served."""

    conversations: Conversations
    kitchen: KitchenLink | None = None
    """The kitchen's device link, when this process runs the kitchen (a server with GOCOFFEE_KITCHEN)."""
    telegram: TelegramBot | None = None
    """The Telegram bot, with a bot token (GOCOFFEE_TELEGRAM_TOKEN) and the Bot API reachable at start."""
    voice: VoiceTurns | None = None
    """Spoken turns (GOCOFFEE_VOICE)."""

    def chat(self) -> Conversations:
        return self.conversations


def build_platform(settings: Settings, clock: Clock = system_clock) -> Platform:
    """Wire everything without touching the database yet (that happens in `prepare_store`)."""
    registry = load_registry()
    db = open_database(settings.db_url())
    runtime = Runtime(db, clock, CatalogCache(settings.catalog_ttl_seconds), services_from(settings))
    accounts = Accounts(db, vault_from(settings), clock, timedelta(minutes=settings.access_token_minutes),
                        timedelta(days=settings.refresh_token_days), settings.public_url)
    servers = build_servers(registry, runtime, auth=resource_server(accounts, settings.public_url))
    targets: dict[str, Target] = {d: settings.mcp_remote.get(d) or s for d, s in servers.items()}
    gateway = Gateway(registry, targets, remote_auth=GatewayAuth(accounts) if settings.mcp_remote else None)
    return Platform(settings, registry, runtime, servers, gateway, accounts)


async def prepare_store(platform: Platform) -> None:
    """Migrate to the newest schema and, if asked and empty, seed the demo chain."""
    if platform.db.is_sqlite:
        platform.settings.data_dir.mkdir(parents=True, exist_ok=True)
    await upgrade_async(platform.settings.db_url())
    if platform.settings.seed:
        async with platform.db.writer() as session, session.begin():
            await seed_if_empty(session)
            await seed_sales(session, platform.runtime.clock().date())
            await seed_rotas(session, platform.runtime.clock())
            await seed_purchasing(session, platform.runtime.clock())
            await plan(session, None, 7, platform.runtime.clock())


async def _first_manager(accounts: Accounts, email: str) -> None:
    password = await accounts.first_manager(email)
    if password is not None:
        print(f"First start: manager:m1 <{email}> signs in with the one-time password {password} (shown once; "
              "change it with POST /api/v1/auth/password, then turn on the second factor managers act with: POST "
              "/api/v1/auth/mfa). On this machine, `gocoffee chat --as manager:m1` needs neither.", flush=True)


@asynccontextmanager
async def running(platform: Platform, *, serve: bool = False) -> AsyncIterator[Running]:
    """The platform running for the duration of the block. `serve`: also the server's background work (the
    kitchen, if settings have it, and the chain's loops)."""
    await prepare_store(platform)
    settings, chain = platform.settings, platform.runtime.services.chain
    try:
        if chain is not None:
            chain.attach(await start_chain(platform.db, settings, platform.runtime.clock()))
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(platform.gateway)
            saver = await stack.enter_async_context(open_checkpointer(settings.db_url()))
            brain = models(settings.model, platform.gateway, settings.openai_api_key, platform.runtime.clock)
            conversations = Conversations(build_graph(platform.gateway, brain, saver), platform.gateway)
            link = None
            if serve and settings.kitchen:
                link = await stack.enter_async_context(kitchen(settings, platform.runtime))
            if serve:
                await stack.enter_async_context(recurring_tasks(platform.gateway))
            bot = await stack.enter_async_context(telegram(settings, conversations, platform.accounts))
            if serve:
                await stack.enter_async_context(outbox(platform.db, couriers(settings, bot), platform.runtime.clock))
            if serve and chain is not None:
                await stack.enter_async_context(chain_loops(chain, platform.gateway, settings))
            base = {f.name: getattr(platform, f.name) for f in fields(Platform)}
            if serve:
                await _first_manager(platform.accounts, settings.first_manager_email)
            voice = voice_from(settings, conversations, platform.gateway)
            yield Running(**base, conversations=conversations, kitchen=link, telegram=bot, voice=voice)
    finally:
        if chain is not None and chain.ready:
            chain.chain.close()
            chain.attach(None)
        await platform.db.dispose()
