"""A decision whose paused run is gone: the person wrote something else meanwhile, so the paused call was dropped.
The decision still counts: an approved action runs on its own, as the person it was asked for, and the
conversation is told the outcome (unless it is paused on another decision, which it must not disturb)."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import StateSnapshot

from graph.events import Reply, ToolEvent
from mcp_servers.gateway import Gateway
from tools.errors import DomainError
from tools.principal import Principal


async def settle_orphan(graph: CompiledStateGraph, gateway: Gateway, approval: dict[str, Any],
                        principal: Principal, config: RunnableConfig, snapshot: StateSnapshot) -> Reply:
    tool, who = approval["tool"], approval["decided_by"]
    events: list[ToolEvent] = []
    if approval["status"] == "rejected":
        text = f"{who} rejected your earlier request ({tool}); nothing was done."
    else:
        arguments = dict(approval["arguments"])
        if "approval_id" in (gateway.tools[tool].input_schema.get("properties") or {}):
            arguments["approval_id"] = approval["approval_id"]
        try:
            result = await gateway.call(tool, arguments, principal=principal,
                                        idempotency_key=f"approval:{approval['approval_id']}")
            events.append(ToolEvent(tool=tool, ok=True, content=result.model_dump_json(exclude_none=True)))
            text = f"{who} approved your earlier request ({tool}); it has been done."
        except DomainError as exc:
            events.append(ToolEvent(tool=tool, ok=False, content=f"error {exc.code}: {exc.message}"))
            text = f"{who} approved your earlier request ({tool}), but it could not run: {exc.message}. " \
                   "Nothing was changed."
    agent = str(snapshot.values.get("active_agent") or "")
    if not snapshot.interrupts and snapshot.values:
        await graph.aupdate_state(config, {"messages": [AIMessage(text, name=agent)]}, as_node="think")
    return Reply(thread_id=str(config["configurable"]["thread_id"]), agent=agent, text=text, model_calls=0,
                 tool_events=events)
