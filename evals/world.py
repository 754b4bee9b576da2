"""Where a trial happens: a World offers the tools (through the gateway), the chat, and the business state.

`LocalWorld` is a platform built in this process on the trial's own store; `RemoteWorld` is a running server
(`--target http://…`, started with GOCOFFEE_EVAL_MODE=true), reached only through its MCP endpoints, its chat
API and its eval endpoints — the same paths production traffic takes.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Protocol

import httpx

from evals.state import State, snapshot
from gocoffee.bootstrap import Running
from graph.app import ChatEvent
from mcp_servers.gateway import Gateway
from tools.principal import Principal

CHAT_TIMEOUT_S = 120.0


class World(Protocol):
    gateway: Gateway

    def chat(self, who: Principal, text: str, thread: str) -> AsyncIterator[ChatEvent]: ...

    async def state(self) -> State: ...


class LocalWorld:
    def __init__(self, platform: Running) -> None:
        self.platform = platform
        self.gateway = platform.gateway

    def chat(self, who: Principal, text: str, thread: str) -> AsyncIterator[ChatEvent]:
        return self.platform.chat().stream(who, text, thread)

    async def state(self) -> State:
        return await snapshot(self.platform)


class RemoteWorld:
    def __init__(self, client: httpx.AsyncClient, gateway: Gateway) -> None:
        self.client = client
        self.gateway = gateway

    async def chat(self, who: Principal, text: str, thread: str) -> AsyncIterator[ChatEvent]:
        headers = {"X-GoCoffee-Principal": who.as_header()}
        body = {"message": text, "thread_id": thread}
        async with self.client.stream("POST", "/api/v1/chat/stream", json=body, headers=headers,
                                      timeout=CHAT_TIMEOUT_S) as response:
            response.raise_for_status()
            kind = None
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    kind = line.removeprefix("event:").strip()
                elif line.startswith("data:") and kind:
                    yield ChatEvent(kind=kind, data=json.loads(line.removeprefix("data:").strip())["data"])

    async def state(self) -> State:
        reply = await self.client.get("/api/v1/evals/state", headers=SERVICE_HEADER)
        reply.raise_for_status()
        return dict(reply.json())


SERVICE_HEADER = {"X-GoCoffee-Principal": "service:evals"}
