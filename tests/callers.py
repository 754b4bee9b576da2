"""The four ways to call a capability, behind one interface, so one contract suite covers them all.

direct: the invoker itself; mcp: the gateway over in-process MCP; http: the gateway over streamable HTTP to
a live server; rest: the REST facade through its ASGI app. Each returns plain JSON and raises the domain
error the call produced.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, ClassVar, Protocol

import httpx

from gocoffee.bootstrap import Platform
from mcp_servers.auth import StaticBearer
from mcp_servers.gateway import Gateway
from tests.identities import access_token, bearer
from tests.live import app_of
from tools import load_registry
from tools.accounts.service import Accounts
from tools.errors import ErrorBody, error_from_body
from tools.invoke import command_from, invoke
from tools.principal import Principal
from tools.registry import Registry, Rest

Json = dict[str, Any]


class Caller(Protocol):
    name: str

    async def __call__(self, tool: str, args: Json, principal: Principal, key: str | None = None) -> Json: ...


class DirectCaller:
    name = "direct"

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    async def __call__(self, tool: str, args: Json, principal: Principal, key: str | None = None) -> Json:
        cap = self.platform.registry.get(tool)
        result = await invoke(self.platform.runtime, cap, command_from(cap, args), principal, key)
        return result.model_dump(mode="json")


class GatewayCaller:
    def __init__(self, name: str, gateway: Gateway) -> None:
        self.name = name
        self.gateway = gateway

    async def __call__(self, tool: str, args: Json, principal: Principal, key: str | None = None) -> Json:
        result = await self.gateway.call(tool, args, principal=principal, idempotency_key=key)
        return result.model_dump(mode="json")


class HttpCaller:
    """MCP over streamable HTTP to a live server, as an MCP client for a person does it: signed in as that person,
    one client per person and domain, connected when first used. The clients are opened and closed by one task
    of their own (an MCP client's cancel scopes must end in the task that began them; calls may come from many)."""

    name = "http"

    def __init__(self, registry: Registry, url: str, accounts: Accounts) -> None:
        self.registry, self.url, self.accounts = registry, url, accounts
        self.gateways: dict[tuple[str, str], Gateway] = {}
        self.client = httpx.AsyncClient(base_url=url, timeout=30)  # as LiveServer.client: CI's two busy cores made
        # a sign-in outlast httpx's default 5 s
        self.lock = asyncio.Lock()
        self.asks: asyncio.Queue[tuple[dict[str, str], str, asyncio.Future[Gateway]] | None] = asyncio.Queue()

    @classmethod
    @asynccontextmanager
    async def running(cls, registry: Registry, url: str, accounts: Accounts) -> AsyncIterator[HttpCaller]:
        caller = cls(registry, url, accounts)
        owner = asyncio.create_task(caller._own())
        try:
            yield caller
        finally:
            await caller.asks.put(None)
            await owner
            await caller.client.aclose()

    async def _own(self) -> None:
        async with AsyncExitStack() as stack:
            while (ask := await self.asks.get()) is not None:
                target, token, done = ask
                try:
                    done.set_result(await stack.enter_async_context(Gateway(self.registry, target,
                                                                            StaticBearer(token))))
                except Exception as exc:  # noqa: BLE001  (handed to the caller that asked)
                    done.set_exception(exc)

    async def _gateway(self, principal: Principal, domain: str) -> Gateway:
        async with self.lock:
            who = (principal.as_header(), domain)
            if who not in self.gateways:
                token = await access_token(self.client, self.accounts, principal)
                done: asyncio.Future[Gateway] = asyncio.get_running_loop().create_future()
                await self.asks.put(({domain: f"{self.url}/mcp/{domain}"}, token, done))
                self.gateways[who] = await done
            return self.gateways[who]

    async def __call__(self, tool: str, args: Json, principal: Principal, key: str | None = None) -> Json:
        domain = self.registry.get(tool).domain if tool in self.registry else self.registry.domains()[0]
        gateway = await self._gateway(principal, domain)
        result = await gateway.call(tool, args, principal=principal, idempotency_key=key)
        return result.model_dump(mode="json")


class RestCaller:
    name = "rest"
    routes: ClassVar[dict[str, Rest]] = {c.name: c.rest for c in load_registry() if isinstance(c.rest, Rest)}

    def __init__(self, client: httpx.AsyncClient, accounts: Accounts | None = None) -> None:
        """`accounts`: where test accounts are made (default: the app `client` calls, tests.live.app_client)."""
        self.client = client
        self.accounts = accounts

    async def __call__(self, tool: str, args: Json, principal: Principal, key: str | None = None) -> Json:
        route = self.routes[tool]
        rest = dict(args)
        path = re.sub(r"{(\w+)}", lambda m: str(rest.pop(m.group(1))), route.path)
        headers = await bearer(self.client, self.accounts or app_of(self.client).state.serving.accounts, principal)
        if key is not None:
            headers["Idempotency-Key"] = key
        as_query = route.method in ("GET", "DELETE")
        response = await self.client.request(
            route.method, f"/api/v1{path}", headers=headers,
            params=rest if as_query else None, json=None if as_query else rest,
        )
        body = response.json()
        if response.is_success:
            return body
        raise error_from_body(ErrorBody(code=body["code"], message=body["message"], details=body["details"]))
