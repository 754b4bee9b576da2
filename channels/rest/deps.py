"""Request dependencies: the running platform (as channels see it) and the calling principal (development header
until real login)."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends, Header, Request

from graph.app import Conversations
from mcp_servers.gateway import Gateway
from tools.principal import GUEST, Principal


class Serving(Protocol):
    """What a channel needs of the running platform: the gateway to call capabilities, and the conversations.
    The composition root provides it (gocoffee.bootstrap.Running); channels never build it."""

    @property
    def gateway(self) -> Gateway: ...

    @property
    def conversations(self) -> Conversations: ...


def serving_of(request: Request) -> Serving:
    serving: Serving = request.app.state.serving
    return serving


def principal_of(
    x_gocoffee_principal: Annotated[str | None, Header(
        description="Development identity `role:id[@location]`, e.g. `customer:c42` or `staff:s1@downtown`. "
                    "Without it you are a guest. Replaced by real login in the security issue.")] = None,
) -> Principal:
    return Principal.parse(x_gocoffee_principal) if x_gocoffee_principal else GUEST


ServingDep = Annotated[Serving, Depends(serving_of)]
PrincipalDep = Annotated[Principal, Depends(principal_of)]
