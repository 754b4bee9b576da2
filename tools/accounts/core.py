"""What every account flow shares: the store, the signing keys (cached a minute per process), issuing and verifying
access tokens, a session's next refresh token, and the audit trail of sign-in events."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.accounts import RefreshToken, SigningKey, User
from store.audit import AuditEntry
from store.engine import Database
from tools.accounts import passwords, tokens
from tools.accounts.models import Tokens
from tools.context import Clock
from tools.errors import NotFound
from tools.principal import Assurance, Principal, Role
from tools.wallet.vault import Vault

KEYS_FOR = 60.0
"""Seconds a process trusts its copy of the signing keys (another process may have rotated them)."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def principal_of(user: User) -> Principal:
    return Principal(role=Role(user.role), id=user.id, location_id=user.location_id)


class AccountsCore:
    def __init__(self, db: Database, vault: Vault, clock: Clock, access: timedelta, refresh: timedelta,
                 audience: str) -> None:
        self.db, self.vault, self.clock, self.access, self.refresh_for = db, vault, clock, access, refresh
        self.audience = audience
        """Who access tokens are for: this platform's URL (REST and MCP alike); a token for anyone else is refused."""
        self._keys: list[tokens.Key] = []
        self._read_at = -KEYS_FOR

    async def keys(self) -> list[tokens.Key]:
        if time.monotonic() - self._read_at < KEYS_FOR and self._keys:
            return self._keys
        async with self.db.reader() as s:
            found = await tokens.load_keys(s, self.vault)
        if not any(k.retired_at is None for k in found):
            async with self.db.write_turn(), self.db.writer() as s, s.begin():
                await tokens.new_key(s, self.vault, self.clock())
                found = await tokens.load_keys(s, self.vault)
        self._keys, self._read_at = found, time.monotonic()
        return found

    @property
    def _trust(self) -> timedelta:
        """How long a retired key still verifies: a token's lifetime, plus the time another process may go on
        signing with it before it rereads the keys."""
        return self.access + timedelta(seconds=KEYS_FOR)

    async def rotate_keys(self) -> str:
        """A new signing key signs from now on; the old ones retire, still verifying the tokens they signed until
        those expire (nobody is signed out). Returns the new kid."""
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            await s.execute(update(SigningKey).where(SigningKey.retired_at.is_(None)).values(retired_at=self.clock()))
            kid = await tokens.new_key(s, self.vault, self.clock())
        self._read_at = -KEYS_FOR
        return kid

    async def verified(self, token: str) -> tokens.Verified:
        return tokens.verify(await self.keys(), token, self.audience, self.clock(), self._trust)

    async def verify(self, token: str) -> Principal:
        return (await self.verified(token)).principal

    async def jwks(self) -> dict[str, Any]:
        return tokens.jwks(await self.keys(), self.clock(), self._trust)

    def access_token(self, keys: list[tokens.Key], principal: Principal, grant: tokens.Grant) -> str:
        return tokens.issue(keys, principal, grant, self.audience, self.clock(), self.access)

    async def _session(self, s: AsyncSession, keys: list[tokens.Key], user: User, family: str, client: str,
                       second_factor_at: datetime | None) -> Tokens:
        """A new refresh token in the family, and an access token (the keys are read before the write turn: making
        the first key takes a turn of its own)."""
        now, token = self.clock(), secrets.token_urlsafe(32)
        s.add(RefreshToken(token_hash=digest(token), family_id=family, user_id=user.id, issued_at=now,
                           expires_at=now + self.refresh_for, client=client[:200], second_factor_at=second_factor_at))
        await s.flush()
        principal = principal_of(user)
        grant = tokens.Grant(family, Assurance.MFA if second_factor_at else Assurance.PASSWORD,
                             int(second_factor_at.timestamp()) if second_factor_at else None)
        return Tokens(access_token=self.access_token(keys, principal, grant),
                      expires_in=int(self.access.total_seconds()), refresh_token=token,
                      principal=principal.as_header())

    async def reset_password(self, email: str, by: str) -> str:
        """A new one-time password for an account (an operator's or a manager's act, after a lockout or a lost
        password): unlocks it and ends its sessions; returns the password, to be handed over once."""
        password = secrets.token_urlsafe(15)
        digest = await passwords.hashed(password)
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            user = await s.scalar(select(User).where(User.email == email.lower()).with_for_update())
            if user is None:
                raise NotFound(f"no account with the email {email}")
            user.password_hash, user.failed_sign_ins, user.locked_at = digest, 0, None
            await self._end_sessions(s, user.id)
            self._audit(s, user, "auth.password_reset", "ok", by)
        return password

    async def _end_sessions(self, s: AsyncSession, user_id: str) -> None:
        """Every session of the account (a new password, a new role)."""
        await s.execute(update(RefreshToken).where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
                        .values(revoked_at=self.clock()))

    @staticmethod
    async def _revoke(s: AsyncSession, family: str, now: datetime) -> None:
        await s.execute(update(RefreshToken).where(RefreshToken.family_id == family, RefreshToken.revoked_at.is_(None))
                        .values(revoked_at=now))

    def _audit(self, s: AsyncSession, user: User, what: str, outcome: str, client: str) -> None:
        s.add(AuditEntry(at=self.clock(), principal=f"{user.role}:{user.id}", capability=what, outcome=outcome,
                         detail=client[:200], idempotency_key=None))
