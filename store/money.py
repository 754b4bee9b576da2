"""Money tables: payments of orders, and a double-entry ledger (every transaction's entries sum to zero)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.base import Base, UTCDateTime


class Account(Base):
    """A running balance per account and unit; the ledger's entries for it always sum to `balance`."""

    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    unit: Mapped[str] = mapped_column(String(8), primary_key=True)
    balance: Mapped[int] = mapped_column(default=0)


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("provider", "provider_ref", name="uq_payments_provider_ref"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column()
    refunded_cents: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(12))
    provider_ref: Mapped[str | None] = mapped_column(String(120))
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), doc="COFFEE: when the escrow released it.")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


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
