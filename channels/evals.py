"""Eval mode only (GOCOFFEE_EVAL_MODE=true): reset the platform to its seeded start and read its business
state, so an eval runner can judge trials against this server. Never enable it on a server people use."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from channels.rest.deps import PlatformDep, PrincipalDep
from evals.reset import reset
from evals.state import snapshot
from evals.tasks import MachineReport
from tools.errors import Forbidden
from tools.principal import Principal, Role

router = APIRouter(prefix="/api/v1/evals", tags=["evals"])


class Reset(BaseModel):
    machines: list[MachineReport] = []


def _service_only(principal: Principal) -> None:
    if principal.role != Role.SERVICE:
        raise Forbidden("eval endpoints are for the eval runner (service) only")


@router.post("/reset", summary="Empty the store, seed it again, redeploy the contracts; report machine states.")
async def reset_platform(body: Reset, platform: PlatformDep, principal: PrincipalDep) -> dict[str, str]:
    _service_only(principal)
    await reset(platform, body.machines)
    return {"status": "reset"}


@router.get("/state", summary="The normalised business state (what the eval reward compares).")
async def state(platform: PlatformDep, principal: PrincipalDep) -> dict[str, Any]:
    _service_only(principal)
    return await snapshot(platform)
