"""What notifies, in the transaction of the change: a shift given, moved or taken; time off decided; a rota
published; a task assigned; an order ready. Texts are templates (`templates.toml`)."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import Location
from store.orders import Order
from tools.notifications.outbox import audience_of, notify

SOON = timedelta(hours=12)
"""A change to a shift starting within this is critical: it comes through quiet hours."""
PLATFORM = "service:platform"


@cache
def _templates() -> dict[str, str]:
    return tomllib.loads(Path(__file__).with_name("templates.toml").read_text(encoding="utf-8"))


def render(name: str, fields: dict[str, Any]) -> str:
    return _templates()[name].format_map(fields)


async def shift_changed(session: AsyncSession, now: datetime, by: str, before: dict[str, Any],
                        after: dict[str, Any]) -> None:
    """Tell the holder the shift now has (its new day or times, or that it is theirs), and a holder who lost it."""
    if after["state"] != "published":
        return
    starts = min(datetime.fromisoformat(str(s["starts_at"])) for s in (before, after))
    critical = starts - now <= SOON
    link = f"shift:{after['shift_id']}"
    if after["staff_id"]:
        await notify(session, now, topic="shift", audience=f"staff:{after['staff_id']}",
                     text=render("shift_now", after), by=by, link=link, critical=critical)
    if before["staff_id"] and before["staff_id"] != after["staff_id"]:
        await notify(session, now, topic="shift", audience=f"staff:{before['staff_id']}",
                     text=render("shift_taken", before | {"held_by": after["held_by"]}), by=by, link=link,
                     critical=critical)


async def time_off_decided(session: AsyncSession, now: datetime, by: str, decided: dict[str, Any]) -> None:
    await notify(session, now, topic="time_off", audience=f"staff:{decided['staff_id']}",
                 text=render("time_off", decided), by=by, link=f"time_off:{decided['time_off_id']}")


async def rota_published(session: AsyncSession, now: datetime, by: str, location_id: str, first_day: date) -> None:
    await notify(session, now, topic="rota", audience=audience_of("staff", location_id),
                 text=render("rota", {"location_id": location_id, "first_day": first_day}), by=by)


async def task_assigned(session: AsyncSession, now: datetime, by: str, task: dict[str, Any]) -> None:
    if task["assignee_id"]:
        await notify(session, now, topic="task", audience=f"staff:{task['assignee_id']}", text=render("task", task),
                     by=by, link=f"task:{task['task_id']}")


async def order_ready(session: AsyncSession, now: datetime, order: Order) -> None:
    shop = await session.get(Location, order.location_id)
    await notify(session, now, topic="order_ready", audience=f"customer:{order.customer_id}",
                 text=render("order_ready", {"order_id": order.id, "location": shop.name if shop else order.location_id}),
                 by=PLATFORM, link=f"order:{order.id}")


async def approval_decided(session: AsyncSession, now: datetime, requested_by: str, decided: dict[str, Any]) -> None:
    """Tell the person who asked that their paused request was decided (their conversation goes on)."""
    person = requested_by.partition("@")[0]
    await notify(session, now, topic="approval", audience=person, by=str(decided["decided_by"]),
                 text=render("approval_decided", decided), link=f"approval:{decided['approval_id']}")
