"""Reading a Server-Sent Events stream in tests: each event as {"id", "event", **data}, until enough are seen."""

from __future__ import annotations

import json
from collections.abc import Callable

import anyio
import httpx


async def read_events(client: httpx.AsyncClient, path: str, headers: dict[str, str],
                      enough: Callable[[list[dict]], bool]) -> list[dict]:
    events: list[dict] = []
    with anyio.fail_after(20):
        async with client.stream("GET", path, headers=headers) as r:
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
            event: dict = {}
            async for line in r.aiter_lines():
                if line.startswith(("id:", "event:", "data:")):
                    name, _, value = line.partition(":")
                    event[name] = value.strip()
                elif not line and event:
                    events.append({"id": event["id"], "event": event["event"], **json.loads(event["data"])})
                    event = {}
                    if enough(events):
                        return events
    raise AssertionError(events)
