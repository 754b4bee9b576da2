"""The task board: what someone at a shop has to do, by when, and what it is about."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


class Task(Base):
    """One job on a shop's board, for a person or for whoever holds a role there."""

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_location_state", "location_id", "state"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(120))
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"), index=True)
    assignee_role: Mapped[str | None] = mapped_column(String(20))
    """barista, keyholder, baker or manager: anyone at the shop with that skill may do it."""
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    priority: Mapped[str] = mapped_column(String(8))
    """low, normal, high or urgent."""
    state: Mapped[str] = mapped_column(String(12))
    """open, done or cancelled."""
    about_kind: Mapped[str | None] = mapped_column(String(20))
    """machine, order, shift or purchase_order."""
    about_id: Mapped[str | None] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(12))
    """manual, recurring or kitchen."""
    key: Mapped[str | None] = mapped_column(String(120), unique=True)
    """Set for tasks the platform makes (a recurring rule's day, a machine's fault): made twice, it exists once."""
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_by: Mapped[str | None] = mapped_column(String(120))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column()
    """Bumped by every change: a change made against an older version is refused."""
