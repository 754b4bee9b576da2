"""A customer's own data: an export of everything held about them, and erasure.

Erasure removes what identifies the person — the account, sessions, notifications and preferences, stored replies
of their calls — and moves what must stay (orders, payments, the ledger, COFFEE moves, the custodial wallet whose
address is on chain, DAO proposals, the audit trail) to a random pseudonym, all in one transaction. Every reference
moves together, so balances, ledger sums and on-chain history stay consistent; nothing links the pseudonym back.
The person's conversations are deleted by the caller (channels: `Conversations.forget`)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import Column, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.accounts import AccountToken, RefreshToken, TelegramLink, User
from store.approvals import Approval
from store.audit import AuditEntry, IdempotencyRecord
from store.dao import Proposal
from store.notifications import Delivery, Notification, NotificationPrefs
from store.orders import Order, OrderLine
from store.payments import Payment
from store.wallet import Account, CoffeeMove, CustodialAccount, LedgerEntry
from tools.accounts import passwords
from tools.accounts.core import AccountsCore
from tools.errors import Forbidden, NotFound, Unauthenticated
from tools.principal import Principal, Role

LEDGER_PREFIXES = ("wallet", "points")
HIDDEN = {"password_hash", "mfa_secret", "recovery_codes", "sealed_key", "token_hash", "scopes"}


def _plain(row: Any) -> dict[str, Any]:
    return {c.name: (v.isoformat() if isinstance(v := getattr(row, c.key), datetime) else v)
            for c in row.__table__.columns if c.name not in HIDDEN}


async def _rows(s: AsyncSession, model: Any, *where: Any) -> list[dict[str, Any]]:
    return [_plain(r) for r in (await s.scalars(select(model).where(*where))).all()]


def _theirs(column: Column[str] | Any, person: str) -> Any:
    """`customer:c1` and `customer:c1@shop`."""
    return or_(column == person, column.like(f"{person}@%"))


class Privacy(AccountsCore):
    async def _customer(self, s: AsyncSession, principal: Principal) -> User:
        user = await s.get(User, principal.id)
        if principal.role is not Role.CUSTOMER or user is None or user.role != Role.CUSTOMER.value:
            raise Forbidden("export and erasure are for a customer's own account")
        return user

    async def export(self, principal: Principal) -> dict[str, Any]:
        cid, person = principal.id, principal.person
        async with self.db.reader() as s:
            user = await self._customer(s, principal)
            orders = await _rows(s, Order, Order.customer_id == cid)
            ids = [o["id"] for o in orders]
            accounts = [f"{p}:{cid}" for p in LEDGER_PREFIXES]
            return {
                "account": _plain(user), "orders": orders,
                "order_lines": await _rows(s, OrderLine, OrderLine.order_id.in_(ids)),
                "payments": await _rows(s, Payment, Payment.customer_id == cid),
                "balances": await _rows(s, Account, Account.id.in_(accounts)),
                "ledger_entries": await _rows(s, LedgerEntry, LedgerEntry.account.in_(accounts)),
                "coffee_wallet": await _rows(s, CustodialAccount, CustodialAccount.customer_id == cid),
                "coffee_moves": await _rows(s, CoffeeMove, CoffeeMove.customer_id == cid),
                "dao_proposals": await _rows(s, Proposal, Proposal.proposer == cid),
                "notifications": await _rows(s, Notification, Notification.id.in_(
                    select(Delivery.notification_id).where(Delivery.recipient == person))),
                "notification_preferences": await _rows(s, NotificationPrefs, NotificationPrefs.person == person),
                "sessions": await _rows(s, RefreshToken, RefreshToken.user_id == cid),
                "telegram": await _rows(s, TelegramLink, TelegramLink.user_id == cid),
            }

    async def confirm_password(self, principal: Principal, password: str) -> None:
        async with self.db.reader() as s:
            user = await self._customer(s, principal)
        if not await passwords.matches(password, user.password_hash):
            raise Unauthenticated("the password is not right")

    async def erase(self, principal: Principal, password: str) -> None:
        await self.confirm_password(principal, password)
        cid, alias = principal.id, f"erased-{secrets.token_hex(8)}"
        person, moved = principal.person, f"customer:{alias}"
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            user = await s.get(User, cid, with_for_update=True)
            if user is None:
                raise NotFound("no account for this caller")
            await self._forget_personal(s, cid, person)
            await self._move_kept(s, cid, alias, person, moved)
            s.add(AuditEntry(at=self.clock(), principal=moved, capability="auth.erased", outcome="ok", detail="",
                             idempotency_key=None))

    @staticmethod
    async def _forget_personal(s: AsyncSession, cid: str, person: str) -> None:
        notes = select(Notification.id).where(Notification.audience == person)
        await s.execute(delete(Delivery).where(or_(Delivery.recipient == person, Delivery.notification_id.in_(notes))))
        await s.execute(delete(Notification).where(Notification.audience == person))
        await s.execute(delete(NotificationPrefs).where(NotificationPrefs.person == person))
        await s.execute(delete(IdempotencyRecord).where(IdempotencyRecord.principal == person))
        await s.execute(delete(AccountToken).where(AccountToken.user_id == cid))
        await s.execute(delete(TelegramLink).where(TelegramLink.user_id == cid))
        await s.execute(delete(RefreshToken).where(RefreshToken.user_id == cid))
        await s.execute(delete(User).where(User.id == cid))

    async def _move_kept(self, s: AsyncSession, cid: str, alias: str, person: str, moved: str) -> None:
        for model, column in ((Order, Order.customer_id), (Payment, Payment.customer_id),
                              (CoffeeMove, CoffeeMove.customer_id), (CoffeeMove, CoffeeMove.counterparty),
                              (Proposal, Proposal.proposer), (Proposal, Proposal.grant_to)):
            await s.execute(update(model).where(column == cid).values({column.key: alias}))
        for prefix in LEDGER_PREFIXES:
            await s.execute(update(Account).where(Account.id == f"{prefix}:{cid}").values(id=f"{prefix}:{alias}"))
            await s.execute(update(LedgerEntry).where(LedgerEntry.account == f"{prefix}:{cid}")
                            .values(account=f"{prefix}:{alias}"))
        wallet = await s.get(CustodialAccount, cid)
        if wallet is not None:  # its key is sealed to the customer id: sealed again under the pseudonym
            key = self.vault.open(cid, wallet.sealed_key)
            await s.execute(update(CustodialAccount).where(CustodialAccount.customer_id == cid).values(
                customer_id=alias, sealed_key=self.vault.seal(alias, key)))
        await s.execute(update(AuditEntry).where(_theirs(AuditEntry.principal, person)).values(principal=moved))
        await s.execute(update(Approval).where(_theirs(Approval.requested_by, person)).values(requested_by=moved))
