"""Checks every HTTP request passes before any route sees it: a trusted Host (and Origin), and a small body; and
the security headers every response carries.

A DNS-rebinding page makes a browser send the attacker's host name to this server; the Host check (the MCP
SDK's own, so REST and the MCP mounts follow one rule and one setting) refuses it with 421, and a foreign
Origin with 403. Bodies above the limit are refused with 413 before they are parsed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from channels.rest.problems import problem
from tools.errors import ErrorBody

REFUSALS = {421: ("untrusted_host", "this server does not answer to that Host name"),
            403: ("untrusted_origin", "requests from that Origin are not accepted")}


SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"), (b"cross-origin-opener-policy", b"same-origin")]
API_POLICY = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
"""For answers that are data, not pages (a page sets its own policy)."""


def transport_security(hosts: list[str], origins: Sequence[str] = ()) -> TransportSecuritySettings:
    """Each allowed host with and without a port (`localhost`, `localhost:*`), and the same as http origins; and
    the web origins allowed to call from a browser (CORS)."""
    bare = [h.removesuffix(":*") for h in hosts]
    names = sorted({*hosts, *bare, *(f"{h}:*" for h in bare)})
    return TransportSecuritySettings(allowed_hosts=names, allowed_origins=[*(f"http://{h}" for h in names), *origins])


class Guards:
    def __init__(self, app: ASGIApp, hosts: list[str], max_body_bytes: int, origins: list[str],
                 larger: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.hosts = TransportSecurityMiddleware(transport_security(hosts, origins))
        self.max_body_bytes = max_body_bytes
        self.larger = dict(larger or {})
        """Paths whose bodies may be larger (a spoken turn), and their own limit."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = await self.hosts.validate_request(Request(scope))
        if refused is not None and refused.status_code in REFUSALS:
            code, message = REFUSALS[refused.status_code]
            await problem(refused.status_code, ErrorBody(code=code, message=message))(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.max_body_bytes)
        body = await self._read_body(receive, limit)
        if body is None:
            await problem(413, ErrorBody(code="too_large", message=f"request bodies are limited to "
                                         f"{limit} bytes"))(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), _with_headers(scope, send))

    @staticmethod
    async def _read_body(receive: Receive, limit: int) -> list[Message] | None:
        """The request's body messages, or None when they add up to more than the limit."""
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages
            size += len(message.get("body", b""))
            if size > limit:
                return None
            if not message.get("more_body", False):
                return messages


def _with_headers(scope: Scope, send: Send) -> Send:
    sensitive = scope["path"].startswith("/api/v1/auth")

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {name.lower() for name, _ in headers}
            headers += [h for h in SECURITY_HEADERS if h[0] not in names]
            if b"content-security-policy" not in names:
                headers.append(API_POLICY)
            if sensitive:
                headers.append((b"cache-control", b"no-store"))
            message = {**message, "headers": headers}
        await send(message)

    return sending


def _replay(messages: list[Message], receive: Receive) -> Callable[[], Awaitable[Message]]:
    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay
