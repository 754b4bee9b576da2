"""The HTTP application: REST facade under /api/v1, chat, every MCP server at /mcp/<domain>, /healthz.

Built by the composition root (gocoffee.app), which passes what it wired: the MCP servers, the registry, the
running platform to enter for the application's lifetime, and any operator routers of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from fastapi import APIRouter, FastAPI
from mcp.server.mcpserver import MCPServer
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route

from channels import accounts, agui, auth, chat
from channels.rest import approvals, feeds, problems
from channels.rest.deps import Serving
from channels.rest.guards import Guards, transport_security
from channels.rest.routes import build_router
from channels.rest.throttle import Throttle
from channels.rest.webhooks import router as webhooks_router
from channels.telegram import routes as telegram
from channels.voice import routes as voice
from channels.web import app as web
from tools.registry import Registry


def _mount_mcp(app: FastAPI, servers: Mapping[str, MCPServer], hosts: list[str]) -> None:
    """Each domain's streamable-HTTP app answers at its own paths (the endpoint and its RFC 9728 metadata), whole:
    its own middleware (the SDK's bearer-token check) runs for them."""
    security = transport_security(hosts)
    for domain, server in servers.items():
        mcp_app = server.streamable_http_app(streamable_http_path=f"/mcp/{domain}", transport_security=security)
        app.router.routes.extend(Route(route.path, endpoint=mcp_app) for route in mcp_app.routes
                                 if isinstance(route, Route))


def build_app(*, servers: Mapping[str, MCPServer], registry: Registry,
              serving: Callable[[], AbstractAsyncContextManager[Serving]], allowed_hosts: list[str],
              max_body_bytes: int, routers: Sequence[APIRouter] = (), dev_auth: bool = False,
              throttle: Throttle | None = None, cors_origins: Sequence[str] = ()) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for server in servers.values():
                await stack.enter_async_context(server.session_manager.run())
            app.state.serving = await stack.enter_async_context(serving())
            yield

    app = FastAPI(title="Go Coffee", version="0.1.0", lifespan=lifespan, responses=problems.PROBLEM_RESPONSES,
                  description="Coffee-chain platform: the REST facade over the same MCP tools agents use.")
    app.state.dev_auth, app.state.throttle = dev_auth, throttle or Throttle()
    app.add_middleware(Guards, hosts=allowed_hosts, max_body_bytes=max_body_bytes, origins=list(cors_origins),
                       larger={"/api/v1/voice/turns": voice.MAX_BYTES})
    app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_credentials=False, max_age=600,
                       allow_methods=["GET", "POST", "PATCH", "DELETE"], expose_headers=["Retry-After"],
                       allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"])
    problems.install(app)
    for router in (build_router(registry), auth.router, accounts.router, auth.keys, chat.router, agui.router,
                   approvals.router, feeds.router, webhooks_router, telegram.router, voice.router, *routers):
        app.include_router(router)
    _mount_mcp(app, servers, allowed_hosts)
    app.include_router(web.router)
    app.mount("/web", web.static_files(), name="web")

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
