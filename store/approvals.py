"""Agent actions waiting for (or decided by) a human."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


class Approval(Base):
    """An agent's tool call waiting for (or decided by) a human; the paused run resumes with the decision."""

    __tablename__ = "approvals"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    thread_id: Mapped[str] = mapped_column(String(200), index=True)
    tool: Mapped[str] = mapped_column(String(60))
    location_id: Mapped[str | None] = mapped_column(String(40), index=True)
    """The shop the action is for (None: chain-wide); its staff, or a manager, decide."""
    arguments: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
