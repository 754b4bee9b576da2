"""Operator endpoints the composition root mounts in eval mode only (GOCOFFEE_EVAL_MODE=true): reset the platform
to its seeded start and read its business state, so an eval runner can judge trials against this server. Never
enable it on a server people use."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from channels.rest.deps import PrincipalDep
from evals.reset import reset
from evals.state import snapshot
from evals.tasks import MachineReport
from gocoffee.bootstrap import Running
from tools.errors import Forbidden
from tools.principal import Principal, Role

router = APIRouter(prefix="/api/v1/evals", tags=["evals"])


def _running(request: Request) -> Running:
    running: Running = request.app.state.serving
    return running


RunningDep = Annotated[Running, Depends(_running)]


class Reset(BaseModel):
    machines: list[MachineReport] = []


def _service_only(principal: Principal) -> None:
    if principal.role != Role.SERVICE:
        raise Forbidden("eval endpoints are for the eval runner (service) only")


@router.post("/reset", summary="Empty the store, seed it again, redeploy the contracts; report machine states.")
async def reset_platform(body: Reset, platform: RunningDep, principal: PrincipalDep) -> dict[str, str]:
    _service_only(principal)
    await reset(platform, body.machines)
    return {"status": "reset"}


@router.get("/state", summary="The normalised business state (what the eval reward compares).")
async def state(platform: RunningDep, principal: PrincipalDep) -> dict[str, Any]:
    _service_only(principal)
    return await snapshot(platform)
