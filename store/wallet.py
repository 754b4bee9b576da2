"""The double-entry ledger (stored value and points) and the custodial COFFEE accounts and moves.

COFFEE balances are never stored here: they are read from the chain. These rows only remember what the chain cannot tell us
(which customer owns which address, which transfers the platform made)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.base import Base, UTCDateTime


class Account(Base):
    """A running balance per account and unit; the ledger's entries for it always sum to `balance`."""

    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    unit: Mapped[str] = mapped_column(String(8), primary_key=True)
    balance: Mapped[int] = mapped_column(default=0)


class LedgerTxn(Base):
    """One movement of value: a top-up, a payment, a refund, points earned."""

    __tablename__ = "ledger_txns"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    payment_id: Mapped[str | None] = mapped_column(ForeignKey("payments.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    memo: Mapped[str | None] = mapped_column(String(200))
    entries: Mapped[list[LedgerEntry]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class LedgerEntry(Base):
    """A signed amount on one account, in one unit ('cents' or 'points'); a transaction's entries balance per unit."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_account_unit", "account", "unit"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    txn_id: Mapped[int] = mapped_column(ForeignKey("ledger_txns.id"), index=True)
    account: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column()


class CustodialAccount(Base):
    """A customer's chain account; the private key is sealed with the platform's wallet key, never shown."""

    __tablename__ = "custodial_accounts"
    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(42), unique=True)
    sealed_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CoffeeMove(Base):
    """A COFFEE movement the platform made for a customer, for their wallet history (the chain has the truth)."""

    __tablename__ = "coffee_moves"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    hundredths: Mapped[int] = mapped_column(BigInteger, doc="Signed, in hundredths of a COFFEE.")
    counterparty: Mapped[str | None] = mapped_column(String(64))
    tx_hash: Mapped[str] = mapped_column(String(66))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
