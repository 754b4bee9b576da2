"""People and shifts: staff members, the shifts of each shop's rota, and time off."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


class StaffMember(Base):
    """A person on the rota; signs in as `staff:<id>@<home_location_id>` (or `manager:<id>`)."""

    __tablename__ = "staff"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    home_location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    locations: Mapped[list[str]] = mapped_column()
    """The shops this person works at."""
    skills: Mapped[list[str]] = mapped_column()
    """barista, keyholder (opens and closes), baker, manager."""
    hourly_rate_cents: Mapped[int] = mapped_column()
    min_hours: Mapped[int] = mapped_column()
    max_hours: Mapped[int] = mapped_column()
    """Contracted hours per week."""
    availability: Mapped[dict[str, list[str]]] = mapped_column()
    """Weekday ("mon") -> local time ranges ("06:00-14:00") this person can work."""
    preferences: Mapped[dict[str, list[str]]] = mapped_column()
    """"prefer" / "avoid" -> weekdays."""


class Shift(Base):
    """One slot of a shop's rota: a role from start to end, held by a person or open."""

    __tablename__ = "shifts"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),
                      Index("ix_shifts_location_start", "location_id", "starts_at"))
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    role: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"), index=True)
    state: Mapped[str] = mapped_column(String(12))
    """draft, published or cancelled."""
    version: Mapped[int] = mapped_column()
    """Bumped by every change: a change made against an older version is refused (one of two wins)."""


class TimeOff(Base):
    """A person's request to be off from start to end, and who decided it."""

    __tablename__ = "time_off"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(12))
    """pending, approved or rejected."""
    decided_by: Mapped[str | None] = mapped_column(String(120))


class ShiftChange(Base):
    """A change to a published shift: the rota as published stays readable, and what changed since is visible."""

    __tablename__ = "shift_changes"
    __table_args__ = (Index("ix_shift_changes_location_at", "location_id", "changed_at"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    version: Mapped[int] = mapped_column()
    """The shift's version after the change."""
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    changed_by: Mapped[str] = mapped_column(String(120))
    before: Mapped[dict[str, Any]] = mapped_column()
    after: Mapped[dict[str, Any]] = mapped_column()
    """Each as {"day", "start", "end", "role", "staff_id", "held_by"}."""


class SwapRequest(Base):
    """A staff member asks a colleague to trade shifts; the colleague answers, and the rules decide if it can be."""

    __tablename__ = "swap_requests"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"))
    """The asker's shift."""
    other_shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"))
    asked_by: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    asked: Mapped[str] = mapped_column(ForeignKey("staff.id"), index=True)
    state: Mapped[str] = mapped_column(String(12))
    """pending, accepted, declined or cancelled."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
