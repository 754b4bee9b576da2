"""Approvals: a capability flagged "needs approval" is paused when an agent calls it, until a human decides.

The graph records the request (as the platform's service principal, naming the person the agent serves),
staff list and decide; the paused run then resumes with the decision. Approving a request also approves
its arguments; an edit replaces them (within the rules of `approval_rules`); a rejection is reported to the
agent as a refusal. Each approval belongs to a shop (the action's, else the requester's): its staff and the
managers see and decide it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from store.approvals import Approval
from store.orders import Order
from store.payments import Payment
from tools.approval_rules import checked_edit, ensure_may_decide, ensure_requester_may, may_see
from tools.context import ToolContext
from tools.errors import Conflict, InvalidInput, NotFound
from tools.notifications.events import approval_decided
from tools.principal import STAFF_ONLY, Principal, Role
from tools.registry import Internal, Rest, capability
from tools.second_factor import require_step_up

Status = Literal["pending", "approved", "edited", "rejected"]
APPROVERS = frozenset({Role.STAFF, Role.MANAGER})


class RequestApproval(BaseModel):
    approval_id: str = Field(min_length=8, max_length=40, pattern=r"^[\w\-]+$")
    thread_id: str = Field(min_length=1, max_length=200)
    tool: str = Field(min_length=1, max_length=60)
    arguments: dict[str, Any]
    requested_by: str = Field(max_length=120, description="The person the agent acts for, `role:id[@shop]`.")


class ApprovalView(BaseModel):
    approval_id: str
    thread_id: str
    tool: str
    location_id: str | None = Field(description="The shop the action is for; null: the whole chain.")
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
    approval_id: str = Field(min_length=8, max_length=40, pattern=r"^[\w\-]+$")
    decision: Literal["approve", "edit", "reject"]
    arguments: dict[str, Any] | None = Field(default=None, description="With edit: the arguments to run instead: "
                                             "the same identifiers, amounts no larger and of the same sign.")
    note: str | None = Field(default=None, max_length=200)


def _view(row: Approval) -> ApprovalView:
    return ApprovalView(approval_id=row.id, thread_id=row.thread_id, tool=row.tool, location_id=row.location_id,
                        arguments=json.loads(row.arguments), requested_by=row.requested_by,
                        status=row.status, decided_by=row.decided_by, note=row.note,
                        created_at=row.created_at, decided_at=row.decided_at)


@capability(domain="approvals", roles={Role.SERVICE}, mutating=True,
            rest=Internal("the platform records an agent's paused call; people never ask for it directly"))
async def request_approval(ctx: ToolContext, cmd: RequestApproval) -> ApprovalView:
    """Record that an agent's tool call waits for a human (service only). Repeating a request returns it; a call
    that is invalid, or that its requester may not make, is refused instead of waiting."""
    row = await ctx.session.get(Approval, cmd.approval_id)
    if row is None:
        ensure_requester_may(cmd.tool, cmd.arguments, Principal.parse(cmd.requested_by))
        row = Approval(id=cmd.approval_id, thread_id=cmd.thread_id, tool=cmd.tool,
                       location_id=await _shop_of(ctx, cmd), arguments=json.dumps(cmd.arguments, sort_keys=True),
                       requested_by=cmd.requested_by, status="pending", created_at=ctx.now())
        ctx.session.add(row)
        await ctx.session.flush()
    return _view(row)


@capability(domain="approvals", roles=STAFF_ONLY, rest=Rest("GET", "/approvals"))
async def list_approvals(ctx: ToolContext, cmd: ListApprovals) -> ApprovalList:
    """List agent actions waiting for a human decision (or, with a status, past decisions): staff see their own
    shop's, managers every shop's."""
    query = select(Approval).order_by(Approval.created_at)
    if cmd.status:
        query = query.where(Approval.status == cmd.status)
    if ctx.principal.role == Role.STAFF:
        query = query.where(Approval.location_id == ctx.principal.location_id)
    return ApprovalList(approvals=[_view(r) for r in await ctx.session.scalars(query) if may_see(ctx.principal, r)])


class ApprovalRef(BaseModel):
    approval_id: str = Field(min_length=8, max_length=40, pattern=r"^[\w\-]+$")


@capability(domain="approvals", roles=STAFF_ONLY, rest=Rest("GET", "/approvals/{approval_id}"))
async def get_approval(ctx: ToolContext, cmd: ApprovalRef) -> ApprovalView:
    """One agent action waiting for (or decided by) a human, with its arguments: staff of its shop, or a manager."""
    row = await ctx.session.get(Approval, cmd.approval_id)
    if row is None or not may_see(ctx.principal, row):
        raise NotFound(f"no approval {cmd.approval_id}", approval_id=cmd.approval_id)
    return _view(row)


@capability(domain="approvals", roles=APPROVERS, mutating=True,
            rest=Internal("served by POST /api/v1/approvals/{approval_id} (channels/rest/approvals.py), which "
                          "also resumes the paused conversation"))
async def decide_approval(ctx: ToolContext, cmd: DecideApproval) -> ApprovalView:
    """Approve, edit (give narrower arguments) or reject a pending agent action. Each is decided once, by a
    manager or staff of the action's shop, never by the person who asked."""
    row = await ctx.session.scalar(select(Approval).where(Approval.id == cmd.approval_id).with_for_update())
    if row is None:
        raise NotFound(f"no approval {cmd.approval_id}", approval_id=cmd.approval_id)
    ensure_may_decide(ctx.principal, row)
    if cmd.decision != "reject" and await _large_refund(ctx, row):
        require_step_up(ctx.principal, ctx.now(), "approving a refund above the limit")
    if row.status != "pending":
        raise Conflict(f"approval {row.id} was already {row.status}", approval_id=row.id, status=row.status)
    if (cmd.decision == "edit") != (cmd.arguments is not None):
        raise InvalidInput("give arguments with edit, and only with edit")
    row.status = {"approve": "approved", "edit": "edited", "reject": "rejected"}[cmd.decision]
    if cmd.arguments is not None:
        row.arguments = json.dumps(checked_edit(row, cmd.arguments), sort_keys=True)
    row.decided_by, row.note, row.decided_at = ctx.principal.as_header(), cmd.note, ctx.now()
    await ctx.session.flush()
    await approval_decided(ctx.session, ctx.now(), row.requested_by, {
        "approval_id": row.id, "action": row.tool.replace("_", " "), "status": row.status,
        "decided_by": ctx.principal.person})
    return _view(row)


async def _large_refund(ctx: ToolContext, row: Approval) -> bool:
    """A refund above the limit: its amount, or (a full refund) what is left of the order's payment."""
    if row.tool != "refund_payment":
        return False
    arguments = json.loads(row.arguments)
    amount = arguments.get("amount_cents")
    if not isinstance(amount, int):
        amount = await ctx.session.scalar(select(Payment.amount_cents - Payment.refunded_cents).where(
            Payment.order_id == arguments.get("order_id"), Payment.state == "captured")) or 0
    return amount > ctx.services.rules.refund_approval_cents


async def _shop_of(ctx: ToolContext, cmd: RequestApproval) -> str | None:
    """The shop an action is for: named in its arguments, else its order's, else the requester's."""
    named = cmd.arguments.get("location_id")
    if isinstance(named, str):
        return named
    order_id = cmd.arguments.get("order_id")
    if isinstance(order_id, int) and not isinstance(order_id, bool):
        order = await ctx.session.get(Order, order_id)
        if order is not None:
            return order.location_id
    return Principal.parse(cmd.requested_by).location_id
