"""Notifications: what was said to whom, each person's delivery on each channel, and their preferences.

A delivery row is written in the same transaction as the change that caused it (the outbox), and is unique per
notification, person and channel: the worker that sends it can retry, and a restart cannot make a second one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


class Notification(Base):
    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(30))
    audience: Mapped[str] = mapped_column(String(80))
    """Who it was for: a person ("staff:anna"), a role at a shop ("keyholder@downtown"), everyone on a shop's staff
    ("staff@downtown") or the customers with open orders there ("customers@downtown")."""
    text: Mapped[str] = mapped_column(String(1000))
    critical: Mapped[bool] = mapped_column()
    """Said through quiet hours and mutes: an order ready, security, a shift starting within 12 h changed."""
    link: Mapped[str | None] = mapped_column(String(60))
    """What it is about: "shift:12", "task:5", "order:9"."""
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Delivery(Base):
    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("notification_id", "recipient", "channel", name="one_per_channel"),
                      Index("ix_deliveries_due", "channel", "state", "next_attempt_at"),
                      Index("ix_deliveries_recipient", "recipient", "channel", "id"))
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"))
    recipient: Mapped[str] = mapped_column(String(120))
    """A person, `role:id` ("staff:anna", "customer:c1")."""
    channel: Mapped[str] = mapped_column(String(12))
    """inbox or email (telegram with the channels issue)."""
    address: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(12))
    """pending, sending (claimed by a worker until next_attempt_at), sent or failed (out of attempts)."""
    not_before: Mapped[datetime] = mapped_column(UTCDateTime())
    """Quiet hours defer a delivery to here; they never drop it."""
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationPrefs(Base):
    """A person's choices; without a row, the defaults (every channel they have, nothing muted, no quiet hours)."""

    __tablename__ = "notification_prefs"
    person: Mapped[str] = mapped_column(String(120), primary_key=True)
    channels: Mapped[list[str]] = mapped_column()
    muted: Mapped[list[str]] = mapped_column()
    quiet_from: Mapped[str | None] = mapped_column(String(5))
    quiet_until: Mapped[str | None] = mapped_column(String(5))
    """Local "HH:MM" in the person's time zone; from 22:00 until 07:00 spans midnight."""
    timezone: Mapped[str] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
