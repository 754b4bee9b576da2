"""The second factor: enrolling a TOTP authenticator (with recovery codes), checking a code at sign-in, and a
step-up — a fresh code that makes the session's next access token good for the most sensitive actions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.accounts import RefreshToken, User
from tools.accounts import mfa, tokens
from tools.accounts.core import AccountsCore, principal_of
from tools.accounts.models import AccessToken, MfaEnrolment, RecoveryCodes
from tools.errors import InvalidInput, NotFound, Unauthenticated
from tools.principal import Assurance, Principal


async def own_account(s: AsyncSession, principal: Principal) -> User | None:
    """The caller's own account: the same id and the same role."""
    user = await s.get(User, principal.id)
    return user if user is not None and user.role == principal.role.value else None


class Factors(AccountsCore):
    def second_factor(self, user: User, code: str) -> bool:
        """A TOTP code not used before, or an unused recovery code (used up now)."""
        secret = self.vault.open(f"mfa:{user.id}", user.mfa_secret or "").decode()
        step = mfa.step_of(secret, code, user.mfa_last_step, self.clock())
        if step is not None:
            user.mfa_last_step = step
            return True
        if mfa.digest(code) in user.recovery_codes:
            user.recovery_codes = [c for c in user.recovery_codes if c != mfa.digest(code)]
            return True
        return False

    async def enrol_mfa(self, principal: Principal) -> MfaEnrolment:
        """A new TOTP secret for the signed-in person, in force once a code from it is confirmed."""
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            user = await own_account(s, principal)
            if user is None:
                raise NotFound("no account for this caller")
            secret = mfa.new_secret()
            user.mfa_secret, user.mfa_enabled = self.vault.seal(f"mfa:{user.id}", secret.encode()), False
            return MfaEnrolment(secret=secret, otpauth_uri=mfa.uri(secret, user.email))

    async def confirm_mfa(self, principal: Principal, code: str) -> RecoveryCodes:
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            user = await own_account(s, principal)
            if user is None or user.mfa_secret is None:
                raise NotFound("start the second factor first (POST /api/v1/auth/mfa)")
            secret = self.vault.open(f"mfa:{user.id}", user.mfa_secret).decode()
            step = mfa.step_of(secret, code, user.mfa_last_step, self.clock())
            if step is None:
                raise InvalidInput("that code is not right; check the app's clock and try the next code")
            codes = mfa.recovery_codes()
            user.mfa_enabled, user.mfa_last_step, user.recovery_codes = True, step, [mfa.digest(c) for c in codes]
            self._audit(s, user, "auth.mfa_enrolled", "ok", "")
            return RecoveryCodes(recovery_codes=codes)

    async def step_up(self, access_token: str, code: str) -> AccessToken:
        """A fresh code for the session of `access_token`: a new access token that carries it (good for a rota,
        a large refund, a treasury grant for a few minutes)."""
        found = await self.verified(access_token)
        keys, now, issued = await self.keys(), self.clock(), None
        async with self.db.write_turn(), self.db.writer() as s, s.begin():  # a wrong code is written, then refused
            user = await own_account(s, found.principal)
            live = await s.scalar(select(RefreshToken).where(
                RefreshToken.family_id == found.grant.session_id, RefreshToken.revoked_at.is_(None),
                RefreshToken.rotated_at.is_(None)).with_for_update())
            if user is None or live is None:
                raise Unauthenticated("this session has ended; sign in again")
            if not user.mfa_enabled:
                raise InvalidInput("turn on the second factor first (POST /api/v1/auth/mfa)")
            if not self.second_factor(user, code):
                self._audit(s, user, "auth.step_up", "refused", "")
            else:
                live.second_factor_at = now
                self._audit(s, user, "auth.step_up", "ok", "")
                grant = tokens.Grant(found.grant.session_id, Assurance.MFA, int(now.timestamp()))
                issued = AccessToken(access_token=self.access_token(keys, principal_of(user), grant),
                                     expires_in=int(self.access.total_seconds()))
        if issued is None:
            raise Unauthenticated("that code is not right")
        return issued
