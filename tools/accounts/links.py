"""Telegram accounts bound to customers.

A signed-in customer asks for a one-time code (a deep link `/start <code>` to the bot); whoever follows it binds
their Telegram account to that customer, and the customer's notifications then reach that chat too. Until then a
Telegram user is a guest. A new link replaces the customer's old Telegram account, and moves a Telegram account
that was bound to someone else (audited both ways)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.accounts import AccountToken, TelegramLink, User
from store.engine import rows_changed
from tools.accounts.core import AccountsCore, digest, principal_of
from tools.accounts.factors import own_account
from tools.accounts.mail import WRONG
from tools.accounts.models import LinkCode
from tools.errors import Forbidden, InvalidInput
from tools.notifications.outbox import prefs_of
from tools.principal import Assurance, Principal, Role

LINK_FOR = timedelta(minutes=15)
TELEGRAM = "telegram"


async def _hear_on_telegram(s: AsyncSession, person: str, on: bool) -> None:
    """Add Telegram to (or take it from) the person's notification channels, keeping the inbox."""
    prefs = await prefs_of(s, person)
    channels = [c for c in prefs.channels if c != TELEGRAM] + ([TELEGRAM] if on else [])
    prefs.channels = channels or ["inbox"]
    await s.merge(prefs)


class Links(AccountsCore):
    async def telegram_code(self, principal: Principal) -> LinkCode:
        """A one-time code for the caller's own customer account (15 minutes)."""
        if principal.role != Role.CUSTOMER:
            raise Forbidden("only a customer account can be linked to Telegram")
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            user = await own_account(s, principal)
            if user is None:
                raise Forbidden("sign in with your own account to link Telegram")
            code, now = secrets.token_urlsafe(16), self.clock()
            s.add(AccountToken(token_hash=digest(code), user_id=user.id, purpose=TELEGRAM, expires_at=now + LINK_FOR))
            return LinkCode(code=code, expires_at=now + LINK_FOR)

    async def link_telegram(self, code: str, telegram_user_id: int, chat_id: int) -> Principal:
        """Bind the Telegram account to the code's customer; who they are now."""
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            row = await s.get(AccountToken, digest(code), with_for_update=True)
            if row is None or row.purpose != TELEGRAM or row.used_at is not None or row.expires_at <= self.clock():
                raise InvalidInput(WRONG)
            row.used_at = self.clock()
            user = await s.get(User, row.user_id)
            assert user is not None
            await self._unbind(s, telegram_user_id, user.id)
            s.add(TelegramLink(telegram_user_id=telegram_user_id, user_id=user.id, chat_id=chat_id,
                               linked_at=self.clock()))
            await _hear_on_telegram(s, f"customer:{user.id}", True)
            self._audit(s, user, "auth.telegram_linked", "ok", f"telegram:{telegram_user_id}")
            return principal_of(user).signed_in(Assurance.PASSWORD, None)

    async def _unbind(self, s: AsyncSession, telegram_user_id: int, user_id: str) -> None:
        """Remove this Telegram account's old binding and this customer's old Telegram account."""
        old = (await s.scalars(select(TelegramLink).where(
            (TelegramLink.telegram_user_id == telegram_user_id) | (TelegramLink.user_id == user_id)))).all()
        for link in old:
            if link.user_id != user_id and (before := await s.get(User, link.user_id)) is not None:
                await _hear_on_telegram(s, f"customer:{before.id}", False)
                self._audit(s, before, "auth.telegram_unlinked", "ok", "moved to another account")
            await s.delete(link)
        await s.flush()

    async def telegram_person(self, telegram_user_id: int) -> Principal | None:
        """The customer a Telegram account is bound to, or None (a guest)."""
        async with self.db.reader() as s:
            link = await s.get(TelegramLink, telegram_user_id)
            user = await s.get(User, link.user_id) if link is not None else None
        return principal_of(user).signed_in(Assurance.PASSWORD, None) if user is not None else None

    async def unlink_telegram(self, principal: Principal) -> bool:
        """Unbind the caller's Telegram account (and stop notifications there); whether there was one."""
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            user = await own_account(s, principal)
            if user is None:
                return False
            gone = rows_changed(await s.execute(delete(TelegramLink).where(TelegramLink.user_id == user.id)))
            if gone:
                await _hear_on_telegram(s, principal.person, False)
                self._audit(s, user, "auth.telegram_unlinked", "ok", "")
            return gone > 0
