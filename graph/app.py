"""The compiled supervisor graph and the conversation service the channels talk to.

A conversation belongs to the person who started it: a thread name is always read inside its owner's own
space, and another person's thread is refused. Turns of one thread take turns: a second message (a double
click, the same "yes" over two channels) waits until the first has finished, so it sees what the first did.
"""

from __future__ import annotations

import asyncio
import re
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from agents.spec import AgentSpec, load_agents
from graph.approvals import settle_orphan
from graph.events import ChatEvent, ModelCallCounter, Reply, Said, ToolEvent, events_of, final_reply
from graph.nodes import ROUTING, ModelFor, Nodes, after_route, after_think
from graph.offline.context import PENDING
from graph.offline.pending import choices, parse_pending
from graph.state import ChatState, current_turn
from mcp_servers.gateway import Gateway
from tools.errors import Conflict, Forbidden
from tools.principal import Principal

__all__ = ["ChatEvent", "Conversations", "Reply", "ToolEvent", "build_graph", "thread_of"]
PERSON_THREAD = re.compile(r"^(guest|customer|staff|manager|service):")


ROUTER = "router"
"""Who answers when the router itself asks which agent a request is for."""


def build_graph(gateway: Gateway, model_for: ModelFor, checkpointer: BaseCheckpointSaver[Any] | None,
                agents: dict[str, AgentSpec] | None = None) -> CompiledStateGraph:
    nodes = Nodes(agents or load_agents(), gateway, model_for)
    builder = StateGraph(ChatState)
    builder.add_node("route", nodes.route)
    builder.add_node("think", nodes.think)
    builder.add_node("act", nodes.act)
    builder.add_edge(START, "route")
    builder.add_conditional_edges("route", after_route, {"think": "think", "__end__": END})
    builder.add_conditional_edges("think", after_think, {"act": "act", "__end__": END})
    builder.add_edge("act", "think")
    return builder.compile(checkpointer=checkpointer)


def thread_of(principal: Principal) -> str:
    """One conversation per person, whatever the channel: it survives restarts and follows them around."""
    return principal.person


def thread_key(principal: Principal, name: str | None) -> str:
    """Where a named conversation is kept: inside its owner's space. Naming another person's thread is refused."""
    own = thread_of(principal)
    if name is None or name == own:
        return own
    if PERSON_THREAD.match(name):
        if thread_of(Principal.parse(name)) != own:
            raise Forbidden("that conversation belongs to someone else", thread_id=name)
        return own
    return f"{own}/{name}"


def _config(thread: str, principal: Principal, counter: ModelCallCounter | None = None) -> RunnableConfig:
    return {"configurable": {"thread_id": thread, "principal": principal.as_header()},
            "callbacks": [counter] if counter else []}


@dataclass
class Conversations:
    graph: CompiledStateGraph
    gateway: Gateway
    _busy: weakref.WeakValueDictionary[str, asyncio.Lock] = field(default_factory=weakref.WeakValueDictionary,
                                                                   init=False, repr=False)

    async def send(self, principal: Principal, text: str, thread_id: str | None = None,
                   expect: int | None = None) -> Reply:
        return await final_reply(self.stream(principal, text, thread_id, expect))

    async def stream(self, principal: Principal, text: str, thread_id: str | None = None,
                     expect: int | None = None) -> AsyncIterator[ChatEvent]:
        """One turn. `expect`: the reply's `position` this answers (a button under it); if the thread has moved on
        since, the turn is refused (Conflict) and nothing changes."""
        thread = thread_key(principal, thread_id)
        async with self._turn(thread):
            if expect is not None and await self._position(principal, thread) != expect:
                raise Conflict("that question has already been answered or has passed", expected=expect)
            async for event in self._run({"messages": [HumanMessage(text)]}, principal, thread,
                                         thread_id or thread):
                yield event

    async def resume(self, approval: dict[str, Any]) -> Reply:
        """Continue the run an approval paused, with the decision (the approval as decided). If the person has
        moved on since, the paused call is no longer waiting: the decision is carried out on its own."""
        principal = Principal.parse(approval["requested_by"])
        thread = approval["thread_id"]
        async with self._turn(thread):
            config = _config(thread, principal)
            snapshot = await self.graph.aget_state(config)
            if any(i.value.get("approval_id") == approval["approval_id"] for i in snapshot.interrupts):
                return await final_reply(self._run(Command(resume=approval), principal, thread, thread))
            return await settle_orphan(self.graph, self.gateway, approval, principal, config, snapshot)

    async def history(self, principal: Principal, thread_id: str | None = None) -> list[Said]:
        """What was said on the person's thread, oldest first (the words, not the tool steps)."""
        thread = thread_key(principal, thread_id)
        snapshot = await self.graph.aget_state(_config(thread, principal))
        return [Said(who="you" if isinstance(m, HumanMessage) else "agent", text=m.content)
                for m in (snapshot.values or {}).get("messages", [])
                if isinstance(m, HumanMessage | AIMessage) and isinstance(m.content, str) and m.content]

    async def offered(self, principal: Principal, thread_id: str | None = None) -> list[str]:
        """The answers the thread's last reply offers (its buttons): what the person is likely to say next."""
        snapshot = await self.graph.aget_state(_config(thread_key(principal, thread_id), principal))
        last = next((m for m in reversed((snapshot.values or {}).get("messages", [])) if isinstance(m, AIMessage)),
                    None)
        if last is None or snapshot.interrupts:
            return []
        return choices(parse_pending(last.additional_kwargs.get(PENDING)))

    async def _position(self, principal: Principal, thread: str) -> int:
        snapshot = await self.graph.aget_state(_config(thread, principal))
        return len((snapshot.values or {}).get("messages", []))

    async def forget(self, principal: Principal) -> int:
        """Delete every conversation of this person (their own thread and the ones they named); how many."""
        saver = self.graph.checkpointer
        assert isinstance(saver, BaseCheckpointSaver)
        own = thread_of(principal)
        threads = {c.config["configurable"]["thread_id"] async for c in saver.alist(None)}
        mine = sorted(t for t in threads if t == own or t.startswith(f"{own}/"))
        for thread in mine:
            await saver.adelete_thread(thread)
        return len(mine)

    @asynccontextmanager
    async def _turn(self, thread: str) -> AsyncIterator[None]:
        lock = self._busy.get(thread)
        if lock is None:
            lock = self._busy[thread] = asyncio.Lock()
        async with lock:
            yield

    async def _run(self, graph_input: Any, principal: Principal, thread: str, name: str
                   ) -> AsyncIterator[ChatEvent]:
        counter = ModelCallCounter()
        config = _config(thread, principal, counter)
        async for mode, payload in self.graph.astream(graph_input, config, stream_mode=["updates", "messages"]):
            for event in events_of(mode, payload):
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
        asking = answer is not None and ROUTING in answer.additional_kwargs
        offered = choices(parse_pending(answer.additional_kwargs.get(PENDING))) if answer and not waiting else []
        reply = Reply(thread_id=name, agent=ROUTER if asking else state.get("active_agent") or ROUTER, text=text,
                      model_calls=counter.calls, tokens=counter.tokens, tool_events=events, pending_approval=waiting,
                      choices=offered, position=len(state["messages"]))
        yield ChatEvent(kind="reply", data=reply.model_dump())
