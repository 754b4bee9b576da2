"""Server-Sent Events feeds, resumable with Last-Event-ID: a shop's kitchen log, and a person's inbox."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from sse_starlette.sse import EventSourceResponse

from channels.rest.deps import PrincipalDep, ServingDep
from tools.kitchen.models import KitchenFeed, OrderProgress
from tools.notifications.models import Inbox

router = APIRouter(prefix="/api/v1", tags=["feeds"])
POLL_SECONDS = 0.25
Event = tuple[Any, str, str]
"""An event's id (the resume point after it), kind and JSON data."""
LastEventId = Annotated[int | None, Header(alias="Last-Event-ID", ge=0)]
AfterId = Annotated[int, Query(ge=0, description="Start after this entry (0: from the beginning).")]


async def _stream(page: Callable[[Any], Awaitable[list[Event]]], start: Any) -> EventSourceResponse:
    first = await page(start)  # a refusal (not allowed, no such shop) is an ordinary problem reply

    async def events() -> AsyncIterator[dict[str, Any]]:
        batch, after = first, start
        while True:
            for cursor, kind, data in batch:
                after = cursor
                yield {"id": cursor.isoformat() if isinstance(cursor, datetime) else str(cursor), "event": kind,
                       "data": data}
            if not batch:
                await asyncio.sleep(POLL_SECONDS)
            batch = await page(after)

    return EventSourceResponse(events())


@router.get("/kitchen/{location_id}/events", tags=["kitchen"], summary="Stream a shop's kitchen events (staff): "
            "drinks queued, dispatched, brewing, done, requeued or flagged; machine status changes and faults.")
async def kitchen_events(location_id: Annotated[str, Path(min_length=1, max_length=40)], serving: ServingDep,
                         principal: PrincipalDep, last_event_id: LastEventId = None, after_id: AfterId = 0
                         ) -> EventSourceResponse:
    async def page(after: int) -> list[Event]:
        reply = await serving.gateway.call("list_kitchen_events", {"location_id": location_id, "after_id": after},
                                           principal=principal)
        return [(e.id, e.kind, e.model_dump_json()) for e in KitchenFeed.model_validate(reply).events]

    return await _stream(page, last_event_id if last_event_id is not None else after_id)


@router.get("/notifications/events", tags=["notifications"], summary="Stream your inbox (anyone signed in): each "
            "notification as it reaches you (a deferred one when your quiet hours end); resumable by event id.")
async def notification_events(
    serving: ServingDep, principal: PrincipalDep,
    last_event_id: Annotated[datetime | None, Header(alias="Last-Event-ID")] = None,
    since: Annotated[datetime | None, Query(description="Start after this time (default: from the beginning).")] = None,
) -> EventSourceResponse:
    async def page(after: datetime | None) -> list[Event]:
        query = {"since": after.isoformat()} if after else {}
        reply = await serving.gateway.call("list_notifications", query, principal=principal)
        return [(i.at, i.topic, i.model_dump_json()) for i in reversed(Inbox.model_validate(reply).items)]

    return await _stream(page, last_event_id or since)


FINAL = {"collected", "cancelled", "refunded"}


@router.get("/orders/{order_id}/events", tags=["orders"], summary="Stream an order's progress (its customer, or "
            "staff): its state and each drink's, every time they change, until it is collected or cancelled.")
async def order_events(order_id: Annotated[int, Path(ge=1, le=2**31 - 1)], serving: ServingDep,
                       principal: PrincipalDep) -> EventSourceResponse:
    async def progress() -> OrderProgress:
        reply = await serving.gateway.call("get_order_progress", {"order_id": order_id}, principal=principal)
        return OrderProgress.model_validate(reply)

    first = await progress()  # not theirs, no such order: an ordinary problem reply

    async def events() -> AsyncIterator[dict[str, Any]]:
        seen, now, n = "", first, 0
        while True:
            data = now.model_dump_json()
            if data != seen:
                seen, n = data, n + 1
                yield {"id": str(n), "event": "progress", "data": data}
            if now.state in FINAL:
                return
            await asyncio.sleep(POLL_SECONDS)
            now = await progress()

    return EventSourceResponse(events())
