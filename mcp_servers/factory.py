"""Build one MCP server per domain from the registry: flat typed tools, annotations, structured errors."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from mcp_servers.auth import McpAuth, caller
from mcp_servers.wire import ERROR_META
from tools.errors import DomainError, ErrorBody
from tools.invoke import Runtime, command_from, invoke
from tools.parameters import field_parameters, with_signature
from tools.principal import GUEST, Principal
from tools.registry import Capability, Registry

log = logging.getLogger(__name__)


def error_result(body: ErrorBody) -> CallToolResult:
    """A tool error the model can read (text) and a program can branch on (`_meta` error body).

    The body goes in `_meta`, not `structuredContent`: clients validate structured content against the
    tool's output schema even on errors (the TypeScript SDK does), and an error is not an output.
    """
    return CallToolResult(
        content=[TextContent(type="text", text=f"{body.code}: {body.message}")],
        is_error=True,
        _meta={ERROR_META: body.model_dump(mode="json")},
    )


def _tool_function(cap: Capability, rt: Runtime, default: Principal, signed: bool) -> Any:
    """`signed`: HTTP calls act for their access token's principal; else (an operator's own server) like stdio."""
    async def tool(ctx: Context, **arguments: Any) -> Any:
        try:
            request = ctx.request_context.request if signed else None
            principal, key = caller(ctx.request_context.meta, request, default)
            cmd = command_from(cap, arguments)
            return await invoke(rt, cap, cmd, principal, key)
        except DomainError as exc:
            return error_result(exc.body())
        except Exception:
            log.exception("tool %s crashed", cap.name)
            return error_result(ErrorBody(code="internal_error", message=f"{cap.name} failed unexpectedly"))

    ctx_param = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context)
    described = field_parameters(cap.input_model, lambda f: Field(description=f.description, title=f.title))
    return with_signature(tool, cap.name, [*described, ctx_param], cap.output_model)


def annotations_for(cap: Capability) -> ToolAnnotations:
    return ToolAnnotations(
        title=cap.name.replace("_", " ").capitalize(),
        read_only_hint=not cap.mutating,
        destructive_hint=cap.mutating and cap.name.startswith(("cancel", "remove", "adjust", "advance")),
        idempotent_hint=not cap.mutating or cap.idempotent,
        open_world_hint=False,
    )


_TOOLS: dict[str, Tool] = {}


def _tool(cap: Capability, fn: Any) -> Tool:
    """The MCP tool for `cap`, calling `fn`. Deriving a tool's schemas from its signature is most of the cost of
    building a server (every platform builds one per domain, every test a platform), and depends only on the
    capability: it is done once a process, and each server's tool is a copy with its own function."""
    if cap.name not in _TOOLS:
        _TOOLS[cap.name] = Tool.from_function(
            fn, name=cap.name, description=cap.description, annotations=annotations_for(cap), structured_output=True,
            meta={"gocoffee/roles": sorted(r.value for r in cap.roles), "gocoffee/mutating": cap.mutating,
                  "gocoffee/idempotencyKeyRequired": cap.idempotent, "gocoffee/needsApproval": cap.needs_approval,
                  "gocoffee/repeatable": cap.repeatable})
    return _TOOLS[cap.name].model_copy(update={"fn": fn})


def build_server(registry: Registry, domain: str, rt: Runtime, default: Principal = GUEST,
                 auth: McpAuth | None = None) -> MCPServer:
    """`auth`: over HTTP, a resource server taking the platform's access tokens. Without it (an operator's own
    server on loopback: `gocoffee mcp serve`), calls act for `default` or their `_meta`, as over stdio."""
    server: MCPServer = MCPServer(name=f"gocoffee-{domain}", version="0.1.0", log_level="WARNING",
                                  instructions=f"Go Coffee {domain} tools. Prices are integer cents.",
                                  token_verifier=auth.verifier if auth else None, auth=auth.settings if auth else None)
    for cap in registry.in_domain(domain):
        server._tool_manager._tools[cap.name] = _tool(cap, _tool_function(cap, rt, default, auth is not None))  # no public add for a Tool
    return server


def build_servers(registry: Registry, rt: Runtime, default: Principal = GUEST,
                  auth: Callable[[str], McpAuth] | None = None) -> dict[str, MCPServer]:
    return {domain: build_server(registry, domain, rt, default, auth(domain) if auth else None)
            for domain in registry.domains()}
