"""A person's inbox as Server-Sent Events: a notification appears as it reaches them, resumable by event id, and
nobody else's reaches them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest

from gocoffee.settings import Settings
from tests.channels.sse import read_events
from tests.identities import AS
from tests.live import LiveServer

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
BEN = {AS: "staff:ben@downtown"}
MANAGER = {AS: "manager:m1"}


@pytest.fixture
def server(store_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    with LiveServer(Settings(data_dir=tmp_path, database_url=store_url, kitchen=False, chain=False)) as live:
        yield live


async def _events(client: httpx.AsyncClient, count: int, headers: dict[str, str]) -> list[dict]:
    return await read_events(client, "/api/v1/notifications/events", {**BEN, **headers},
                             lambda seen: len(seen) == count)


async def _send(client: httpx.AsyncClient, to: str, text: str) -> None:
    sent = await client.post("/api/v1/notifications", headers=MANAGER, json={"staff_id": to, "text": text})
    assert sent.status_code == 201, sent.text


async def test_the_inbox_feed_streams_what_reaches_you_and_resumes_after_the_last_event(server: LiveServer) -> None:
    async with server.client() as client:
        await _send(client, "ben", "Your apron is in the back")
        await _send(client, "anna", "Not for Ben")
        async with anyio.create_task_group() as tg:
            got: list[dict] = []

            async def listen() -> None:
                got.extend(await _events(client, 2, {}))

            tg.start_soon(listen)
            await anyio.sleep(0.5)
            await _send(client, "ben", "The van is here")
        assert [(e["event"], e["text"]) for e in got] == [("message", "Your apron is in the back"),
                                                          ("message", "The van is here")]
        await _send(client, "ben", "Lunch at one")
        resumed = await _events(client, 1, {"Last-Event-ID": got[-1]["id"]})
        assert [e["text"] for e in resumed] == ["Lunch at one"]
        refused = await client.get("/api/v1/notifications/events", headers={AS: "guest:x"})
        assert refused.status_code == 403
