"""Each person's in-app inbox (what has been said to them, once quiet hours let it through) and their preferences."""

from __future__ import annotations

from sqlalchemy import select, update

from store.notifications import Delivery, Notification, NotificationPrefs
from tools.context import ToolContext
from tools.errors import NotFound
from tools.notifications.models import Inbox, InboxItem, InboxQuery, MarkRead, Mine, PrefsOut, PrefsUpdate
from tools.notifications.outbox import prefs_of
from tools.notifications.send import unread
from tools.principal import CUSTOMERS_AND_STAFF, Role
from tools.registry import Rest, Talk, capability

NIGHT = ("22:00", "07:00")


def _people(ctx: ToolContext) -> list[str]:
    """Who the caller is as a recipient: a manager who is also on the staff reads both."""
    p = ctx.principal
    return [p.person, f"staff:{p.id}"] if p.role == Role.MANAGER else [p.person]


@capability(domain="notifications", roles=CUSTOMERS_AND_STAFF, rest=Rest("GET", "/notifications"), talk=Talk(
    asks=("notifications", "my messages", "inbox", "any messages", "anything for me", "been told"),
    each="{notification_id}. {text}", empty="Nothing in your inbox.", done="{listed}."))
async def list_notifications(ctx: ToolContext, cmd: InboxQuery) -> Inbox:
    """Your inbox, newest first: what has been said to you (held back during your quiet hours)."""
    people = _people(ctx)
    query = (select(Delivery, Notification).join(Notification, Notification.id == Delivery.notification_id)
             .where(Delivery.recipient.in_(people), Delivery.channel == "inbox", Delivery.not_before <= ctx.now())
             .order_by(Delivery.not_before.desc(), Delivery.id.desc()).limit(200))
    if cmd.since is not None:
        query = query.where(Delivery.not_before > cmd.since)
    if cmd.unread:
        query = query.where(Delivery.read_at.is_(None))
    rows = (await ctx.session.execute(query)).all()
    return Inbox(items=[InboxItem(notification_id=n.id, delivery_id=d.id, topic=n.topic, text=n.text, link=n.link,
                                  at=d.not_before, read=d.read_at is not None) for d, n in rows],
                 unread=await unread(ctx, people))


@capability(domain="notifications", roles=CUSTOMERS_AND_STAFF, mutating=True,
            rest=Rest("POST", "/notifications/{notification_id}/read"))
async def mark_notification_read(ctx: ToolContext, cmd: MarkRead) -> Inbox:
    """Mark one notification in your inbox read (again is no change)."""
    done = await ctx.session.execute(update(Delivery).where(
        Delivery.notification_id == cmd.notification_id, Delivery.recipient.in_(_people(ctx)),
        Delivery.channel == "inbox", Delivery.not_before <= ctx.now(), Delivery.read_at.is_(None)
    ).values(read_at=ctx.now()).returning(Delivery.id))
    if not done.all() and await ctx.session.scalar(select(Delivery.id).where(
            Delivery.notification_id == cmd.notification_id, Delivery.recipient.in_(_people(ctx)),
            Delivery.channel == "inbox")) is None:
        raise NotFound(f"no notification {cmd.notification_id} in your inbox", notification_id=cmd.notification_id)
    return await list_notifications(ctx, InboxQuery(unread=True))


def _prefs_out(prefs: NotificationPrefs) -> PrefsOut:
    quiet = (f"quiet from {prefs.quiet_from} until {prefs.quiet_until} ({prefs.timezone}); critical ones still come "
             "through") if prefs.quiet_from else "no quiet hours"
    return PrefsOut(person=prefs.person, channels=list(prefs.channels), email=prefs.email, muted=list(prefs.muted),
                    quiet_from=prefs.quiet_from, quiet_until=prefs.quiet_until, timezone=prefs.timezone, quiet=quiet)


@capability(domain="notifications", roles=CUSTOMERS_AND_STAFF, rest=Rest("GET", "/notifications/preferences"))
async def get_notification_preferences(ctx: ToolContext, cmd: Mine) -> PrefsOut:
    """Your notification preferences: channels, muted topics, quiet hours (in your shop's time zone)."""
    return _prefs_out(await prefs_of(ctx.session, ctx.principal.person))


@capability(domain="notifications", roles=CUSTOMERS_AND_STAFF, mutating=True,
            rest=Rest("PATCH", "/notifications/preferences"), talk=Talk(
                asks=("stop sending", "quiet hours", "at night", "don't notify", "do not notify", "don't message",
                      "stop notifying", "stop alerts", "no alerts", "overnight", "any time"),
                confirm="Shall I set your quiet hours: {quiet}?",
                done="Done: {quiet}.",
                values={"overnight": ("at night", "overnight", "night", "nights"),
                        "never": ("any time", "anytime", "no quiet hours", "all the time")}))
async def set_notification_preferences(ctx: ToolContext, cmd: PrefsUpdate) -> PrefsOut:
    """Change your channels, email address, muted topics or quiet hours ("overnight" is 22:00 until 07:00). Quiet hours
    hold notifications back until they end; critical ones (an order ready, security, a shift starting within 12 h
    changed) come through anyway."""
    current = await prefs_of(ctx.session, ctx.principal.person)
    prefs = await ctx.session.get(NotificationPrefs, current.person)
    if prefs is None:
        prefs = current
        ctx.session.add(prefs)
    if cmd.channels is not None:
        prefs.channels = list(dict.fromkeys(cmd.channels))
    if cmd.email is not None:
        prefs.email = cmd.email
    prefs.muted = sorted((set(prefs.muted) | set(cmd.mute)) - set(cmd.unmute))
    if cmd.quiet == "overnight":
        prefs.quiet_from, prefs.quiet_until = NIGHT
    elif cmd.quiet == "never":
        prefs.quiet_from = prefs.quiet_until = None
    elif cmd.quiet_from is not None and cmd.quiet_until is not None:
        prefs.quiet_from, prefs.quiet_until = f"{cmd.quiet_from:%H:%M}", f"{cmd.quiet_until:%H:%M}"
    await ctx.session.flush()
    return _prefs_out(prefs)
