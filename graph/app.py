"""The compiled supervisor graph and the conversation service the channels talk to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

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
    """Counts chat-model invocations in one run: the cost measure the routing design is judged by."""

    def __init__(self) -> None:
        self.calls = 0

    async def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[Any]], *,
                                  run_id: UUID, **kwargs: Any) -> None:
        self.calls += 1


@dataclass(frozen=True)
class ToolEvent:
    tool: str
    ok: bool
    content: str


@dataclass(frozen=True)
class Reply:
    thread_id: str
    agent: str
    text: str
    model_calls: int
    tool_events: list[ToolEvent] = field(default_factory=list)


def thread_of(principal: Principal) -> str:
    """One conversation per person, whatever the channel: it survives restarts and follows them around."""
    return f"{principal.role.value}:{principal.id}"


@dataclass
class Conversations:
    graph: CompiledStateGraph

    async def send(self, principal: Principal, text: str, thread_id: str | None = None) -> Reply:
        thread = thread_id or thread_of(principal)
        counter = ModelCallCounter()
        config = {"configurable": {"thread_id": thread, "principal": principal.as_header()},
                  "callbacks": [counter]}
        state = await self.graph.ainvoke({"messages": [HumanMessage(text)]}, config)
        turn = current_turn(state["messages"])
        events = [ToolEvent(m.name or "", m.status != "error", str(m.content)) for m in turn
                  if isinstance(m, ToolMessage)]
        answer = next((m for m in reversed(turn) if isinstance(m, AIMessage)), None)
        return Reply(thread, state["active_agent"], str(answer.content) if answer else "", counter.calls, events)

