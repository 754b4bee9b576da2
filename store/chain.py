"""Chain-side tables: where the contracts are, customers' custodial accounts, DAO proposal numbers, COFFEE moves.

Balances, votes and proposal outcomes are never stored here: they are read from the chain. These rows only
remember what the chain cannot tell us (which customer owns which address, a short number per proposal).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


class ChainDeployment(Base):
    """The platform's contracts on one chain (chain id + genesis hash: a reset node is another chain)."""

    __tablename__ = "chain_deployments"
    chain_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    genesis: Mapped[str] = mapped_column(String(66), primary_key=True)
    block: Mapped[int] = mapped_column(BigInteger)
    token: Mapped[str] = mapped_column(String(42))
    timelock: Mapped[str] = mapped_column(String(42))
    governor: Mapped[str] = mapped_column(String(42))
    escrow: Mapped[str] = mapped_column(String(42))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CustodialAccount(Base):
    """A customer's chain account; the private key is sealed with the platform's wallet key, never shown."""

    __tablename__ = "custodial_accounts"
    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(42), unique=True)
    sealed_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Proposal(Base):
    """A DAO proposal made through the platform: its short number and how to rebuild its on-chain call."""

    __tablename__ = "dao_proposals"
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    governor: Mapped[str] = mapped_column(String(42), index=True)
    chain_proposal_id: Mapped[str] = mapped_column(String(80), unique=True)
    ref: Mapped[str] = mapped_column(String(32), doc="Makes the on-chain description unique, and stable on retry.")
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    proposer: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))
    grant_to: Mapped[str | None] = mapped_column(String(64))
    grant_hundredths: Mapped[int | None] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = mapped_column(String(66))
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
