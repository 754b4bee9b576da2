"""Approvals: a capability flagged "needs approval" is paused when an agent calls it, until a human decides.

The graph records the request (as the platform's service principal, naming the person the agent serves),
staff list and decide; the paused run then resumes with the decision. Approving a request also approves
its arguments; an edit replaces them; a rejection is reported to the agent as a refusal.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from store.ops import Approval
from tools.context import ToolContext
from tools.errors import Conflict, InvalidInput, NotFound
from tools.principal import STAFF_ONLY, Role
from tools.registry import capability

Status = Literal["pending", "approved", "edited", "rejected"]
APPROVERS = frozenset({Role.STAFF, Role.MANAGER})


class RequestApproval(BaseModel):
    approval_id: str = Field(min_length=8, max_length=40, pattern=r"^[\w\-]+$")
    thread_id: str = Field(min_length=1, max_length=120)
    tool: str = Field(min_length=1, max_length=60)
    arguments: dict[str, Any]
    requested_by: str = Field(max_length=120, description="The person the agent acts for, `role:id[@shop]`.")


class ApprovalView(BaseModel):
    approval_id: str
    thread_id: str
    tool: str
    arguments: dict[str, Any] = Field(description="What will run if approved (after any edit).")
    requested_by: str
    status: Status
    decided_by: str | None
    note: str | None
    created_at: datetime
    decided_at: datetime | None


class ListApprovals(BaseModel):
    status: Status | None = Field(default="pending", description="Only approvals in this state; null for all.")


class ApprovalList(BaseModel):
    approvals: list[ApprovalView]


class DecideApproval(BaseModel):
    approval_id: str = Field(min_length=8, max_length=40)
    decision: Literal["approve", "edit", "reject"]
    arguments: dict[str, Any] | None = Field(default=None, description="With edit: the arguments to run instead.")
    note: str | None = Field(default=None, max_length=200)


def _view(row: Approval) -> ApprovalView:
    return ApprovalView(approval_id=row.id, thread_id=row.thread_id, tool=row.tool,
                        arguments=json.loads(row.arguments), requested_by=row.requested_by,
                        status=row.status, decided_by=row.decided_by, note=row.note,  # type: ignore[arg-type]
                        created_at=row.created_at, decided_at=row.decided_at)


@capability(domain="approvals", roles={Role.SERVICE}, mutating=True)
async def request_approval(ctx: ToolContext, cmd: RequestApproval) -> ApprovalView:
    """Record that an agent's tool call waits for a human (service only). Repeating a request returns it."""
    row = await ctx.session.get(Approval, cmd.approval_id)
    if row is None:
        row = Approval(id=cmd.approval_id, thread_id=cmd.thread_id, tool=cmd.tool,
                       arguments=json.dumps(cmd.arguments, sort_keys=True), requested_by=cmd.requested_by,
                       status="pending", created_at=ctx.now())
        ctx.session.add(row)
        await ctx.session.flush()
    return _view(row)


@capability(domain="approvals", roles=STAFF_ONLY)
async def list_approvals(ctx: ToolContext, cmd: ListApprovals) -> ApprovalList:
    """List agent actions waiting for a human decision (or, with a status, past decisions)."""
    query = select(Approval).order_by(Approval.created_at)
    if cmd.status:
        query = query.where(Approval.status == cmd.status)
    return ApprovalList(approvals=[_view(r) for r in await ctx.session.scalars(query)])


@capability(domain="approvals", roles=APPROVERS, mutating=True)
async def decide_approval(ctx: ToolContext, cmd: DecideApproval) -> ApprovalView:
    """Approve, edit (give new arguments) or reject a pending agent action. Each is decided once."""
    row = await ctx.session.scalar(select(Approval).where(Approval.id == cmd.approval_id).with_for_update())
    if row is None:
        raise NotFound(f"no approval {cmd.approval_id}", approval_id=cmd.approval_id)
    if row.status != "pending":
        raise Conflict(f"approval {row.id} was already {row.status}", approval_id=row.id, status=row.status)
    if (cmd.decision == "edit") != (cmd.arguments is not None):
        raise InvalidInput("give arguments with edit, and only with edit")
    row.status = {"approve": "approved", "edit": "edited", "reject": "rejected"}[cmd.decision]
    if cmd.arguments is not None:
        row.arguments = json.dumps(cmd.arguments, sort_keys=True)
    row.decided_by, row.note, row.decided_at = ctx.principal.as_header(), cmd.note, ctx.now()
    await ctx.session.flush()
    return _view(row)
