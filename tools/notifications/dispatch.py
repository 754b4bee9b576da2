"""The outbox's deliveries to the world (email, Telegram): claimed, handed to that channel's courier, recorded;
retried with backoff, never sent twice.

A worker claims a due delivery with a conditional UPDATE (pending, or a claim whose lease ran out), so two workers,
a retry after a failed send, or a restart never make a second delivery row or a second claim. The one window left
is a crash after the far side took the message and before the worker recorded it; the lease then runs out and it
is sent again (email carries a Message-ID fixed by the delivery for the receiver to drop a repeat).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update

from store.engine import Database, rows_changed
from store.notifications import Delivery, Notification

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)


class Undelivered(Exception):
    """A courier could not hand the message over this time (it is retried later)."""


class Courier(Protocol):
    @property
    def channel(self) -> str: ...

    async def deliver(self, delivery: Delivery, note: Notification) -> None:
        """Hand one message over; raise Undelivered if that failed."""


def backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY)


async def claim(db: Database, channel: str, now: datetime, batch: int) -> list[tuple[Delivery, Notification]]:
    async with db.write_turn(), db.writer() as session, session.begin():
        due = (Delivery.channel == channel) & Delivery.state.in_(("pending", "sending")) & (
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


async def deliver_due(db: Database, courier: Courier, now: datetime, batch: int = 50) -> int:
    """Hand the courier's due deliveries over; returns how many went."""
    sent = 0
    for d, n in await claim(db, courier.channel, now, batch):
        try:
            await courier.deliver(d, n)
        except Undelivered as exc:
            await _record(db, d, now, str(exc) or type(exc).__name__)
            continue
        await _record(db, d, now, None)
        sent += 1
    return sent


async def pending(db: Database, channel: str) -> int:
    async with db.reader() as session:
        return len((await session.scalars(select(Delivery.id).where(
            Delivery.channel == channel, Delivery.state.in_(("pending", "sending"))))).all())
