"""The compiled supervisor graph and the conversation service the channels talk to."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.outputs import LLMResult
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command
from pydantic import BaseModel, Field

from agents.spec import AgentSpec, load_agents
from graph.nodes import ModelFor, Nodes, after_think
from graph.state import ChatState, current_turn
from mcp_servers.gateway import Gateway
from tools.principal import Principal


def build_graph(gateway: Gateway, model_for: ModelFor, checkpointer: BaseCheckpointSaver[Any] | None,
                agents: dict[str, AgentSpec] | None = None) -> CompiledStateGraph:
    nodes = Nodes(agents or load_agents(), gateway, model_for)
    builder = StateGraph(ChatState)
    builder.add_node("route", nodes.route)
    builder.add_node("think", nodes.think)
    builder.add_node("act", nodes.act)
    builder.add_edge(START, "route")
    builder.add_edge("route", "think")
    builder.add_conditional_edges("think", after_think, {"act": "act", "__end__": END})
    builder.add_edge("act", "think")
    return builder.compile(checkpointer=checkpointer)


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


class ChatEvent(BaseModel):
    """One step of a turn as it happens: the agent chosen, a tool call or result, text, and the final reply."""

    kind: Literal["agent", "tool_call", "tool_result", "token", "reply"]
    data: dict[str, Any]


def thread_of(principal: Principal) -> str:
    """One conversation per person, whatever the channel: it survives restarts and follows them around."""
    return f"{principal.role.value}:{principal.id}"


@dataclass
class Conversations:
    graph: CompiledStateGraph

    async def send(self, principal: Principal, text: str, thread_id: str | None = None) -> Reply:
        return await _reply(self.stream(principal, text, thread_id))

    async def stream(self, principal: Principal, text: str, thread_id: str | None = None
                     ) -> AsyncIterator[ChatEvent]:
        async for event in self._run({"messages": [HumanMessage(text)]}, principal, thread_id or thread_of(principal)):
            yield event

    async def resume(self, approval: dict[str, Any]) -> Reply:
        """Continue the run an approval paused, with the decision (the approval as decided)."""
        principal = Principal.parse(approval["requested_by"])
        return await _reply(self._run(Command(resume=approval), principal, approval["thread_id"]))

    async def _run(self, graph_input: Any, principal: Principal, thread: str) -> AsyncIterator[ChatEvent]:
        counter = ModelCallCounter()
        config: RunnableConfig = {"configurable": {"thread_id": thread, "principal": principal.as_header()},
                                  "callbacks": [counter]}
        async for mode, payload in self.graph.astream(graph_input, config, stream_mode=["updates", "messages"]):
            for event in _events(mode, payload):
                yield event
        snapshot = await self.graph.aget_state(config)
        state = snapshot.values
        waiting = snapshot.interrupts[0].value if snapshot.interrupts else None
        turn = current_turn(state["messages"])
        events = [ToolEvent(tool=m.name or "", ok=m.status != "error", content=str(m.content)) for m in turn
                  if isinstance(m, ToolMessage)]
        answer = next((m for m in reversed(turn) if isinstance(m, AIMessage)), None)
        text = str(answer.content) if answer and not waiting else ""
        if waiting:
            text = f"That needs a staff decision first ({waiting['tool']}, approval {waiting['approval_id']})."
        reply = Reply(thread_id=thread, agent=state["active_agent"], text=text, model_calls=counter.calls,
                      tokens=counter.tokens, tool_events=events, pending_approval=waiting)
        yield ChatEvent(kind="reply", data=reply.model_dump())


async def _reply(events: AsyncIterator[ChatEvent]) -> Reply:
    """The reply a run ends with (its last event)."""
    final = None
    async for event in events:
        final = event
    assert final is not None and final.kind == "reply"
    return Reply.model_validate(final.data)


def _events(mode: str, payload: Any) -> list[ChatEvent]:
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
        if node == "route" and update:
            events.append(ChatEvent(kind="agent", data={"agent": update["active_agent"]}))
        for m in (update or {}).get("messages", []):
            if isinstance(m, AIMessage):
                events += [ChatEvent(kind="tool_call", data={"tool": c["name"], "args": c["args"]})
                           for c in m.tool_calls]
            elif isinstance(m, ToolMessage):
                events.append(ChatEvent(kind="tool_result", data={"tool": m.name, "ok": m.status != "error"}))
    return events
