"""What the engine reads from a conversation: the turn's text, whom it serves, the cart, what is pending."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from pydantic import BaseModel

from graph.nodes import AGENT_PREFIX, SERVING_PREFIX
from graph.offline.pending import Pending, parse_pending
from graph.state import current_turn
from tools import registry
from tools.errors import ErrorBody
from tools.principal import Principal

PENDING = "gocoffee_pending"
"""Key in an AI message's additional_kwargs: the action it asked the person to confirm."""
ABOUT = "gocoffee_about"
"""Key in an AI message's additional_kwargs: what its tool calls are for, when the answer needs more than them."""


@dataclass(frozen=True)
class Context:
    text: str
    principal: Principal | None
    system: str
    cart: dict[str, Any] | None
    """The newest order the conversation has seen (any state), as the tools returned it."""
    pending: Pending | None
    """What the engine's previous answer asked the person (to confirm, to choose, to fill in), if anything."""
    calls: list[dict[str, Any]]
    """Tool calls made earlier in this turn, each with `ok`, its typed `output` (the capability's output model) or
    the typed `error` body of a refusal, and `result` (the output as JSON data, for the older answers)."""
    offered: frozenset[str] = frozenset()
    """The tools this conversation may use (the binding leaves out those the person's role may not)."""
    about: dict[str, Any] | None = None
    """What this turn's latest tool calls were for, as the step that made them said."""
    agent: str | None = None
    """The agent speaking (the engine answers with that agent's skills)."""
    today: date = field(default_factory=date.today)
    """The platform clock's date (the engine sets it from the injected clock)."""
    said_before: tuple[str, ...] = ()
    """The person's earlier turns in this conversation, oldest first."""
    answered: str = ""
    """The engine's last answer to the person (what they may be saying back)."""

    @property
    def shop(self) -> str | None:
        if self.cart:
            return str(self.cart["location_id"])
        return self.principal.location_id if self.principal else None


def _order_of(message: ToolMessage) -> dict[str, Any] | None:
    try:
        data = json.loads(str(message.content))
    except ValueError:
        return None
    if isinstance(data, dict) and {"order_id", "state", "lines"} <= data.keys():  # a payment names an order too
        return data
    orders = data.get("orders") if isinstance(data, dict) else None
    return orders[0] if orders else None


def read(messages: list[BaseMessage], offered: frozenset[str] = frozenset()) -> Context:
    system = next((str(m.content) for m in messages if isinstance(m, SystemMessage)), "")
    serving = [ln.removeprefix(SERVING_PREFIX) for ln in system.splitlines() if ln.startswith(SERVING_PREFIX)]
    agents = [ln.removeprefix(AGENT_PREFIX) for ln in system.splitlines() if ln.startswith(AGENT_PREFIX)]
    turn = current_turn(messages)
    before = messages[: len(messages) - len(turn)]
    cart = next((o for m in reversed(messages) if isinstance(m, ToolMessage) and (o := _order_of(m))), None)
    last_answer = next((m for m in reversed(before) if isinstance(m, AIMessage)), None)
    pending = parse_pending(last_answer.additional_kwargs.get(PENDING)) if last_answer else None
    results = {m.tool_call_id: m for m in turn if isinstance(m, ToolMessage)}
    calls = []
    for m in turn:
        for c in getattr(m, "tool_calls", []) if isinstance(m, AIMessage) else []:
            if c["id"] in results:
                done = results[c["id"]]
                output = _output(c["name"], done)
                calls.append({**c, "ok": done.status != "error", "output": output, "error": _error(done),
                              "result": output.model_dump(mode="json", exclude_none=True) if output else _json(done)})
    asked = [m for m in turn if isinstance(m, AIMessage) and m.tool_calls]
    about = asked[-1].additional_kwargs.get(ABOUT) if asked else None
    text = str(turn[0].content) if turn and isinstance(turn[0], HumanMessage) else ""
    said = tuple(str(m.content) for m in before if isinstance(m, HumanMessage))
    return Context(text, Principal.parse(serving[-1]) if serving else None, system, cart, pending, calls, offered,
                   about, agents[-1] if agents else None, said_before=said,
                   answered=str(last_answer.content) if last_answer else "")


def _output(tool: str, message: ToolMessage) -> BaseModel | None:
    """A call's result as its capability's output model (validated from the tool message's artifact)."""
    if message.status == "error" or not isinstance(message.artifact, dict) or tool not in registry:
        return None
    return registry.get(tool).output_model.model_validate(message.artifact)


def _error(message: ToolMessage) -> ErrorBody | None:
    """A refused call's typed error body (carried as the tool message's artifact), or None if it succeeded."""
    if message.status != "error":
        return None
    if isinstance(message.artifact, dict):
        return ErrorBody.model_validate(message.artifact)
    return ErrorBody(code="error", message=str(message.content))  # a tool run outside this graph


def _json(message: ToolMessage) -> Any:
    try:
        return json.loads(str(message.content))
    except ValueError:
        return str(message.content)
