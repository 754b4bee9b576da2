"""Email with sign-in: verifying the address a customer registered with, and resetting a forgotten password.

Each sends a one-time token through the notifier's email outbox (written in the same transaction as the token, sent
by the outbox worker with retries). Until an address is verified, nothing else is sent to it (tools.notifications
checks). Asking for a reset answers the same whether or not the email has an account."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.accounts import AccountToken, User
from store.notifications import Delivery, Notification
from tools.accounts import passwords
from tools.accounts.core import AccountsCore, digest
from tools.errors import InvalidInput

VERIFY_FOR = timedelta(hours=24)
RESET_FOR = timedelta(minutes=30)
WRONG = "that link or code is not valid, was used, or has expired; ask for a new one"


class Mail(AccountsCore):
    async def _email(self, s: AsyncSession, user: User, purpose: str, lifetime: timedelta) -> None:
        token, now = secrets.token_urlsafe(24), self.clock()
        s.add(AccountToken(token_hash=digest(token), user_id=user.id, purpose=purpose, expires_at=now + lifetime))
        text = (f"Confirm your email for Go Coffee with this code: {token}\nSend it to POST "
                f"{self.audience}/api/v1/auth/verify within 24 hours." if purpose == "verify" else
                f"Reset your Go Coffee password with this code: {token}\nSend it with a new password to POST "
                f"{self.audience}/api/v1/auth/reset/confirm within 30 minutes. If you did not ask, ignore this.")
        note = Notification(topic=f"account_{purpose}", audience=f"{user.role}:{user.id}", text=text, critical=True,
                            link=None, created_by="accounts", created_at=now)
        s.add(note)
        await s.flush()
        s.add(Delivery(notification_id=note.id, recipient=f"{user.role}:{user.id}", channel="email",
                       address=user.email, state="pending", not_before=now, next_attempt_at=now, attempts=0))
        self._audit(s, user, f"auth.{purpose}_sent", "ok", "")

    async def _use(self, s: AsyncSession, token: str, purpose: str) -> User:
        row = await s.get(AccountToken, digest(token), with_for_update=True)
        if row is None or row.purpose != purpose or row.used_at is not None or row.expires_at <= self.clock():
            raise InvalidInput(WRONG)
        row.used_at = self.clock()
        user = await s.get(User, row.user_id, with_for_update=True)
        assert user is not None
        return user

    async def verify_email(self, token: str) -> None:
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            user = await self._use(s, token, "verify")
            user.email_verified = True
            self._audit(s, user, "auth.email_verified", "ok", "")

    async def request_reset(self, email: str) -> None:
        """Email a reset code if the address has an account (the caller is not told either way)."""
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            user = await s.scalar(select(User).where(User.email == email.lower(), User.role != "service"))
            if user is not None:
                await self._email(s, user, "reset", RESET_FOR)

    async def confirm_reset(self, token: str, new_password: str) -> None:
        """A new password for the code's account: unlocks it and ends every session (the email is verified too:
        the code reached it)."""
        async with self.db.reader() as s:
            row = await s.get(AccountToken, digest(token))
            user = await s.get(User, row.user_id) if row is not None else None
        if user is None:
            raise InvalidInput(WRONG)
        passwords.check_new(new_password, user.email)
        hashed = await passwords.hashed(new_password)
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            user = await self._use(s, token, "reset")
            user.password_hash, user.failed_sign_ins, user.locked_at, user.email_verified = hashed, 0, None, True
            await self._end_sessions(s, user.id)
            self._audit(s, user, "auth.password_reset", "ok", "email")
