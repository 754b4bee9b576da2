"""Staff and managers join by a manager's one-time invite code (or an operator's `gocoffee users create`); a manager
changes someone's role or shop. Both are audited; a role change ends the person's sessions, so their next sign-in
carries the new role (an access token already out keeps the old one for at most its few minutes)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.accounts import Invite, User
from store.audit import AuditEntry
from tools.accounts.core import AccountsCore, digest
from tools.accounts.models import InviteOut
from tools.errors import Forbidden, InvalidInput, NotFound
from tools.principal import Principal, Role
from tools.second_factor import check_signed_in

INVITE_FOR = timedelta(days=7)
STAFF_ROLES = (Role.STAFF, Role.MANAGER)


def _manager(by: Principal) -> None:
    check_signed_in(by)
    if by.role is not Role.MANAGER:
        raise Forbidden("only a manager invites staff or changes roles")


def _placed(role: Role, location_id: str | None) -> None:
    if role not in STAFF_ROLES:
        raise InvalidInput("invite or change to staff or manager; customers register themselves")
    if role is Role.STAFF and not location_id:
        raise InvalidInput("staff act for a shop: give location_id")


class Staffing(AccountsCore):
    async def invite(self, by: Principal, role: Role, staff_id: str, location_id: str | None) -> InviteOut:
        _manager(by)
        _placed(role, location_id)
        code, now = secrets.token_urlsafe(18), self.clock()
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            if await s.get(User, staff_id) is not None:
                raise InvalidInput(f"the id {staff_id} is taken", staff_id=staff_id)
            s.add(Invite(code_hash=digest(code), role=role.value, location_id=location_id, staff_id=staff_id,
                         created_by=by.person, created_at=now, expires_at=now + INVITE_FOR))
            s.add(AuditEntry(at=now, principal=by.person, capability="auth.invite_created", outcome="ok",
                             detail=f"{role.value}:{staff_id}@{location_id or ''}", idempotency_key=None))
        return InviteOut(code=code, expires_at=now + INVITE_FOR, principal=f"{role.value}:{staff_id}")

    async def _accept(self, s: AsyncSession, code: str) -> Invite:
        """The invite a registration names, used up now."""
        row = await s.get(Invite, digest(code), with_for_update=True)
        if row is None or row.used_at is not None or row.expires_at <= self.clock():
            raise InvalidInput("that invite code is not valid, was used, or has expired; ask your manager")
        row.used_at = self.clock()
        return row

    async def set_role(self, by: Principal, user_id: str, role: Role, location_id: str | None) -> None:
        _manager(by)
        _placed(role, location_id)
        if user_id == by.id:
            raise Forbidden("another manager changes your own role")
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            user = await s.get(User, user_id, with_for_update=True)
            if user is None or user.role not in {r.value for r in STAFF_ROLES}:
                raise NotFound(f"no staff account {user_id}", user_id=user_id)
            before = f"{user.role}@{user.location_id or ''}"
            user.role, user.location_id = role.value, location_id
            await self._end_sessions(s, user.id)
            s.add(AuditEntry(at=self.clock(), principal=by.person, capability="auth.role_changed", outcome="ok",
                             detail=f"{user_id}: {before} -> {role.value}@{location_id or ''}", idempotency_key=None))

    async def unlock(self, by: Principal, user_id: str) -> str:
        """A manager unlocks a staff account (after a lockout or a lost password): a one-time password to hand
        over; its sessions end. Customers use the emailed reset instead."""
        _manager(by)
        async with self.db.reader() as s:
            user = await s.get(User, user_id)
        if user is None or user.role not in {r.value for r in STAFF_ROLES} or user.id == by.id:
            raise NotFound(f"no other staff account {user_id}", user_id=user_id)
        return await self.reset_password(user.email, by.person)

    async def staff_accounts(self, by: Principal) -> list[User]:
        _manager(by)
        async with self.db.reader() as s:
            return list((await s.scalars(select(User).where(User.role.in_([r.value for r in STAFF_ROLES]))
                                         .order_by(User.id))).all())
