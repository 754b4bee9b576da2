"""Deciding an agent's paused action: record the decision through the gateway, then resume the run."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from channels.rest.deps import PrincipalDep, Serving, ServingDep
from graph.events import Reply
from tools.approvals import ApprovalView
from tools.principal import Principal

router = APIRouter(prefix="/api/v1/approvals", tags=["approvals"])


class Decision(BaseModel):
    decision: Literal["approve", "edit", "reject"]
    arguments: dict[str, Any] | None = Field(default=None, description="With edit: the arguments to run instead.")
    note: str | None = Field(default=None, max_length=200)


class Decided(BaseModel):
    approval: ApprovalView
    reply: Reply = Field(description="How the paused conversation continued.")


async def decide(serving: Serving, principal: Principal, approval_id: str, decision: Decision) -> Decided:
    view = await serving.gateway.call("decide_approval", {"approval_id": approval_id, **decision.model_dump()},
                                      principal=principal)
    assert isinstance(view, ApprovalView)
    return Decided(approval=view, reply=await serving.conversations.resume(view.model_dump(mode="json")))


ApprovalId = Annotated[str, Path(min_length=8, max_length=40, pattern=r"^[\w\-]+$")]


@router.post("/{approval_id}", response_model=Decided, summary="Approve, edit or reject; the agent's run resumes.")
async def post_decision(approval_id: ApprovalId, decision: Decision, serving: ServingDep, principal: PrincipalDep
                        ) -> Decided:
    return await decide(serving, principal, approval_id, decision)
