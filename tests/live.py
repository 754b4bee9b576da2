"""A real uvicorn server for the platform in a background thread (for MCP-over-HTTP callers)."""

from __future__ import annotations

import asyncio
import random
import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, Protocol, Self, TypeVar
from weakref import WeakKeyDictionary

import httpx
import uvicorn
from fastapi import FastAPI

from gocoffee.app import create_app
from gocoffee.bootstrap import build_platform
from gocoffee.settings import Settings
from tests.identities import sign_in_as_asked

T = TypeVar("T")
APPS: WeakKeyDictionary[httpx.AsyncClient, FastAPI] = WeakKeyDictionary()


@asynccontextmanager
async def app_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A fresh app on `settings` (its own lifespan, so its own platform) and an httpx client that calls it."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
            APPS[client] = app
            yield sign_in_as_asked(client, app.state.serving.accounts)


def app_of(client: httpx.AsyncClient) -> FastAPI:
    """The app an `app_client` calls (its state holds the running platform)."""
    return APPS[client]


def free_port() -> int:
    """A free 127.0.0.1 port below the kernel's ephemeral range, for servers that bind it themselves (SMTP, MCP
    subprocesses): no outgoing connection is ever given such a port, so only a bind can take it first."""
    low, _ = (int(n) for n in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    # SystemRandom: pytest-randomly seeds `random` alike in every xdist worker
    for port in random.SystemRandom().sample(range(max(1024, low - 12000), low), 50):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


def bound_socket() -> socket.socket:
    """A socket already bound to a free 127.0.0.1 port: handing it to uvicorn leaves no window for another
    process to take the port between choosing it and binding it (that race failed a CI run)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class LiveServer:
    def __init__(self, settings: Settings | None = None, app: Any = None) -> None:
        self.settings = settings
        self.socket = bound_socket()
        self.port = int(self.socket.getsockname()[1])
        self.app = app or create_app(settings)
        config = uvicorn.Config(self.app, log_level="warning")
        self.server = uvicorn.Server(config)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)

    async def _serve(self) -> None:
        self.loop = asyncio.get_running_loop()
        await self.server.serve(sockets=[self.socket])

    def on_platform(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """Run `work(platform)` on the server's own running platform, on its event loop (test setup only)."""
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(work(self.app.state.serving), self.loop).result(timeout=120)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("live server did not start")
            time.sleep(0.01)
        return self

    @asynccontextmanager
    async def client(self) -> AsyncIterator[httpx.AsyncClient]:
        """An httpx client for this server that signs in as a request's `X-Test-As` says (tests.identities)."""
        assert self.settings is not None
        accounts = build_platform(self.settings).accounts
        try:
            async with httpx.AsyncClient(base_url=self.url, timeout=30) as client:
                yield sign_in_as_asked(client, accounts)
        finally:
            await accounts.db.dispose()

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.socket.close()


class Fake(Protocol):
    """A fake of an outside service (Stripe, Telegram): its ASGI app, and where it listens once served."""

    url: str

    def app(self) -> Any: ...


F = TypeVar("F", bound=Fake)


@contextmanager
def serving(fake: F) -> Iterator[F]:
    """The fake listening on a free 127.0.0.1 port (`fake.url`); the startup wait is bounded by LiveServer."""
    with LiveServer(app=fake.app()) as live:
        fake.url = live.url
        yield fake
