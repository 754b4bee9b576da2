"""The money side of the running server: the settler releases escrowed COFFEE of ready orders by itself, the
embedded EVM makes blocks by itself, and the chain outlives a restart."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal

import pytest

from gocoffee.bootstrap import Platform, build_platform, running
from gocoffee.settings import Settings
from tests.identities import AS
from tests.live import app_client
from tests.tools.money_helpers import give_points, on_chain
from tools.principal import Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
ALICE = {AS: "customer:alice"}
STAFF = {AS: "staff:s1@downtown"}
ALICE_P = Principal(role=Role.CUSTOMER, id="alice")
WAIT_S = 20.0


async def _until(check: object, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not await check():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


@pytest.mark.chain(chain_block_seconds=0.05)
async def test_the_server_releases_ready_orders_and_makes_blocks(platform: Platform, settings: Settings) -> None:
    await give_points(platform, "alice", 1000)
    async with app_client(settings) as client:
        def post(path: str, who: dict, body: dict | None, key: str) -> object:
            return client.post(f"/api/v1{path}", headers={**who, "Idempotency-Key": key}, json=body)

        assert (await post("/wallet/redemptions", ALICE, {"points": 1000}, "r")).status_code == 201
        order = (await post("/orders", ALICE, {"location_id": "downtown", "lines": [{"item_id": "latte"}]}, "o")).json()
        oid = order["order_id"]
        paid = await post(f"/orders/{oid}/payments", ALICE, {"method": "coffee"}, "p")
        assert paid.status_code == 201 and paid.json()["state"] == "captured", paid.text
        ready = await client.post(f"/api/v1/orders/{oid}/transitions", headers=STAFF, json={"to_state": "ready"})
        assert ready.status_code == 200, ready.text

        async def released() -> bool:
            payments = (await client.get(f"/api/v1/orders/{oid}/payments", headers=ALICE)).json()["payments"]
            return payments[0]["settled_at"] is not None

        await _until(released, "the settler to release the escrow")
        start = await on_chain(platform, lambda chain: chain.w3.eth.block_number)

        async def ticked() -> bool:
            return await on_chain(platform, lambda chain: chain.w3.eth.block_number) >= start + 3

        await _until(ticked, "empty blocks from the embedded chain")


@pytest.mark.chain
async def test_coffee_and_contracts_survive_a_restart(settings: Settings) -> None:
    """Two runs one after the other on one data dir: the second replays the embedded chain from its journal."""
    first = build_platform(settings)
    async with running(first):
        await give_points(first, "alice", 500)
        before = await first.gateway.call("redeem_points", {"points": 500}, principal=ALICE_P, idempotency_key="r")
        deployment = first.runtime.services.chain.chain.deployment  # type: ignore[union-attr]
    second = build_platform(settings)
    async with running(second):
        assert second.runtime.services.chain.chain.deployment == deployment  # type: ignore[union-attr]
        after = await second.gateway.call("get_wallet", {}, principal=ALICE_P)
    assert after.coffee == before.coffee == Decimal("5.00")  # type: ignore[attr-defined]
