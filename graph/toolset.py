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
    turn: str = ""
    """The human message the current turn answers (its id in the conversation)."""

    def needs_approval(self, name: str) -> bool:
        return bool((self.gateway.tools[name].meta or {}).get("gocoffee/needsApproval"))

    def approval_id(self, call_id: str) -> str:
        return f"apr-{_digest(self.scope, call_id)[:24]}"

    def allowed(self, names: list[str]) -> list[str]:
        listed = self.gateway.tools
        return [n for n in names if n in listed
                and self.principal.role.value in (listed[n].meta or {}).get("gocoffee/roles", [])]

    def idempotency_key(self, name: str, args: dict[str, Any], call_id: str | None) -> str | None:
        """Keys for mutating calls: a retried turn repeats the effect once at most.

        Tools that require a key (placing an order) get one derived from the conversation and the arguments,
        so placing the same cart twice in a conversation returns the first result. Repeatable tools (amounts, not
        things: a second tip of 2 COFFEE to bob is a new request) also key by the turn, so a retry within the
        turn still acts once. Other mutating tools are keyed by the model's tool-call id, so replaying a checkpointed step
        does not repeat it.
        """
        meta = self.gateway.tools[name].meta or {}
        if meta.get("gocoffee/idempotencyKeyRequired"):
            repeatable = meta.get("gocoffee/repeatable")
            parts = (self.scope, self.turn, name, args) if repeatable else (self.scope, name, args)
            return f"chat:{_digest(*parts)}"
        if meta.get("gocoffee/mutating") and call_id:
            return f"chat:{_digest(self.scope, name, call_id)}"
        return None

    async def run(self, name: str, args: dict[str, Any], call_id: str | None = None) -> str:
        """Call a tool as the bound principal; the result as compact JSON. Raises the domain error on refusal."""
        if name not in self.allowed([name]):
            raise Forbidden(f"{name} is not available in this conversation", tool=name)
        result = await self.gateway.call(name, args, principal=self.principal,
                                         idempotency_key=self.idempotency_key(name, args, call_id))
        return result.model_dump_json(exclude_none=True)

    def langchain_tools(self, names: list[str]) -> list[StructuredTool]:
        return [self._langchain_tool(n) for n in self.allowed(names)]

    def _langchain_tool(self, name: str) -> StructuredTool:
        spec = self.gateway.tools[name]

        async def call(**kwargs: Any) -> str:
            return await self.run(name, kwargs)

        return StructuredTool.from_function(coroutine=call, name=name, description=spec.description or name,
                                            args_schema=spec.input_schema)
