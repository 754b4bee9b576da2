"""Saying something to people: resolve who, apply each person's preferences, write one delivery per channel.

Called inside the transaction of the change that causes it (a shift moved, a task assigned, an order ready), so the
notification exists exactly when the change does. Quiet hours defer a delivery (`not_before`); they never drop it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.accounts import TelegramLink, User
from store.menu import Location
from store.notifications import Delivery, Notification, NotificationPrefs
from store.orders import Order
from store.scheduling import StaffMember

OPEN_ORDERS = ("placed", "paid", "queued", "brewing", "ready")
CRITICAL = frozenset({"order_ready", "security"})
UTC = ZoneInfo("UTC")


def audience_of(kind: str, location_id: str) -> str:
    """"staff@downtown", "customers@downtown", "keyholder@downtown"."""
    return f"{kind}@{location_id}"


async def recipients(session: AsyncSession, audience: str) -> list[str]:
    """The people an audience names, as `role:id`."""
    if ":" in audience:
        return [audience]
    kind, _, shop = audience.partition("@")
    if kind == "customers":
        rows = await session.scalars(select(Order.customer_id).where(Order.location_id == shop,
                                                                     Order.state.in_(OPEN_ORDERS)).distinct())
        return sorted(f"customer:{c}" for c in rows.all())
    people = (await session.scalars(select(StaffMember).order_by(StaffMember.id))).all()
    return [f"staff:{m.id}" for m in people if shop in m.locations and (kind == "staff" or kind in m.skills)]


async def prefs_of(session: AsyncSession, person: str) -> NotificationPrefs:
    """A person's preferences, or the defaults: the inbox, nothing muted, no quiet hours, their shop's time zone."""
    found = await session.get(NotificationPrefs, person)
    if found is not None:
        return found
    role, _, ident = person.partition(":")
    zone = "UTC"
    if role in ("staff", "manager") and (member := await session.get(StaffMember, ident)) is not None:
        zone = (await session.get(Location, member.home_location_id) or Location(timezone="UTC")).timezone
    return NotificationPrefs(person=person, channels=["inbox"], muted=[], quiet_from=None, quiet_until=None,
                             timezone=zone, email=None)


def quiet_end(prefs: NotificationPrefs, now: datetime) -> datetime | None:
    """When the quiet hours `now` falls in end, or None if it is not in them."""
    if not prefs.quiet_from or not prefs.quiet_until:
        return None
    local = now.astimezone(ZoneInfo(prefs.timezone))
    start, end = time.fromisoformat(prefs.quiet_from), time.fromisoformat(prefs.quiet_until)
    at = local.time()
    inside = start <= at < end if start < end else (at >= start or at < end)
    if not inside:
        return None
    day = local.date() + timedelta(days=1) if start > end and at >= start else local.date()
    return datetime.combine(day, end, ZoneInfo(prefs.timezone)).astimezone(UTC)


async def _unverified(session: AsyncSession, email: str) -> bool:
    """An account's address not yet verified: nothing but the verification is sent to it."""
    verified = await session.scalar(select(User.email_verified).where(User.email == email.lower()))
    return verified is False


async def address_of(session: AsyncSession, person: str, channel: str, prefs: NotificationPrefs) -> str | None:
    """Where a channel reaches the person: a verified email address, or a linked Telegram chat; None: it cannot."""
    if channel == "email":
        return prefs.email if prefs.email and not await _unverified(session, prefs.email) else None
    role, _, ident = person.partition(":")
    link = await session.scalar(select(TelegramLink).where(TelegramLink.user_id == ident))
    return str(link.chat_id) if link is not None and role == "customer" else None


async def notify(session: AsyncSession, now: datetime, *, topic: str, audience: str, text: str, by: str,
                 link: str | None = None, critical: bool = False) -> Notification:
    """Write the notification and its deliveries (in the caller's transaction)."""
    critical = critical or topic in CRITICAL
    note = Notification(topic=topic, audience=audience, text=text[:1000], critical=critical, link=link,
                        created_by=by, created_at=now)
    session.add(note)
    await session.flush()
    for person in await recipients(session, audience):
        prefs = await prefs_of(session, person)
        if topic in prefs.muted and not critical:
            continue
        at = now if critical else (quiet_end(prefs, now) or now)
        for channel in prefs.channels:
            address = None if channel == "inbox" else await address_of(session, person, channel, prefs)
            if channel != "inbox" and address is None:
                continue
            session.add(Delivery(notification_id=note.id, recipient=person, channel=channel, address=address,
                                 state="sent" if channel == "inbox" else "pending", not_before=at,
                                 next_attempt_at=at, attempts=0, sent_at=at if channel == "inbox" else None))
    await session.flush()
    return note
