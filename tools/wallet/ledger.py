"""The double-entry ledger: every movement is a transaction whose entries sum to zero per unit.

Customer accounts (`wallet:<id>` in cents, `points:<id>` in points) never go below zero: the balance is
taken with one conditional UPDATE, so two payments racing for the last dollars cannot both succeed, on
SQLite or Postgres. House accounts (`house:…`) are the other side of every movement and may go negative.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.engine import rows_changed
from store.wallet import Account, LedgerEntry, LedgerTxn
from tools.errors import InsufficientFunds

Unit = Literal["cents", "points"]
TOPUPS, SALES, LOYALTY = "house:topups", "house:sales", "house:loyalty"
POINTS_PER_DOLLAR = 1
"""Loyalty: one point per whole dollar paid (documented in the README)."""


def wallet(customer_id: str) -> str:
    return f"wallet:{customer_id}"


def points(customer_id: str) -> str:
    return f"points:{customer_id}"


@dataclass(frozen=True)
class Move:
    account: str
    unit: Unit
    amount: int


async def balance(session: AsyncSession, account: str, unit: Unit) -> int:
    return int(await session.scalar(select(Account.balance).where(Account.id == account, Account.unit == unit)) or 0)


async def post(session: AsyncSession, kind: str, now: datetime, moves: list[Move], *, payment_id: str | None = None,
               memo: str | None = None) -> LedgerTxn:
    """Record one balanced transaction and apply it to the accounts; nothing is written if a customer account
    would go below zero (InsufficientFunds names it)."""
    totals: dict[str, int] = defaultdict(int)
    for m in moves:
        totals[m.unit] += m.amount
    if any(totals.values()):
        raise ValueError(f"unbalanced ledger transaction {kind}: {dict(totals)}")
    for m in moves:
        await _apply(session, m)
    txn = LedgerTxn(kind=kind, payment_id=payment_id, at=now, memo=memo,
                    entries=[LedgerEntry(account=m.account, unit=m.unit, amount=m.amount) for m in moves if m.amount])
    session.add(txn)
    await session.flush()
    return txn


async def _apply(session: AsyncSession, move: Move) -> None:
    if await session.get(Account, (move.account, move.unit)) is None:
        session.add(Account(id=move.account, unit=move.unit, balance=0))
        await session.flush()
    query = update(Account).where(Account.id == move.account, Account.unit == move.unit)
    if not move.account.startswith("house:") and move.amount < 0:
        query = query.where(Account.balance >= -move.amount)
    done = await session.execute(query.values(balance=Account.balance + move.amount)
                                 .execution_options(synchronize_session=False))
    if rows_changed(done) != 1:
        have = await balance(session, move.account, move.unit)
        raise InsufficientFunds(f"{move.account} has {have} {move.unit}; {-move.amount} needed",
                                account=move.account, unit=move.unit, balance=have, needed=-move.amount)


async def drift(session: AsyncSession) -> dict[str, int]:
    """Per unit: the sum of all entries (must be 0) and how far account balances are from their entries."""
    sums = dict((await session.execute(select(LedgerEntry.unit, func.sum(LedgerEntry.amount))
                                       .group_by(LedgerEntry.unit))).all())
    entries = dict((await session.execute(select(LedgerEntry.account + "|" + LedgerEntry.unit,
                                                 func.sum(LedgerEntry.amount)).group_by(LedgerEntry.account,
                                                                                       LedgerEntry.unit))).all())
    off = sum(abs(a.balance - int(entries.get(f"{a.id}|{a.unit}", 0))) for a in await session.scalars(select(Account)))
    return {**{f"sum_{unit}": int(total) for unit, total in sums.items()}, "accounts_off": off}
