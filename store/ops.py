"""Operational tables: the audit log and stored idempotent responses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    principal: Mapped[str] = mapped_column(String(120), index=True)
    capability: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))


class IdempotencyRecord(Base):
    """A mutating call's response, keyed by (principal, key): a retry gets this instead of a second effect."""

    __tablename__ = "idempotency_records"
    principal: Mapped[str] = mapped_column(String(120), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    capability: Mapped[str] = mapped_column(String(60))
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


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
