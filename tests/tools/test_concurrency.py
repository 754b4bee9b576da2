"""Races on real stores: the last portions (orders alone, and orders against transfers), and one idempotency key
sent many times at once."""

from __future__ import annotations

import asyncio

import pytest

from gocoffee.bootstrap import Platform
from gocoffee.settings import Settings
from tests.conftest import Probe
from tests.identities import AS
from tests.live import app_client
from tools.errors import Conflict, OutOfStock
from tools.principal import Principal, Role
from tools.stock.models import TransferList

pytestmark = pytest.mark.anyio
MANAGER = Principal(role=Role.MANAGER, id="m1")


async def test_fifty_orders_race_for_the_last_ten_portions(platform: Platform, probe: Probe) -> None:
    left = await probe.stock("harbor", "blueberry_muffin")
    await platform.gateway.call("adjust_stock", {"location_id": "harbor", "ingredient_id": "blueberry_muffin",
                                                 "delta": 10 - left, "reason": "race"}, principal=MANAGER)

    async def order(n: int) -> str:
        who = Principal(role=Role.CUSTOMER, id=f"racer{n}")
        try:
            await platform.gateway.call("create_order", {"location_id": "harbor", "lines": [
                {"item_id": "blueberry_muffin"}]}, principal=who, idempotency_key=f"race-{n}")
            return "ok"
        except OutOfStock as exc:
            assert exc.details["ingredient_id"] == "blueberry_muffin"
            return "out_of_stock"

    outcomes = await asyncio.gather(*(order(n) for n in range(50)))

    assert outcomes.count("ok") == 10 and outcomes.count("out_of_stock") == 40
    assert await probe.stock("harbor", "blueberry_muffin") == 0
    assert await probe.orders() == 10


async def test_same_key_sent_twenty_times_at_once_makes_one_order(settings: Settings, probe: Probe) -> None:
    body = {"location_id": "downtown", "lines": [{"item_id": "cappuccino", "size": "large", "quantity": 2}]}
    headers = {AS: "customer:eager", "Idempotency-Key": "tap-tap-tap"}
    async with app_client(settings) as client:
        replies = await asyncio.gather(*(client.post("/api/v1/orders", json=body, headers=headers)
                                         for _ in range(20)))
        assert {r.status_code for r in replies} == {201}
        assert len({r.content for r in replies}) == 1
        changed = {**body, "lines": [{"item_id": "cappuccino", "size": "small"}]}
        conflict = await client.post("/api/v1/orders", json=changed, headers=headers)
        assert conflict.status_code == 409 and conflict.json()["code"] == "idempotency_conflict"
    assert await probe.orders() == 1


async def test_transfers_and_orders_race_for_the_last_muffins_and_none_is_lost(platform: Platform,
                                                                               probe: Probe) -> None:
    async def stock() -> int:
        return await probe.stock("harbor", "blueberry_muffin")

    refusal = None
    try:
        await platform.gateway.call("transfer_stock", {"from_location_id": "harbor", "to_location_id": "downtown",
                                                       "ingredient_id": "blueberry_muffin", "quantity": 10_000},
                                    principal=MANAGER, idempotency_key="probe")
    except Conflict as exc:
        refusal = exc
    assert refusal is not None
    point = int(refusal.details["reorder_point"])
    await platform.gateway.call("adjust_stock", {"location_id": "harbor", "ingredient_id": "blueberry_muffin",
                                                 "delta": point + 12 - await stock(), "reason": "race"},
                                principal=MANAGER)

    async def order(n: int) -> int:
        try:
            await platform.gateway.call("create_order", {"location_id": "harbor", "lines": [
                {"item_id": "blueberry_muffin"}]}, principal=Principal(role=Role.CUSTOMER, id=f"racer{n}"),
                idempotency_key=f"race-{n}")
            return 1
        except OutOfStock:
            return 0

    async def transfer(n: int) -> int:
        try:
            await platform.gateway.call("transfer_stock", {"from_location_id": "harbor", "to_location_id": "downtown",
                                                           "ingredient_id": "blueberry_muffin", "quantity": 3},
                                        principal=MANAGER, idempotency_key=f"move-{n}")
            return 3
        except Conflict as exc:
            assert "below its reorder point" in exc.message
            return 0

    moves = await asyncio.gather(*(order(n) for n in range(40)), *(transfer(n) for n in range(8)))
    ordered, sent = sum(moves[:40]), sum(moves[40:])
    left = await stock()
    assert left >= 0 and left + ordered + sent == point + 12  # nothing lost, nothing made up
    assert sent <= 12 and ordered == point + 12 - sent  # the orders took every muffin the transfers left
    listed = await platform.gateway.call("list_transfers", {"state": "in_transit"}, principal=MANAGER)
    assert isinstance(listed, TransferList) and sum(t.quantity for t in listed.transfers) == sent
