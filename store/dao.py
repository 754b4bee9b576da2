"""The DAO's proposals: a short number per on-chain proposal (votes and outcomes are read from the chain)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


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
