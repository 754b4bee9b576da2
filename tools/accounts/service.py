"""Accounts and sessions: register, sign in (with lockout), refresh with rotation and reuse detection, sign out,
list and revoke sessions, verify access tokens. Every sign-in event is written to the audit log.

A refresh token is opaque and stored as its SHA-256. Using one rotates it: the old one is marked rotated and a new
one joins the same family (the session). Presenting a rotated token again means two parties hold the session, so
the whole family is revoked (OAuth 2.1 refresh-token reuse detection)."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.accounts import RefreshToken, User
from store.audit import AuditEntry
from tools.accounts import passwords
from tools.accounts.core import digest as hash_token
from tools.accounts.factors import Factors, own_account
from tools.accounts.links import Links
from tools.accounts.machines import Machines
from tools.accounts.mail import VERIFY_FOR, Mail
from tools.accounts.models import SessionList, SessionOut, Tokens
from tools.accounts.privacy import Privacy
from tools.accounts.staffing import Staffing
from tools.errors import Conflict, NotFound, Unauthenticated
from tools.principal import Principal, Role

LOCK_AFTER = 10
"""Failed sign-ins in a row that lock an account (a reset or a manager unlocks it)."""
REFUSED = "the email or password is not right, or the account is locked; try again or reset your password"


class Accounts(Factors, Links, Machines, Mail, Staffing, Privacy):
    async def register(self, email: str, password: str, client: str, invite_code: str | None = None) -> Tokens:
        """A customer's account (or, with a manager's invite code, the invited staff member's), signed in at once;
        a code to verify the email is sent."""
        email = email.lower()
        passwords.check_new(password, email)
        digest, keys = await passwords.hashed(password), await self.keys()
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            if await s.scalar(select(User.id).where(User.email == email)) is not None:
                raise Conflict("an account with this email exists; sign in, or reset its password")
            invite = await self._accept(s, invite_code) if invite_code else None
            if invite is not None and await s.get(User, invite.staff_id) is not None:
                raise Conflict(f"the id {invite.staff_id} was taken since the invite; ask for a new one")
            user = User(id=invite.staff_id if invite else f"c{uuid.uuid4().hex[:12]}", email=email,
                        password_hash=digest, role=invite.role if invite else Role.CUSTOMER.value,
                        location_id=invite.location_id if invite else None, created_at=self.clock())
            s.add(user)
            await s.flush()
            self._audit(s, user, "auth.register", "ok", client)
            await self._email(s, user, "verify", VERIFY_FOR)
            return await self._session(s, keys, user, uuid.uuid4().hex, client, None)

    async def create_user(self, email: str, role: Role, user_id: str, location_id: str | None = None) -> str:
        """An account for staff or a manager (an operator's or a manager's act); returns its one-time password, to
        be handed over once and changed at first sign-in."""
        email = email.lower()
        password = secrets.token_urlsafe(15)
        digest = await passwords.hashed(password)  # the slow hash before the write turn, as in register
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            taken = await s.scalar(select(User.id).where((User.email == email) | (User.id == user_id)))
            if taken is not None:
                raise Conflict(f"an account with this email or id ({user_id}) exists", user_id=user_id)
            user = User(id=user_id, email=email, password_hash=digest, role=role.value, email_verified=True,
                        location_id=location_id, created_at=self.clock())  # whoever made it vouches for the address
            s.add(user)
            await s.flush()
            self._audit(s, user, "auth.account_created", "ok", "operator")
        return password

    async def first_manager(self, email: str) -> str | None:
        """At first start: a manager account (manager:m1) if there is none; its one-time password, else None."""
        async with self.db.reader() as s:
            if await s.scalar(select(User.id).where(User.role == Role.MANAGER.value).limit(1)) is not None:
                return None
        return await self.create_user(email, Role.MANAGER, "m1")

    async def change_password(self, principal: Principal, current: str, new: str) -> None:
        """A new password for the signed-in person, given the current one; every session ends."""
        async with self.db.reader() as s:
            user = await own_account(s, principal)
        if user is None or not await passwords.matches(current, user.password_hash):
            raise Unauthenticated("the current password is not right")
        passwords.check_new(new, user.email)
        digest = await passwords.hashed(new)
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            row = await own_account(s, principal)
            assert row is not None
            row.password_hash = digest
            await self._end_sessions(s, row.id)
            self._audit(s, row, "auth.password_changed", "ok", "")

    async def sign_in(self, email: str, password: str, client: str, code: str | None = None) -> Tokens:
        email = email.lower()
        async with self.db.reader() as s:
            user = await s.scalar(select(User).where(User.email == email))
        right = await passwords.matches(password, user.password_hash if user else None)
        keys, signed, ask = await self.keys(), None, False
        async with self.db.write_turn(), self.db.writer() as s, s.begin():  # a failure is written, then refused
            row = await s.get(User, user.id, with_for_update=True) if user else None
            if row is None:
                s.add(AuditEntry(at=self.clock(), principal=f"email:{email}", capability="auth.sign_in",
                                 outcome="unknown_account", detail=client[:200], idempotency_key=None))
            elif row.locked_at is not None or not right:
                self._failed(s, row, client)
            elif row.mfa_enabled and not code:
                ask = True  # the password was right: only now may the caller learn a code is needed
            elif row.mfa_enabled and not self.second_factor(row, code or ""):
                self._failed(s, row, client)
            else:
                row.failed_sign_ins = 0
                self._audit(s, row, "auth.sign_in", "ok", client)
                signed = await self._session(s, keys, row, uuid.uuid4().hex, client,
                                             self.clock() if row.mfa_enabled else None)
        if ask:
            raise Unauthenticated("this account signs in with a code from its authenticator app too; send `code`",
                                  mfa_required=True)
        if signed is None:
            raise Unauthenticated(REFUSED)
        return signed

    def _failed(self, s: AsyncSession, user: User, client: str) -> None:
        if user.locked_at is None:
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= LOCK_AFTER:
                user.locked_at = self.clock()
                self._audit(s, user, "auth.lockout", "locked", client)
        self._audit(s, user, "auth.sign_in", "refused", client)

    async def refresh(self, token: str, client: str) -> Tokens:
        now, keys = self.clock(), await self.keys()
        async with self.db.write_turn(), self.db.writer() as s, s.begin():  # a reuse is written, then refused
            row = await s.get(RefreshToken, hash_token(token), with_for_update=True)
            if row is None or row.revoked_at is not None or row.expires_at <= now:
                raise Unauthenticated("the refresh token is not valid; sign in again")
            user = await s.get(User, row.user_id)
            assert user is not None
            reused = row.rotated_at is not None
            if reused:
                await self._revoke(s, row.family_id, now)
                self._audit(s, user, "auth.refresh", "reuse_detected", client)
            elif user.locked_at is not None:
                raise Unauthenticated(REFUSED)
            else:
                row.rotated_at = now
                return await self._session(s, keys, user, row.family_id, client, row.second_factor_at)
        raise Unauthenticated("that refresh token was already used; the session is ended, sign in again")

    async def sign_out(self, token: str) -> None:
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            row = await s.get(RefreshToken, hash_token(token))
            if row is None:
                raise Unauthenticated("the refresh token is not valid")
            await self._revoke(s, row.family_id, self.clock())
            user = await s.get(User, row.user_id)
            assert user is not None
            self._audit(s, user, "auth.sign_out", "ok", row.client)

    async def sessions(self, principal: Principal) -> SessionList:
        """The caller's sessions with a live refresh token: when each signed in, was last refreshed, and ends."""
        now = self.clock()
        live = (select(RefreshToken.family_id).join(User, User.id == RefreshToken.user_id)
                .where(RefreshToken.user_id == principal.id, User.role == principal.role.value,
                       RefreshToken.revoked_at.is_(None), RefreshToken.rotated_at.is_(None),
                       RefreshToken.expires_at > now))
        async with self.db.reader() as s:
            rows = (await s.execute(
                select(RefreshToken.family_id, func.min(RefreshToken.issued_at), func.max(RefreshToken.issued_at),
                       func.max(RefreshToken.expires_at), func.max(RefreshToken.client))
                .where(RefreshToken.family_id.in_(live)).group_by(RefreshToken.family_id))).all()
        return SessionList(sessions=[SessionOut(session_id=f, signed_in_at=a, last_used_at=b, expires_at=e, client=c)
                                     for f, a, b, e, c in rows])

    async def revoke_session(self, principal: Principal, session_id: str) -> None:
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            mine = await s.scalar(select(func.count()).select_from(RefreshToken).where(
                RefreshToken.family_id == session_id, RefreshToken.user_id == principal.id,
                RefreshToken.user_id.in_(select(User.id).where(User.role == principal.role.value))))
            if not mine:
                raise NotFound(f"no session {session_id}", session_id=session_id)
            await self._revoke(s, session_id, self.clock())
