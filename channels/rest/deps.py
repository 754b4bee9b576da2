"""Request dependencies: the running platform (as channels see it) and the calling principal: from a verified
access token, or (a development server only, GOCOFFEE_DEV_AUTH) the development header; else a guest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Protocol

from fastapi import Depends, Header, Request

from graph.app import Conversations
from mcp_servers.gateway import Gateway
from tools.errors import Unauthenticated
from tools.principal import GUEST, Principal

if TYPE_CHECKING:
    from channels.auth import AccountsPort
    from channels.telegram.bot import TelegramBot
    from channels.voice.turns import VoiceTurns


class Serving(Protocol):
    """What a channel needs of the running platform: the gateway to call capabilities, and the conversations.
    The composition root provides it (gocoffee.bootstrap.Running); channels never build it."""

    @property
    def gateway(self) -> Gateway: ...

    @property
    def conversations(self) -> Conversations: ...

    @property
    def accounts(self) -> AccountsPort: ...

    @property
    def telegram(self) -> TelegramBot | None:
        """The Telegram bot, when this platform has a bot token."""

    @property
    def voice(self) -> VoiceTurns | None:
        """Spoken turns, unless voice is off."""


def serving_of(request: Request) -> Serving:
    serving: Serving = request.app.state.serving
    return serving


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header; Unauthenticated for anything else."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send `Authorization: Bearer <access token>`")
    return token.strip()


async def principal_of(
    request: Request,
    authorization: Annotated[str | None, Header(
        description="`Bearer <access token>` from /api/v1/auth/token. Without it you are a guest.")] = None,
    x_gocoffee_principal: Annotated[str | None, Header(
        description="Development servers only (GOCOFFEE_DEV_AUTH=true): identity `role:id[@location]`, e.g. "
                    "`customer:c42` or `staff:s1@downtown`.")] = None,
) -> Principal:
    if authorization is not None:
        return await serving_of(request).accounts.verify(bearer_token(authorization))
    if x_gocoffee_principal is not None:
        if not request.app.state.dev_auth:
            raise Unauthenticated("the development identity header is off on this server; sign in")
        return Principal.parse(x_gocoffee_principal)
    return GUEST


ServingDep = Annotated[Serving, Depends(serving_of)]
PrincipalDep = Annotated[Principal, Depends(principal_of)]
