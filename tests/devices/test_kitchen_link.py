"""The kitchen end to end on real brokers: paid orders brewed by simulated machines over MQTT, through faults,
a dying machine and a broker restart, each drink completed exactly once."""

from __future__ import annotations

import asyncio
import signal
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import aiomqtt
import anyio
import pytest
from sqlalchemy import select

from devices.protocol import MachineState, Status, topic
from devices.simulator import Broker
from gocoffee.bootstrap import Platform
from store.audit import AuditEntry
from store.kitchen import KitchenLogEntry
from tests.callers import DirectCaller
from tests.devices.brokers import restartable
from tests.devices.kitchen import (
    CUSTOMER,
    FAST,
    eventually,
    kitchen_link,
    machines,
    new_shop,
    order_in,
    pay_for,
    seen,
    staff,
)

# The system Mosquitto is shared: its tests run on one test worker, one after another.
pytestmark = [pytest.mark.anyio, pytest.mark.xdist_group("system_mosquitto")]
LATTE = {"item_id": "latte", "size": "medium", "milk": "oat"}


async def kitchen_log(platform: Platform, shop: str) -> list[tuple[str, str | None, str | None]]:
    async with platform.db.reader() as session:
        rows = await session.execute(select(KitchenLogEntry.kind, KitchenLogEntry.machine_id, KitchenLogEntry.job_id)
                                     .where(KitchenLogEntry.location_id == shop).order_by(KitchenLogEntry.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def drink_log(log: list[tuple[str, str | None, str | None]]) -> list[tuple[str, str | None]]:
    return [(kind, machine) for kind, machine, job in log if job is not None]


async def test_a_paid_order_is_brewed_and_ready_with_its_history(platform: Platform, broker_url: str) -> None:
    shop = await new_shop(platform)
    async with kitchen_link(platform, broker_url) as link, machines(broker_url, shop, FAST, FAST) as fleet:
        await seen(platform, shop, {"m1": "idle", "m2": "idle"})
        order_id = await pay_for(platform, shop, [{**LATTE, "quantity": 2}, {"item_id": "croissant"}], "e2e-1")
        ready = await order_in(platform, order_id, "ready")
    assert [e["to_state"] for e in ready["events"]] == ["draft", "placed", "paid", "queued", "brewing", "ready"]
    assert [e["actor"] for e in ready["events"][-3:]] == ["service:kitchen"] * 3
    progress = await DirectCaller(platform)("get_order_progress", {"order_id": order_id}, CUSTOMER)
    drinks = progress["drinks"]
    assert [d["state"] for d in drinks] == ["done", "done"] and {d["machine_id"] for d in drinks} == {"m1", "m2"}
    assert all(d["attempt"] == 1 and d["done_by"] == f"machine:{d['machine_id']}" for d in drinks)
    for drink in drinks:
        steps = [k for k, m, j in await kitchen_log(platform, shop) if j == drink["drink_id"]]
        assert steps == ["drink_queued", "drink_dispatched", "brew_started", "drink_done"]
    assert sorted(m.model.brews_since_descale for m in fleet) == [1, 1]
    assert len(link.stats.ack_latencies) >= 2, "both brew commands were acknowledged"
    async with platform.db.reader() as session:  # every change the link made went through the invoker
        audited = set(await session.scalars(select(AuditEntry.capability).where(
            AuditEntry.principal == "service:kitchen", AuditEntry.outcome == "ok")))
    assert {"apply_machine_reports", "run_kitchen_round"} <= audited


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_a_grinder_jam_mid_brew_is_made_on_another_machine_exactly_once(platform: Platform, broker_url: str
                                                                             ) -> None:
    shop = await new_shop(platform)
    jams = replace(FAST, jam_rate=1.0)
    async with kitchen_link(platform, broker_url), machines(broker_url, shop, jams, FAST) as (m1, m2):
        await seen(platform, shop, {"m1": "idle", "m2": "idle"})
        order_id = await pay_for(platform, shop, [LATTE], "jam-1")
        await order_in(platform, order_id, "ready")
        log = await kitchen_log(platform, shop)
        machine_list = await DirectCaller(platform)("list_machines", {"location_id": shop}, staff(shop))
    assert drink_log(log) == [("drink_queued", None), ("drink_dispatched", "m1"), ("brew_started", "m1"),
                              ("drink_requeued", "m1"), ("drink_dispatched", "m2"), ("brew_started", "m2"),
                              ("drink_done", "m2")]
    assert (m1.model.brews_since_descale, m2.model.brews_since_descale) == (0, 1)
    status = {m["machine_id"]: (m["status"], m["fault"]) for m in machine_list["machines"]}
    assert status["m1"] == ("fault", "grinder_jam")


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_no_machine_left_flags_the_drink_and_a_refill_brings_it_back(platform: Platform, broker_url: str
                                                                          ) -> None:
    shop = await new_shop(platform)
    dry = replace(FAST, water_capacity_ml=350)  # enough for one latte (180 ml), then below the 200 ml fault mark
    async with kitchen_link(platform, broker_url), machines(broker_url, shop, dry):
        await seen(platform, shop, {"m1": "idle"})
        call, who = DirectCaller(platform), staff(shop)
        first = await pay_for(platform, shop, [LATTE], "dry-1")
        await order_in(platform, first, "ready")  # the brew leaves the tank below the low-water mark: a fault
        second = await pay_for(platform, shop, [LATTE], "dry-2")

        async def flagged() -> list:
            return [d for d in (await call("get_kitchen_queue", {"location_id": shop}, who))["drinks"] if d["flag"]]

        assert (await eventually(flagged))[0]["order_id"] == second
        await call("refill_machine", {"location_id": shop, "machine_id": "m1", "water_ml": 3000}, who)

        async def refilled() -> bool:
            m = (await call("get_machine", {"location_id": shop, "machine_id": "m1"}, who))["machine"]
            return m["water_ml"] == 350

        await eventually(refilled)
        await call("clear_fault", {"location_id": shop, "machine_id": "m1"}, who)
        await order_in(platform, second, "ready")


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_a_machine_whose_last_will_fires_is_offline_and_gets_no_drinks(platform: Platform, broker_url: str
                                                                            ) -> None:
    shop = await new_shop(platform)
    gocoffee = Path(sys.executable).parent / "gocoffee"
    async with kitchen_link(platform, broker_url), machines(broker_url, shop, FAST, first=2):
        process = await anyio.open_process([str(gocoffee), "devices", "simulate", "--location", shop, "--machines",
                                            "1", "--mqtt-url", broker_url, "--time-scale", "0.001"],
                                           env={"PATH": "/usr/bin:/bin"})
        try:
            await seen(platform, shop, {"m1": "idle", "m2": "idle"})
        finally:
            process.send_signal(signal.SIGKILL)  # dies without a DISCONNECT: the broker publishes its will
            with anyio.fail_after(10):
                await process.wait()
        await seen(platform, shop, {"m1": "offline", "m2": "idle"})
        orders = [await pay_for(platform, shop, [LATTE], f"will-{n}") for n in range(3)]
        for order_id in orders:
            await order_in(platform, order_id, "ready")
        call = DirectCaller(platform)
        progress = [await call("get_order_progress", {"order_id": o}, CUSTOMER) for o in orders]
    assert {d["machine_id"] for p in progress for d in p["drinks"]} == {"m2"}


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("kind", ["mosquitto", "amqtt"])
async def test_a_broker_restart_mid_brew_loses_and_duplicates_nothing(platform: Platform, tmp_path: Path,
                                                                      kind: str) -> None:
    slow = replace(FAST, time_scale=0.1)  # a medium oat latte takes about 2.7 s
    async with restartable(kind, tmp_path) as (url, stop, start):
        shop = await new_shop(platform)
        async with kitchen_link(platform, url) as link, machines(url, shop, slow) as (m1,):
            await seen(platform, shop, {"m1": "idle"})
            order_id = await pay_for(platform, shop, [LATTE], "restart-1")
            await order_in(platform, order_id, "brewing")
            await stop()
            await asyncio.sleep(3.0)  # the brew's time runs out while no broker is there to hear of it
            await start()
            ready = await order_in(platform, order_id, "ready", seconds=20)
            with anyio.fail_after(10):
                while link.stats.connects < 2:
                    await asyncio.sleep(0.02)
            log = await kitchen_log(platform, shop)
    assert [e["to_state"] for e in ready["events"]].count("ready") == 1
    assert drink_log(log) == [("drink_queued", None), ("drink_dispatched", "m1"), ("brew_started", "m1"),
                              ("drink_done", "m1")], "\n".join(map(str, log))
    assert m1.model.brews_since_descale == 1, "brewed once"


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_a_ghost_machine_that_never_answers_loses_its_drink_to_a_live_one(platform: Platform,
                                                                               broker_url: str) -> None:
    shop = await new_shop(platform)
    ghost = MachineState(machine_id="m1", location_id=shop, status=Status.IDLE, boiler_c=93, water_ml=3000,
                         beans_g=1000, brews_since_descale=0, at=datetime.now(UTC))
    broker = Broker.parse(broker_url)
    async with aiomqtt.Client(broker.host, broker.port) as client:  # a retained "idle" left by a machine long gone
        await client.publish(topic(shop, "m1", "state"), ghost.model_dump_json(), qos=1, retain=True)
    async with kitchen_link(platform, broker_url, ack_timeout_s=0.05):
        await seen(platform, shop, {"m1": "idle"})
        order_id = await pay_for(platform, shop, [LATTE], "ghost-1")

        async def given_up() -> bool:
            return any(kind == "command_unanswered" for kind, _, _ in await kitchen_log(platform, shop))

        await eventually(given_up)
        async with machines(broker_url, shop, FAST, first=2):
            await order_in(platform, order_id, "ready")
    log = drink_log(await kitchen_log(platform, shop))
    assert log[:3] == [("drink_queued", None), ("drink_dispatched", "m1"), ("drink_requeued", "m1")]
    assert log[-1] == ("drink_done", "m2") and [k for k, _ in log].count("drink_done") == 1


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_a_machine_that_dies_mid_brew_has_its_drink_made_elsewhere_once(platform: Platform,
                                                                             broker_url: str) -> None:
    shop = await new_shop(platform)
    gocoffee = Path(sys.executable).parent / "gocoffee"
    async with kitchen_link(platform, broker_url, offline_grace_s=0.5):
        process = await anyio.open_process([str(gocoffee), "devices", "simulate", "--location", shop, "--machines",
                                            "1", "--mqtt-url", broker_url, "--time-scale", "0.03"],
                                           env={"PATH": "/usr/bin:/bin"})  # a latte brews for about 0.8 s
        try:
            await seen(platform, shop, {"m1": "idle"})
            order_id = await pay_for(platform, shop, [LATTE], "dies-1")
            await order_in(platform, order_id, "brewing")
        finally:
            process.send_signal(signal.SIGKILL)
            with anyio.fail_after(10):
                await process.wait()
        async with machines(broker_url, shop, FAST, first=2):
            await order_in(platform, order_id, "ready")
        log = [step for step in drink_log(await kitchen_log(platform, shop)) if step[0] != "drink_flagged"]
    assert log == [("drink_queued", None), ("drink_dispatched", "m1"), ("brew_started", "m1"),
                   ("drink_requeued", "m1"), ("drink_dispatched", "m2"), ("brew_started", "m2"), ("drink_done", "m2")]
