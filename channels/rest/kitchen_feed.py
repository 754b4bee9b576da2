"""The staff display's feed: a shop's kitchen log as Server-Sent Events, resumable with Last-Event-ID."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from sse_starlette.sse import EventSourceResponse

from channels.rest.deps import PrincipalDep, ServingDep
from tools.kitchen.models import KitchenFeed

router = APIRouter(prefix="/api/v1/kitchen", tags=["kitchen"])
POLL_SECONDS = 0.25


@router.get("/{location_id}/events", summary="Stream a shop's kitchen events (staff): drinks queued, dispatched, "
            "brewing, done, requeued or flagged; machine status changes and faults.")
async def kitchen_events(
    location_id: Annotated[str, Path(min_length=1, max_length=40)], serving: ServingDep, principal: PrincipalDep,
    last_event_id: Annotated[int | None, Header(alias="Last-Event-ID", ge=0)] = None,
    after_id: Annotated[int, Query(ge=0, description="Start after this entry (0: from the beginning).")] = 0,
) -> EventSourceResponse:
    async def page(after: int) -> KitchenFeed:
        reply = await serving.gateway.call("list_kitchen_events", {"location_id": location_id, "after_id": after},
                                            principal=principal)
        return KitchenFeed.model_validate(reply)

    start = last_event_id if last_event_id is not None else after_id
    first = await page(start)  # a refusal (not staff, wrong shop, no such shop) is an ordinary problem reply

    async def events() -> AsyncIterator[dict[str, Any]]:
        feed, after = first, start
        while True:
            for e in feed.events:
                after = e.id
                yield {"id": str(e.id), "event": e.kind, "data": e.model_dump_json()}
            if not feed.events:
                await asyncio.sleep(POLL_SECONDS)
            feed = await page(after)

    return EventSourceResponse(events())
