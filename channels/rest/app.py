"""The HTTP application: REST facade under /api/v1, every MCP server at /mcp/<domain>, /healthz."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from channels import approvals, chat, evals, kitchen_feed
from channels.rest import problems
from channels.rest.guards import Guards, transport_security
from channels.rest.routes import build_router
from channels.rest.webhooks import router as webhooks_router
from gocoffee.bootstrap import Platform, build_platform, running
from gocoffee.chain import chain_loops
from gocoffee.kitchen import kitchen
from gocoffee.settings import Settings


def _mount_mcp(app: FastAPI, platform: Platform) -> None:
    security = transport_security(platform.settings.allowed_hosts)
    for domain, server in platform.servers.items():
        mcp_app = server.streamable_http_app(streamable_http_path=f"/mcp/{domain}", transport_security=security)
        app.router.routes.extend(mcp_app.routes)


def create_app(settings: Settings | None = None, platform: Platform | None = None) -> FastAPI:
    platform = platform or build_platform(settings or Settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for server in platform.servers.values():
                await stack.enter_async_context(server.session_manager.run())
            await stack.enter_async_context(running(platform))
            if platform.settings.kitchen:
                platform.kitchen = await stack.enter_async_context(kitchen(platform))
            if (chain := platform.runtime.services.chain) is not None:
                await stack.enter_async_context(chain_loops(chain, platform.gateway, platform.settings))
            yield

    app = FastAPI(title="Go Coffee", version="0.1.0", lifespan=lifespan, responses=problems.PROBLEM_RESPONSES,
                  description="Coffee-chain platform: the REST facade over the same MCP tools agents use.")
    app.state.platform = platform
    app.add_middleware(Guards, hosts=platform.settings.allowed_hosts,
                       max_body_bytes=platform.settings.max_request_bytes)
    problems.install(app)
    app.include_router(build_router(platform.registry))
    app.include_router(chat.router)
    app.include_router(approvals.router)
    app.include_router(kitchen_feed.router)
    if platform.settings.eval_mode:
        app.include_router(evals.router)
    app.include_router(webhooks_router)
    _mount_mcp(app, platform)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
