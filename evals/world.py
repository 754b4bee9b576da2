"""Where a trial happens: a World offers the tools (through the gateway), the chat, and the business state.

`LocalWorld` is a platform built in this process on the trial's own store; `RemoteWorld` is a running server
(`--target http://…`, started with GOCOFFEE_EVAL_MODE=true), reached only through its MCP endpoints, its chat
API and its eval endpoints — the same paths production traffic takes.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Generator
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


class ServiceSignIn(httpx.Auth):
    """The eval runner signed in as a service client with `act_as` (gocoffee users service evals --scope act_as):
    its own token for the eval endpoints and the MCP servers (naming each call's principal), and a token exchanged
    for each simulated person who chats."""

    def __init__(self, client_id: str, secret: str) -> None:
        self.client_id, self.secret = client_id, secret
        self.token, self.until = "", 0.0
        self.people: dict[str, str] = {}

    async def sign_in(self, client: httpx.AsyncClient) -> str:
        """Once a run, and again when half the token's life is gone (the people's tokens with it)."""
        if self.token and time.monotonic() < self.until:
            return self.token
        reply = await client.post("/api/v1/auth/client-token",
                                  json={"client_id": self.client_id, "client_secret": self.secret})
        if reply.status_code != 200:
            raise RuntimeError(f"the eval runner could not sign in as service:{self.client_id}: {reply.text}")
        self.token, self.people = reply.json()["access_token"], {}
        self.until = time.monotonic() + reply.json()["expires_in"] / 2
        return self.token

    async def person(self, client: httpx.AsyncClient, who: Principal) -> str:
        if who.as_header() not in self.people:
            reply = await client.post("/api/v1/auth/act-as", json={"principal": who.as_header()},
                                      headers={"Authorization": f"Bearer {self.token}"})
            reply.raise_for_status()
            self.people[who.as_header()] = reply.json()["access_token"]
        return self.people[who.as_header()]

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.setdefault("Authorization", f"Bearer {self.token}")
        yield request


class RemoteWorld:
    def __init__(self, client: httpx.AsyncClient, gateway: Gateway, auth: ServiceSignIn) -> None:
        self.client = client
        self.gateway = gateway
        self.auth = auth

    async def chat(self, who: Principal, text: str, thread: str) -> AsyncIterator[ChatEvent]:
        headers = {"Authorization": f"Bearer {await self.auth.person(self.client, who)}"}
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
        reply = await self.client.get("/api/v1/evals/state", auth=self.auth)
        reply.raise_for_status()
        return dict(reply.json())
