"""Where the platform's contracts are deployed, per chain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
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
