"""Telling people: one person, or a whole audience at a shop (an agent's broadcast waits for a human's yes); and
what happened to each delivery."""

from __future__ import annotations

from typing import get_args

from sqlalchemy import func, select

from store.notifications import Delivery, Notification
from store.scheduling import StaffMember
from tools.context import ToolContext
from tools.errors import NotFound
from tools.inventory import ensure_location_scope
from tools.notifications.models import (
    BroadcastNotification,
    DeliveryList,
    DeliveryOut,
    DeliveryQuery,
    SendNotification,
    SentOut,
    Topic,
)
from tools.notifications.outbox import audience_of, notify
from tools.principal import MANAGERS, STAFF_ONLY
from tools.registry import Rest, Talk, capability
from tools.tasks.board import ROLE_WORDS

UNSAID_TOPICS: dict[str, tuple[str, ...]] = {t: () for t in get_args(Topic)}
"""A topic is chosen by the caller, never read from the message's own words ("her shift changed" is a message)."""


async def _sent(ctx: ToolContext, note: Notification) -> SentOut:
    rows = (await ctx.session.execute(select(Delivery.recipient, Delivery.not_before).where(
        Delivery.notification_id == note.id))).all()
    return SentOut(notification_id=note.id, audience=note.audience, text=note.text,
                   recipients=len({r for r, _ in rows}), deferred=len({r for r, at in rows if at > ctx.now()}))


@capability(domain="notifications", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/notifications", 201),
            talk=Talk(asks=("tell", "let", "know", "ping", "message", "notify", "remind"),
                      unless=("everyone", "all staff", "the team", "customers", "everybody", "all the"),
                      confirm="Shall I tell {staff_id}: \"{text}\"?", done="Sent: \"{text}\".",
                      questions={"text": "What should I tell them?"}, values=UNSAID_TOPICS))
async def send_notification(ctx: ToolContext, cmd: SendNotification) -> SentOut:
    """Tell one member of staff something (their inbox, and email if they chose it); quiet hours defer it."""
    if await ctx.session.get(StaffMember, cmd.staff_id) is None:
        raise NotFound(f"no staff member {cmd.staff_id!r}", staff_id=cmd.staff_id)
    note = await notify(ctx.session, ctx.now(), topic=cmd.topic, audience=f"staff:{cmd.staff_id}", text=cmd.text,
                        by=ctx.principal.person)
    return await _sent(ctx, note)


@capability(domain="notifications", roles=STAFF_ONLY, mutating=True, needs_approval=True,
            rest=Rest("POST", "/notifications/broadcasts", 201), talk=Talk(
                asks=("tell everyone", "everyone", "all staff", "the team", "everybody", "announce", "broadcast",
                      "customers", "let all"),
                confirm="Shall I tell {audience} at {location_id}: \"{text}\"? (A person approves a broadcast first.)",
                done="Sent to {recipients} people at {location_id}.",
                questions={"text": "What should I tell them?"},
                values={**UNSAID_TOPICS, "customers": ("customers", "customer"), **ROLE_WORDS,
                        "staff": ("everyone", "all staff", "the team", "everybody", "staff")}))
async def broadcast_notification(ctx: ToolContext, cmd: BroadcastNotification) -> SentOut:
    """Tell everyone on a shop's staff, one role there, or the customers with open orders there. Asked by an
    agent, it waits for a human's approval."""
    ensure_location_scope(ctx.principal, cmd.location_id)
    note = await notify(ctx.session, ctx.now(), topic=cmd.topic, audience=audience_of(cmd.audience, cmd.location_id),
                        text=cmd.text, by=ctx.principal.person)
    return await _sent(ctx, note)


@capability(domain="notifications", roles=MANAGERS, rest=Rest("GET", "/notifications/deliveries"))
async def list_deliveries(ctx: ToolContext, cmd: DeliveryQuery) -> DeliveryList:
    """What happened to each delivery, newest first: pending (perhaps deferred by quiet hours), sent, or failed
    after its retries, with the last error."""
    query = select(Delivery).order_by(Delivery.id.desc()).limit(200)
    if cmd.state:
        query = query.where(Delivery.state == cmd.state)
    if cmd.recipient:
        query = query.where(Delivery.recipient == cmd.recipient)
    rows = (await ctx.session.scalars(query)).all()
    return DeliveryList(deliveries=[DeliveryOut(
        delivery_id=d.id, notification_id=d.notification_id, recipient=d.recipient, channel=d.channel, state=d.state,
        attempts=d.attempts, last_error=d.last_error, not_before=d.not_before, sent_at=d.sent_at) for d in rows])


async def unread(ctx: ToolContext, people: list[str]) -> int:
    return int(await ctx.session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.recipient.in_(people), Delivery.channel == "inbox", Delivery.read_at.is_(None),
        Delivery.not_before <= ctx.now())) or 0)
