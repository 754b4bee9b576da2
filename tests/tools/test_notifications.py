"""Notifications' contract: what notifies whom (a shift moved, a task assigned, an order ready, a broadcast), quiet
hours that defer and never drop, mutes that critical topics ignore, the inbox; and email through the outbox over a
real SMTP server (aiosmtpd): delivered exactly once across an SMTP failure, two workers and a worker restart."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from gocoffee.bootstrap import Platform
from store.notifications import Delivery
from tests.callers import Caller, DirectCaller, Json
from tests.days import shop_today
from tests.mail import Inbox
from tests.tools.contract import ALICE, BARISTA, BOB, MANAGER, TWO_OAT_LATTES, refused
from tools.notifications.dispatch import LEASE, claim, deliver_due
from tools.notifications.mail import SmtpMailer
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio
ANNA = Principal(role=Role.STAFF, id="anna", location_id="downtown")
BEN = Principal(role=Role.STAFF, id="ben", location_id="downtown")
UTC = ZoneInfo("UTC")


async def _inbox(call: Caller, who: Principal) -> Json:
    return await call("list_notifications", {}, who)


def _quiet_around(now: datetime) -> dict[str, str]:
    local = now.astimezone(ZoneInfo("America/New_York"))
    return {"quiet_from": f"{(local - timedelta(hours=1)):%H:%M}", "quiet_until": f"{(local + timedelta(hours=1)):%H:%M}"}


async def test_a_task_given_to_someone_reaches_their_inbox_and_reading_it_clears_it(call: Caller) -> None:
    before = await _inbox(call, BEN)
    task = await call("create_task", {"title": "Count the float", "location_id": "downtown", "assignee_id": "ben"},
                      MANAGER)
    inbox = await _inbox(call, BEN)
    (new,) = [i for i in inbox["items"] if i not in before["items"]]
    assert new["topic"] == "task" and new["link"] == f"task:{task['task_id']}" and "Count the float" in new["text"]
    assert inbox["unread"] == before["unread"] + 1
    assert (await _inbox(call, ANNA))["items"] == []
    read = await call("mark_notification_read", {"notification_id": new["notification_id"]}, BEN)
    assert read["unread"] == before["unread"] and new["notification_id"] not in {i["notification_id"]
                                                                                 for i in read["items"]}
    await refused("not_found", call, "mark_notification_read", {"notification_id": new["notification_id"]}, ANNA)


async def test_bad_preferences_are_refused_and_change_nothing(call: Caller) -> None:
    before = await call("get_notification_preferences", {}, ANNA)
    await refused("invalid_input", call, "set_notification_preferences", {"quiet_from": "22:00"}, ANNA)
    await refused("invalid_input", call, "set_notification_preferences", {"email": "not-an-address"}, ANNA)
    await refused("invalid_input", call, "set_notification_preferences", {"channels": ["pigeon"]}, ANNA)
    assert await call("get_notification_preferences", {}, ANNA) == before
    night = await call("set_notification_preferences", {"quiet": "overnight"}, ANNA)
    assert (night["quiet_from"], night["quiet_until"], night["timezone"]) == ("22:00", "07:00", "America/New_York")


async def test_quiet_hours_defer_a_message_and_a_critical_one_comes_through(platform: Platform) -> None:
    call = DirectCaller(platform)
    now = datetime.now(UTC)
    await call("set_notification_preferences", {**_quiet_around(now), "mute": ["message", "security"]}, ANNA)
    await call("set_notification_preferences", _quiet_around(now), BEN)
    muted = await call("send_notification", {"staff_id": "anna", "text": "Team lunch on Friday"}, MANAGER)
    quiet = await call("send_notification", {"staff_id": "ben", "text": "Team lunch on Friday"}, MANAGER)
    assert (muted["recipients"], quiet["recipients"], quiet["deferred"]) == (0, 1, 1)
    assert (await _inbox(call, BEN))["items"] == []
    alarm = await call("send_notification", {"staff_id": "anna", "text": "The alarm code changed",
                                             "topic": "security"}, MANAGER)
    assert (alarm["recipients"], alarm["deferred"]) == (1, 0)
    assert [i["text"] for i in (await _inbox(call, ANNA))["items"]] == ["The alarm code changed"]
    async with platform.db.reader() as session:
        held = (await session.scalars(select(Delivery).where(Delivery.recipient == "staff:ben"))).all()
    assert [(d.channel, d.not_before > now + timedelta(minutes=50)) for d in held] == [("inbox", True)]


async def test_an_order_ready_tells_its_customer_and_a_broadcast_reaches_customers_with_open_orders(
        call: Caller) -> None:
    order = await call("create_order", TWO_OAT_LATTES, ALICE, "n-1")
    await call("advance_order", {"order_id": order["order_id"], "to_state": "paid"}, BARISTA)
    await call("advance_order", {"order_id": order["order_id"], "to_state": "ready"}, BARISTA)
    ready = (await _inbox(call, ALICE))["items"]
    assert [i["topic"] for i in ready] == ["order_ready"] and f"order {order['order_id']} is ready" in ready[0]["text"]
    sent = await call("broadcast_notification", {"location_id": "downtown", "audience": "customers",
                                                 "text": "We close at 3pm today"}, MANAGER)
    assert sent["recipients"] == 1 and sent["audience"] == "customers@downtown"
    assert (await _inbox(call, ALICE))["items"][0]["text"] == "We close at 3pm today"
    assert (await _inbox(call, BOB))["items"] == []
    await refused("forbidden", call, "broadcast_notification", {"location_id": "harbor", "text": "Hello"}, BARISTA)


async def test_moving_a_shift_tells_its_holder(call: Caller) -> None:
    day = shop_today() + timedelta(days=7)
    shift = next(s for s in (await call("list_shifts", {"location_id": "downtown", "starts_on": day.isoformat(),
                                                         "days": 1}, MANAGER))["shifts"] if s["staff_id"])
    who = Principal(role=Role.STAFF, id=shift["staff_id"], location_id="downtown")
    before = await _inbox(call, who)
    moved = await call("move_shift", {"shift_id": shift["shift_id"], "start": shift["start"],
                                      "end": shift["end"]}, MANAGER)
    (told,) = [i for i in (await _inbox(call, who))["items"] if i not in before["items"]]
    assert told["link"] == f"shift:{moved['shift_id']}" and f"{moved['start']}-{moved['end']}" in told["text"]


async def test_an_email_is_delivered_once_across_an_smtp_failure_two_workers_and_a_restart(
        platform: Platform, smtp: tuple[Inbox, str]) -> None:
    server, url = smtp
    server.fail = 1
    call = DirectCaller(platform)
    await call("set_notification_preferences", {"channels": ["inbox", "email"], "email": "anna@example.com"}, ANNA)
    await call("send_notification", {"staff_id": "anna", "text": "Your new keys are at the counter"}, MANAGER)
    now = datetime.now(UTC)
    assert await deliver_due(platform.db, SmtpMailer(url), now) == 0  # refused once: retried later, not dropped
    assert await deliver_due(platform.db, SmtpMailer(url), now + timedelta(seconds=5)) == 0  # not due yet
    later = now + timedelta(seconds=31)
    sent = await asyncio.gather(*(deliver_due(platform.db, SmtpMailer(url), later) for _ in range(2)))
    assert sorted(sent) == [0, 1]
    assert await deliver_due(platform.db, SmtpMailer(url), later + timedelta(hours=2)) == 0  # a restarted worker
    (mail,) = server.received
    assert mail["To"] == "anna@example.com" and "new keys" in mail.get_payload()
    deliveries = (await call("list_deliveries", {"recipient": "staff:anna"}, MANAGER))["deliveries"]
    email = next(d for d in deliveries if d["channel"] == "email")
    assert (email["state"], email["attempts"], email["last_error"]) == ("sent", 2, None)


async def test_a_claim_left_by_a_crashed_worker_is_sent_once_when_its_lease_runs_out(
        platform: Platform, smtp: tuple[Inbox, str]) -> None:
    server, url = smtp
    call = DirectCaller(platform)
    await call("set_notification_preferences", {"channels": ["email"], "email": "ben@example.com"}, BEN)
    await call("send_notification", {"staff_id": "ben", "text": "Bring your apron"}, MANAGER)
    now = datetime.now(UTC)
    assert len(await claim(platform.db, "email", now, 10)) == 1  # the worker dies here, before sending
    assert await deliver_due(platform.db, SmtpMailer(url), now + LEASE / 2) == 0
    assert await deliver_due(platform.db, SmtpMailer(url), now + LEASE + timedelta(seconds=1)) == 1
    assert len(server.received) == 1 and server.received[0]["Message-ID"].startswith("<delivery-")
