"""Request dependencies: the platform and the calling principal (development header until real login)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from gocoffee.bootstrap import Platform
from tools.principal import GUEST, Principal


def platform_of(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


def principal_of(
    x_gocoffee_principal: Annotated[str | None, Header(
        description="Development identity `role:id[@location]`, e.g. `customer:c42` or `staff:s1@downtown`. "
                    "Without it you are a guest. Replaced by real login in the security issue.")] = None,
) -> Principal:
    return Principal.parse(x_gocoffee_principal) if x_gocoffee_principal else GUEST


PlatformDep = Annotated[Platform, Depends(platform_of)]
PrincipalDep = Annotated[Principal, Depends(principal_of)]
