"""Email deliveries: claimed from the outbox, sent over SMTP, recorded; retried with backoff, never sent twice.

A worker claims a due delivery with a conditional UPDATE (pending, or a claim whose lease ran out) and sends it with a
Message-ID fixed by the delivery, so two workers, a retry after an SMTP failure, or a restart never make a second
delivery row or a second claim. The one window left is a crash after the SMTP server took the message and before the
worker recorded it; the lease then runs out and it is sent again, with the same Message-ID for the receiver to drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import urlsplit

import aiosmtplib
from sqlalchemy import select, update

from store.engine import Database, rows_changed
from store.notifications import Delivery, Notification

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class SmtpMailer:
    """SMTP at a URL: smtp://[user:password@]host:port (smtps:// for implicit TLS)."""

    url: str
    sender: str = "Go Coffee <noreply@gocoffee.example>"
    timeout: float = 10.0

    async def send(self, message: EmailMessage) -> None:
        parts = urlsplit(self.url)
        message["From"] = self.sender
        await aiosmtplib.send(message, hostname=parts.hostname or "127.0.0.1", port=parts.port or 25,
                              username=parts.username, password=parts.password, use_tls=parts.scheme == "smtps",
                              timeout=self.timeout)


def backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY)


def _message(d: Delivery, n: Notification) -> EmailMessage:
    message = EmailMessage()
    message["To"] = d.address or ""
    message["Subject"] = f"Go Coffee: {n.topic.replace('_', ' ')}"
    message["Message-ID"] = f"<delivery-{d.id}@gocoffee.example>"
    message.set_content(n.text)
    return message


async def _claim(db: Database, now: datetime, batch: int) -> list[tuple[Delivery, Notification]]:
    async with db.write_turn(), db.writer() as session, session.begin():
        due = (Delivery.channel == "email") & Delivery.state.in_(("pending", "sending")) & (
            Delivery.next_attempt_at <= now)
        ids = (await session.scalars(select(Delivery.id).where(due).order_by(Delivery.id).limit(batch))).all()
        claimed = []
        for delivery_id in ids:
            done = await session.execute(update(Delivery).where(due, Delivery.id == delivery_id).values(
                state="sending", attempts=Delivery.attempts + 1, next_attempt_at=now + LEASE))
            if rows_changed(done) == 1:
                claimed.append(delivery_id)
        rows = (await session.execute(select(Delivery, Notification).join(
            Notification, Notification.id == Delivery.notification_id).where(Delivery.id.in_(claimed)))).all()
        return [(d, n) for d, n in rows]


async def _record(db: Database, d: Delivery, now: datetime, error: str | None) -> None:
    """The claim's outcome, if the claim is still this worker's (same attempt, still sending)."""
    if error is None:
        values: dict[str, object] = {"state": "sent", "sent_at": now, "last_error": None}
    elif d.attempts >= MAX_ATTEMPTS:
        values = {"state": "failed", "last_error": error[:300]}
    else:
        values = {"state": "pending", "next_attempt_at": now + backoff(d.attempts), "last_error": error[:300]}
    async with db.write_turn(), db.writer() as session, session.begin():
        await session.execute(update(Delivery).where(Delivery.id == d.id, Delivery.state == "sending",
                                                     Delivery.attempts == d.attempts).values(**values))


async def deliver_due(db: Database, mailer: Mailer, now: datetime, batch: int = 50) -> int:
    """Send the email deliveries that are due; returns how many were sent."""
    sent = 0
    for d, n in await _claim(db, now, batch):
        try:
            await mailer.send(_message(d, n))
        except (aiosmtplib.SMTPException, OSError) as exc:
            await _record(db, d, now, f"{type(exc).__name__}: {exc}")
            continue
        await _record(db, d, now, None)
        sent += 1
    return sent


async def pending(db: Database) -> int:
    async with db.reader() as session:
        return len((await session.scalars(select(Delivery.id).where(
            Delivery.channel == "email", Delivery.state.in_(("pending", "sending"))))).all())

