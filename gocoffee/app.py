"""The HTTP application as the composition root assembles it: the platform wired here, entered (store ready,
kitchen and chain loops running) for the application's lifetime, served by channels.rest."""

from __future__ import annotations

from fastapi import FastAPI

from channels.rest.app import build_app
from channels.rest.throttle import Throttle
from gocoffee import operator
from gocoffee.bootstrap import Platform, build_platform, running
from gocoffee.settings import Settings

EVAL_LIMITS = {f"{kind}_{who}": "1000000/minute" for kind in ("changes", "chat") for who in ("principal", "address")}
"""An eval runner replays the same few people many times a minute; an eval server (never one people use) lets it."""


def create_app(settings: Settings | None = None, platform: Platform | None = None) -> FastAPI:
    platform = platform or build_platform(settings or Settings())
    s = platform.settings
    limits = {**(EVAL_LIMITS if s.eval_mode else {}), **s.rate_limits}
    return build_app(servers=platform.servers, registry=platform.registry,
                     serving=lambda: running(platform, serve=True), allowed_hosts=s.allowed_hosts,
                     max_body_bytes=s.max_request_bytes, routers=[operator.router] if s.eval_mode else [],
                     dev_auth=s.dev_auth, throttle=Throttle(s.redis_url, limits), cors_origins=s.cors_origins)
