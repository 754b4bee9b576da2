"""Who may decide an approval, and what an edit may change.

A manager decides anywhere; staff decide their own shop's actions; nobody decides their own request. An edit
keeps the same capability and stays within what was asked: identifiers, switches and choices stay as they
were, an amount may shrink but not grow or turn around (a restock cannot become a write-off), free text may be
reworded. The edited arguments are checked as the requester's own call would be: they must validate, and the
requester's role and shop must allow them.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from store.approvals import Approval
from tools.errors import Forbidden, InvalidInput
from tools.inventory import ensure_location_scope
from tools.invoke import check_access, command_from
from tools.principal import Principal, Role
from tools.registry import registry


async def manager_approved(session: AsyncSession, approval_id: str | None, tool: str, not_by: str = "",
                           **same: Any) -> bool:
    """Whether `approval_id` names a manager's approval of this very call — the same tool and the same `same`
    arguments (an edit may have narrowed the others) — by someone other than `not_by`."""
    if not approval_id:
        return False
    row = await session.get(Approval, approval_id)
    if row is None or row.tool != tool or row.status not in ("approved", "edited"):
        return False
    arguments = json.loads(row.arguments)
    by = row.decided_by or ""
    return (by.startswith("manager:") and Principal.parse(by).person != not_by
            and all(arguments.get(k) == v for k, v in same.items()))


def may_see(principal: Principal, row: Approval) -> bool:
    if principal.role in (Role.MANAGER, Role.SERVICE):
        return True
    return row.location_id is not None and row.location_id == principal.location_id


def ensure_may_decide(principal: Principal, row: Approval) -> None:
    if principal.person == Principal.parse(row.requested_by).person:
        raise Forbidden("you cannot decide your own request; another member of staff or a manager must",
                        approval_id=row.id)
    if not may_see(principal, row):
        where = row.location_id or "the whole chain"
        raise Forbidden(f"only a manager or staff of {where} can decide this", approval_id=row.id,
                        location_id=row.location_id)


def checked_edit(row: Approval, arguments: dict[str, Any]) -> dict[str, Any]:
    """The edited arguments, if they are a narrower version of the request and the requester could make them."""
    cap = registry.get(row.tool)
    edited = command_from(cap, arguments)
    original = command_from(cap, json.loads(row.arguments))
    outside = [name for name in cap.input_model.model_fields if not _within(cap.input_model, name, original, edited)]
    if outside:
        raise InvalidInput(f"an edit may only lower amounts or reword text; it cannot change {', '.join(outside)}",
                           fields=outside, approval_id=row.id)
    ensure_requester_may(row.tool, edited, Principal.parse(row.requested_by))
    return edited.model_dump(mode="json", exclude_none=True)


def ensure_requester_may(tool: str, arguments: dict[str, Any] | BaseModel, requester: Principal) -> None:
    """The call is valid and the requester's role and shop allow it: nobody waits for a human to approve what its
    requester could never do."""
    cap = registry.get(tool)
    command = command_from(cap, arguments)
    check_access(cap, requester)
    if location := getattr(command, "location_id", None):
        ensure_location_scope(requester, location)


def _within(model: type[BaseModel], name: str, original: BaseModel, edited: BaseModel) -> bool:
    old, new = getattr(original, name), getattr(edited, name)
    if old == new:
        return True
    if isinstance(new, bool) or isinstance(old, bool):
        return False
    if isinstance(new, int) and (old is None or isinstance(old, int)):
        # None means "all of it" (a refund of what is left): any number is within that.
        return old is None or (new * old > 0 and abs(new) <= abs(old))
    annotation = model.model_fields[name].annotation
    return annotation in (str, str | None) and not name.endswith("_id")
