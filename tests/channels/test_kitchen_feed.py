"""The server on its embedded defaults brews drinks (amqtt broker, simulated machines, device link), and the
staff display's SSE feed streams a shop's kitchen events, resumable with Last-Event-ID."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import anyio
import httpx
import pytest

from gocoffee.settings import Settings
from tests.channels.sse import read_events
from tests.identities import AS
from tests.live import LiveServer

pytestmark = pytest.mark.anyio
ALICE = {AS: "customer:alice"}
BARISTA = {AS: "staff:s1@harbor"}


@pytest.fixture
def server(store_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    settings = Settings(data_dir=tmp_path, database_url=store_url, kitchen=True, mqtt_url=None,
                        simulate_machines=2, simulate_time_scale=0.01, mqtt_client_id=f"kitchen-{tmp_path.name}")
    with LiveServer(settings) as live:
        yield live


async def feed(client: httpx.AsyncClient, enough: Callable[[list[dict]], bool], headers: dict[str, str]
               ) -> list[dict]:
    """Harbor's feed from the start (or Last-Event-ID) until `enough` of it is seen (ids as numbers)."""
    events = await read_events(client, "/api/v1/kitchen/harbor/events", {**BARISTA, **headers},
                               lambda seen: enough([{**e, "id": int(e["id"])} for e in seen]))
    return [{**e, "id": int(e["id"])} for e in events]


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_the_quick_start_brews_a_paid_order_and_the_feed_shows_it(server: LiveServer) -> None:
    async with server.client() as client:
        order = (await client.post("/api/v1/orders", headers={**ALICE, "Idempotency-Key": "qs-1"}, json={
            "location_id": "harbor", "lines": [{"item_id": "cappuccino", "quantity": 2}]})).json()
        paid = await client.post(f"/api/v1/orders/{order['order_id']}/transitions", headers=BARISTA,
                                 json={"to_state": "paid"})
        assert paid.status_code == 200 and paid.json()["state"] == "queued"
        with anyio.fail_after(30):
            while (now := (await client.get(f"/api/v1/orders/{order['order_id']}", headers=ALICE)).json())[
                    "state"] != "ready":
                await anyio.sleep(0.05)
        assert [e["to_state"] for e in now["events"]][-3:] == ["queued", "brewing", "ready"]
        progress = (await client.get(f"/api/v1/orders/{order['order_id']}/progress", headers=ALICE)).json()
        assert [d["state"] for d in progress["drinks"]] == ["done", "done"]

        drinks = {d["drink_id"] for d in progress["drinks"]}
        events = await feed(client, lambda seen: [e["event"] for e in seen].count("drink_done") == 2, {})
        mine = [e for e in events if e["drink_id"] in drinks]
        assert {e["event"] for e in mine} >= {"drink_queued", "drink_dispatched", "brew_started", "drink_done"}
        assert [e["id"] for e in events] == sorted(e["id"] for e in events)
        resumed = await feed(client, lambda seen: len(seen) == 1, {"Last-Event-ID": str(events[2]["id"])})
        assert resumed[0]["id"] == events[3]["id"], "a display that reconnects continues where it left off"

        machines = (await client.get("/api/v1/kitchen/harbor/machines", headers=BARISTA)).json()["machines"]
        assert [m["machine_id"] for m in machines] == ["m1", "m2"]


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_the_feed_is_for_the_shop_s_staff_only(server: LiveServer) -> None:
    async with server.client() as client:
        for who, status in [(ALICE, 403), ({AS: "staff:s2@downtown"}, 403)]:
            r = await client.get("/api/v1/kitchen/harbor/events", headers=who)
            assert r.status_code == status and r.json()["code"] == "forbidden"
        r = await client.get("/api/v1/kitchen/atlantis/events", headers={AS: "manager:m1"})
        assert r.status_code == 404 and r.json()["code"] == "not_found"


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_an_order_s_own_feed_follows_it_to_ready_for_its_customer_only(server: LiveServer) -> None:
    async with server.client() as client:
        order = (await client.post("/api/v1/orders", headers={**ALICE, "Idempotency-Key": "of-1"}, json={
            "location_id": "harbor", "lines": [{"item_id": "latte"}]})).json()
        path = f"/api/v1/orders/{order['order_id']}/events"
        refused = await client.get(path, headers={AS: "customer:mallory"})
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
        first = await read_events(client, path, ALICE, lambda seen: len(seen) == 1)
        assert first[0]["event"] == "progress" and first[0]["state"] == "placed"
        paid = await client.post(f"/api/v1/orders/{order['order_id']}/transitions", headers=BARISTA,
                                 json={"to_state": "paid"})
        assert paid.status_code == 200
        seen = await read_events(client, path, ALICE, lambda events: events[-1]["state"] == "ready")
        states = [e["state"] for e in seen]
        assert states[0] in ("queued", "brewing") and states[-1] == "ready" and states == sorted(
            states, key=["queued", "brewing", "ready"].index)
