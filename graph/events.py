"""What a turn tells its caller: the steps as they happen (agent, tool calls and results, text) and the reply."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal
from uuid import UUID

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.outputs import LLMResult
from pydantic import BaseModel, Field


class ModelCallCounter(AsyncCallbackHandler):
    """Counts chat-model invocations in one run (the cost measure the routing design is judged by) and the
    tokens they used, when the model reports usage (hosted models do; the offline engine does not)."""

    def __init__(self) -> None:
        self.calls = 0
        self.tokens: int | None = None

    async def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[Any]], *,
                                  run_id: UUID, **kwargs: Any) -> None:
        self.calls += 1

    async def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        for generation in (g for batch in response.generations for g in batch):
            usage = getattr(getattr(generation, "message", None), "usage_metadata", None)
            if usage:
                self.tokens = (self.tokens or 0) + int(usage.get("total_tokens", 0))


class ToolEvent(BaseModel):
    tool: str
    ok: bool
    content: str


class Reply(BaseModel):
    thread_id: str
    agent: str
    text: str
    model_calls: int
    tokens: int | None = Field(default=None, description="Tokens the model reported for this turn, if it does.")
    tool_events: list[ToolEvent] = []
    pending_approval: dict[str, Any] | None = Field(
        default=None, description="Set when the turn is paused until staff decide (see /api/v1/approvals).")
    choices: list[str] = Field(default=[], description="Answers the reply asks for, to offer as buttons (saying "
                               "one is the same as typing it): Yes/No to a read-back, or the options of a choice.")
    position: int = Field(default=0, description="How far the thread has got. Send a button's answer with "
                          "`expect` set to this: if anything was said since, the answer is refused (409), not "
                          "applied to a later question.")


class Said(BaseModel):
    who: Literal["you", "agent"]
    text: str


class History(BaseModel):
    thread_id: str
    messages: list[Said]


class ChatEvent(BaseModel):
    """One step of a turn as it happens: the agent chosen, a tool call or result, text, and the final reply."""

    kind: Literal["agent", "tool_call", "tool_result", "token", "reply"]
    data: dict[str, Any]


async def final_reply(events: AsyncIterator[ChatEvent]) -> Reply:
    """The reply a run ends with (its last event)."""
    final = None
    async for event in events:
        final = event
    assert final is not None and final.kind == "reply"
    return Reply.model_validate(final.data)


def events_of(mode: str, payload: Any) -> list[ChatEvent]:
    """The chat events in one item of the graph's `updates` + `messages` stream."""
    if mode == "messages":
        chunk, meta = payload
        text = chunk.content if isinstance(chunk.content, str) else ""
        if meta.get("langgraph_node") == "think" and text:
            return [ChatEvent(kind="token", data={"text": text})]
        return []
    events = []
    for node, update in (payload or {}).items():
        if not isinstance(update, dict):  # "__interrupt__": the run paused for an approval
            continue
        if node == "route" and "active_agent" in update:
            events.append(ChatEvent(kind="agent", data={"agent": update["active_agent"]}))
        if node == "route":  # the router's own question ("Is this about shifts or about stock?")
            events += [ChatEvent(kind="token", data={"text": str(m.content)}) for m in update.get("messages", [])
                       if isinstance(m, AIMessage) and m.content]
        for m in (update or {}).get("messages", []):
            if isinstance(m, AIMessage):
                events += [ChatEvent(kind="tool_call", data={"tool": c["name"], "args": c["args"]})
                           for c in m.tool_calls]
            elif isinstance(m, ToolMessage):
                events.append(ChatEvent(kind="tool_result", data={"tool": m.name, "ok": m.status != "error"}))
    return events
