"""MCP tools as LangChain tools, acting for the human the conversation serves.

The schemas come from the MCP servers' own `tools/list` (via the gateway); every call goes back through the
gateway with the conversation's principal — never one the model or the message text supplies. Tools the
principal's role may not use are neither offered to the model nor executed if it asks for them anyway.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from langchain_core.tools import StructuredTool
from pydantic import BaseModel

from mcp_servers.gateway import Gateway
from tools.errors import Forbidden
from tools.principal import Principal


def _digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class ToolBinding:
    gateway: Gateway
    principal: Principal
    scope: str
    """The conversation (thread) the calls belong to: part of every derived idempotency key."""
    answering: str = ""
    """What this turn answers: the id of the agent's last message before it (the question a "yes" confirms),
    or the person's own message when the conversation has none."""

    def needs_approval(self, name: str) -> bool:
        return bool((self.gateway.tools[name].meta or {}).get("gocoffee/needsApproval"))

    def action(self, name: str, args: dict[str, Any], repeat: int = 0) -> str:
        """The identity of one confirmed action: the conversation, what it answers, the call, and how many
        identical calls came before it in this turn. A repeated or concurrent confirmation of the same question
        (a double click, a retried request, a replayed step) names the same action, so it acts once."""
        return _digest(self.scope, self.answering, name, args, repeat)

    def approval_id(self, name: str, args: dict[str, Any], repeat: int = 0) -> str:
        return f"apr-{self.action(name, args, repeat)[:24]}"

    def allowed(self, names: list[str]) -> list[str]:
        listed = self.gateway.tools
        return [n for n in names if n in listed
                and self.principal.role.value in (listed[n].meta or {}).get("gocoffee/roles", [])]

    def idempotency_key(self, name: str, args: dict[str, Any], repeat: int = 0) -> str | None:
        """Keys for mutating calls: the same confirmed action acts once at most.

        Tools that require a key and are not repeatable (placing a cart, paying an order, a vote) get one derived
        from the conversation and the arguments, so doing the same thing twice in a conversation returns the first
        result. Every other mutating call (repeatable amounts such as a second tip of 2 COFFEE to bob, stock
        changes, machine commands) is keyed by the action it carries out: what this turn answers plus the call.
        """
        meta = self.gateway.tools[name].meta or {}
        if meta.get("gocoffee/idempotencyKeyRequired") and not meta.get("gocoffee/repeatable"):
            return f"chat:{_digest(self.scope, name, args)}"
        if meta.get("gocoffee/mutating"):
            return f"chat:{self.action(name, args, repeat)}"
        return None

    async def run(self, name: str, args: dict[str, Any], repeat: int = 0) -> BaseModel:
        """Call a tool as the bound principal; its typed result. Raises the domain error on refusal.
        `repeat`: how many identical calls this turn made before this one."""
        if name not in self.allowed([name]):
            raise Forbidden(f"{name} is not available in this conversation", tool=name)
        return await self.gateway.call(name, args, principal=self.principal,
                                       idempotency_key=self.idempotency_key(name, args, repeat))

    def langchain_tools(self, names: list[str]) -> list[StructuredTool]:
        return [self._langchain_tool(n) for n in self.allowed(names)]

    def _langchain_tool(self, name: str) -> StructuredTool:
        spec = self.gateway.tools[name]

        async def call(**kwargs: Any) -> str:
            return (await self.run(name, kwargs)).model_dump_json(exclude_none=True)

        return StructuredTool.from_function(coroutine=call, name=name, description=spec.description or name,
                                            args_schema=spec.input_schema)
