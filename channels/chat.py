"""Chat over HTTP: one turn as JSON, or the same turn streamed as Server-Sent Events."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sse_starlette.sse import EventSourceResponse

from channels.rest.deps import PrincipalDep, ServingDep
from channels.rest.throttle import limit
from graph.app import thread_key
from graph.events import History, Reply
from tools.errors import DomainError

router = APIRouter(prefix="/api/v1/chat", tags=["chat"])


class ChatTurn(BaseModel):
    message: str = Field(min_length=1, max_length=2000, description="What the person says.")
    thread_id: str | None = Field(default=None, max_length=120, pattern=r"^[\w:.@\-]+$",
                                  description="A conversation of your own, by name; default: your one thread across "
                                              "channels. Another person's thread is refused (403).")
    expect: int | None = Field(default=None, ge=0, description="Answering a button: the reply's `position`; if the "
                               "conversation has moved on since, 409 and nothing changes (a stale or repeated press).")


@router.get("/history", response_model=History, summary="What was said on your thread, oldest first.")
async def history(serving: ServingDep, principal: PrincipalDep,
                  thread_id: Annotated[str | None, Query(max_length=120, pattern=r"^[\w:.@\-]+$")] = None) -> History:
    return History(thread_id=thread_id or principal.person,
                   messages=await serving.conversations.history(principal, thread_id))


@router.post("", response_model=Reply, summary="Say something; get the reply and the tools it used.")
async def chat(turn: ChatTurn, request: Request, serving: ServingDep, principal: PrincipalDep) -> Reply:
    await limit(request, "chat", principal)
    return await serving.conversations.send(principal, turn.message, turn.thread_id, turn.expect)


@router.post("/stream", response_class=EventSourceResponse,
             summary="The same turn as Server-Sent Events: agent, tool_call, tool_result, token, reply (or error).")
async def chat_stream(turn: ChatTurn, request: Request, serving: ServingDep, principal: PrincipalDep
                      ) -> EventSourceResponse:
    await limit(request, "chat", principal)
    thread_key(principal, turn.thread_id)  # someone else's thread is refused before the stream starts

    async def events() -> AsyncIterator[dict[str, str]]:
        try:
            async for event in serving.conversations.stream(principal, turn.message, turn.thread_id, turn.expect):
                yield {"event": event.kind, "data": event.model_dump_json(include={"data"})}
        except DomainError as exc:  # the stream has started: the refusal is its last event
            yield {"event": "error", "data": json.dumps({"data": exc.body().model_dump()})}

    return EventSourceResponse(events())
