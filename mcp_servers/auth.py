"""MCP over HTTP as an OAuth 2.1 resource server (the MCP authorization spec): each domain's server names itself
as a protected resource (RFC 9728 metadata at /.well-known/oauth-protected-resource/mcp/<domain>), answers 401 with
`WWW-Authenticate` pointing there, and accepts only the platform's own access tokens for its own audience — checked
by the SDK's bearer middleware with the token verifier below.

Over HTTP a tool call acts for the token's principal; only a service token with the `act_as` scope may name
someone else in the request `_meta` (the platform's own gateway to remote servers). In-process and stdio calls
carry no HTTP request and keep trusting `_meta`: they come from this process or its operator."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx2
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken, TokenVerifier
from mcp.server.auth.settings import AuthSettings

from mcp_servers.wire import PRINCIPAL_META, caller_of
from tools.accounts.models import AccessToken as Issued
from tools.accounts.tokens import ACT_AS, Key, Verified
from tools.errors import Unauthenticated
from tools.principal import Principal


class Verifies(Protocol):
    async def verified(self, token: str) -> Verified: ...


class Mints(Protocol):
    async def keys(self) -> list[Key]: ...
    def service_token(self, client_id: str, scopes: list[str], keys: list[Key]) -> Issued: ...


class PrincipalToken(AccessToken):
    """The SDK's access token, carrying the principal our verifier found in it."""

    principal: Principal


class PlatformVerifier(TokenVerifier):
    def __init__(self, accounts: Verifies, audience: str) -> None:
        self.accounts, self.audience = accounts, audience

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            found = await self.accounts.verified(token)
        except Unauthenticated:
            return None
        return PrincipalToken(token=token, client_id=found.grant.actor or found.principal.person,
                              scopes=list(found.grant.scopes), subject=found.principal.as_header(),
                              resource=self.audience, principal=found.principal)


@dataclass(frozen=True)
class McpAuth:
    verifier: TokenVerifier
    settings: AuthSettings


def resource_server(accounts: Verifies, public_url: str) -> Callable[[str], McpAuth]:
    """The auth of each domain's server: the platform issues the tokens, the domain's URL is the resource."""
    base = public_url.rstrip("/")
    verifier = PlatformVerifier(accounts, base)

    def for_domain(domain: str) -> McpAuth:
        return McpAuth(verifier, AuthSettings(issuer_url=base, resource_server_url=f"{base}/mcp/{domain}",
                                              validate_token_resource=False))  # the verifier checks the audience
    return for_domain


def caller(meta: Mapping[str, Any] | None, request: Any, default: Principal) -> tuple[Principal, str | None]:
    """Who a tool call acts for, and its idempotency key."""
    if request is None:  # in-process or stdio: this process or its operator
        return caller_of(meta, None, default)
    user = request.scope.get("user")
    token = user.access_token if isinstance(user, AuthenticatedUser) else None
    if not isinstance(token, PrincipalToken):
        raise Unauthenticated("send `Authorization: Bearer <access token>`")
    named, key = caller_of(meta, request.headers, token.principal)
    delegated = ACT_AS in token.scopes and meta is not None and PRINCIPAL_META in meta
    return (named if delegated else token.principal), key


class GatewayAuth(httpx2.Auth):
    """The platform's gateway to its remote MCP servers: a service token with `act_as`, minted from the shared
    signing keys and renewed before it runs out; each call names its principal in `_meta`."""

    def __init__(self, accounts: Mints, client_id: str = "gateway") -> None:
        self.accounts, self.client_id = accounts, client_id
        self._token, self._until = "", 0.0

    async def async_auth_flow(self, request: httpx2.Request) -> AsyncGenerator[httpx2.Request, httpx2.Response]:
        if time.monotonic() > self._until:
            issued = self.accounts.service_token(self.client_id, [ACT_AS], await self.accounts.keys())
            self._token, self._until = issued.access_token, time.monotonic() + issued.expires_in / 2
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class StaticBearer(httpx2.Auth):
    """Requests to remote MCP servers signed with one access token (a person's, or a service's)."""

    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx2.Request) -> Generator[httpx2.Request, httpx2.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request
