"""The kitchen tools' contract for every caller and store: queue, progress, dispatch, interlocks, by-hand moves.

Machines report here by their retained state applied straight to the store (what the device link does on
a report); the link and real machines on a broker are tested in tests/devices.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from devices.protocol import MachineState, Status
from gocoffee.bootstrap import Platform
from store.kitchen import MachineCommand
from tests.callers import Caller
from tests.tools.contract import ALICE, BARISTA, BOB, MANAGER, TWO_OAT_LATTES, refused
from tools.kitchen.reports import apply_state
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio
HARBOR_STAFF = Principal(role=Role.STAFF, id="s9", location_id="harbor")


def state(machine: str, status: Status, **kw: object) -> MachineState:
    values: dict = {"boiler_c": 93.0, "water_ml": 2500, "beans_g": 800, "brews_since_descale": 0, **kw}
    return MachineState(machine_id=machine, location_id="downtown", status=status, at=datetime.now(UTC), **values)


async def report(platform: Platform, *states: MachineState) -> None:
    db = platform.db
    async with db.write_turn(), db.writer() as session, session.begin():
        for s in states:
            await apply_state(session, s, datetime.now(UTC))


async def outbox(platform: Platform) -> list[tuple[str, str]]:
    """(machine, kind) of every command written, sorted."""
    async with platform.db.reader() as session:
        rows = await session.execute(select(MachineCommand.machine_id, MachineCommand.kind))
        return sorted(tuple(r) for r in rows)  # type: ignore[misc]


async def paid_order(call: Caller, key: str, order: dict = TWO_OAT_LATTES) -> dict:
    oid = (await call("create_order", order, ALICE, key))["order_id"]
    return await call("advance_order", {"order_id": oid, "to_state": "paid"}, BARISTA)


async def test_a_paid_order_is_queued_drink_by_drink_and_its_customer_sees_progress(call: Caller) -> None:
    order = await paid_order(call, "kq-1")
    assert order["state"] == "queued"
    queue = (await call("get_kitchen_queue", {"location_id": "downtown"}, BARISTA))["drinks"]
    lines = {ln["item_id"]: ln["line_id"] for ln in order["lines"]}
    assert [d["drink_id"] for d in queue] == [f"{order['order_id']}-{lines['latte']}-{n}" for n in (1, 2)]
    assert all(d["state"] == "queued" and d["milk"] == "oat" and d["size"] == "large" for d in queue)
    progress = await call("get_order_progress", {"order_id": order["order_id"]}, ALICE)
    assert progress["state"] == "queued" and [d["state"] for d in progress["drinks"]] == ["queued", "queued"]
    await refused("not_found", call, "get_order_progress", {"order_id": order["order_id"]}, BOB)
    await refused("forbidden", call, "get_kitchen_queue", {"location_id": "downtown"}, ALICE)
    await refused("forbidden", call, "get_kitchen_queue", {"location_id": "downtown"}, HARBOR_STAFF)
    await refused("not_found", call, "get_kitchen_queue", {"location_id": "atlantis"}, MANAGER)


async def test_an_order_with_nothing_to_brew_is_ready_when_paid(call: Caller) -> None:
    order = await paid_order(call, "kq-2", {"location_id": "downtown", "lines": [{"item_id": "croissant"}]})
    assert order["state"] == "ready"
    assert [e["to_state"] for e in order["events"]][-3:] == ["paid", "queued", "ready"]


async def test_dispatch_gives_one_drink_to_each_free_healthy_machine(call: Caller, platform: Platform) -> None:
    await paid_order(call, "kq-3")
    await paid_order(call, "kq-4")
    await report(platform, state("m1", Status.IDLE), state("m2", Status.DESCALING), state("m3", Status.IDLE),
                 state("m4", Status.OFFLINE), state("m5", Status.IDLE, water_ml=100),
                 state("m6", Status.FAULT, fault="grinder_jam"), state("m7", Status.MAINTENANCE))
    result = await call("dispatch_drinks", {"location_id": "downtown"}, BARISTA)
    assert sorted(d["machine_id"] for d in result["dispatched"]) == ["m1", "m3"]
    assert result["waiting"] == 2 and all(d["attempt"] == 1 for d in result["dispatched"])
    again = await call("dispatch_drinks", {"location_id": "downtown"}, BARISTA)
    assert again["dispatched"] == [] and again["waiting"] == 2, "no machine gets two brews"
    assert await outbox(platform) == [("m1", "brew"), ("m3", "brew")]
    machines = {m["machine_id"]: m for m in (await call("list_machines", {"location_id": "downtown"}, BARISTA))
                ["machines"]}
    assert machines["m1"]["drink_id"] and machines["m2"]["drink_id"] is None and machines["m4"]["status"] == "offline"


async def test_drinks_nobody_can_make_are_flagged_for_staff(call: Caller, platform: Platform) -> None:
    await paid_order(call, "kq-5")
    await report(platform, state("m1", Status.OFFLINE), state("m2", Status.FAULT, fault="low_water", water_ml=50))
    result = await call("dispatch_drinks", {"location_id": "downtown"}, BARISTA)
    assert result["dispatched"] == []
    queue = (await call("get_kitchen_queue", {"location_id": "downtown"}, BARISTA))["drinks"]
    assert queue and all(d["flag"] and "no machine" in d["flag"] for d in queue)
    log = (await call("list_kitchen_events", {"location_id": "downtown"}, BARISTA))["events"]
    assert [e["kind"] for e in log].count("drink_flagged") == len(queue)


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # the rules read no store-specific SQL
@pytest.mark.parametrize("tool, machine, status, extra, reason", [
    ("start_brew", "m2", Status.DESCALING, {}, "cannot brew while descaling"),
    ("start_brew", "m5", Status.IDLE, {"water_ml": 100}, "low water"),
    ("start_brew", "m4", Status.OFFLINE, {}, "offline"),
    ("start_brew", "m8", Status.HEATING, {"boiler_c": 41.5}, "heating"),
    ("stop_brew", "m1", Status.IDLE, {}, "not brewing"),
    ("descale_machine", "m9", Status.BREWING, {}, "cannot descale while brewing"),
    ("clear_fault", "m1", Status.IDLE, {}, "no fault to clear"),
    ("clear_fault", "m5", Status.FAULT, {"fault": "low_water", "water_ml": 100}, "refill the water first"),
    ("set_maintenance", "m9", Status.BREWING, {"on": True}, "finish or stop the brew first"),
])
async def test_interlocks_refuse_unsafe_commands_and_send_nothing(
        call: Caller, platform: Platform, tool: str, machine: str, status: Status, extra: dict, reason: str) -> None:
    order = await paid_order(call, f"kq-il-{tool}-{machine}")
    drink = f"{order['order_id']}-{order['lines'][0]['line_id']}-1"
    fields = {k: v for k, v in extra.items() if k != "on"}
    await report(platform, state(machine, status, **fields))
    args = {"location_id": "downtown", "machine_id": machine, **({"drink_id": drink} if tool == "start_brew" else {}),
            **({"on": extra["on"]} if "on" in extra else {})}
    error = await refused("interlock", call, tool, args, BARISTA)
    assert reason in error.details["reason"], error.details
    assert await outbox(platform) == []


async def test_a_started_brew_occupies_the_machine(call: Caller, platform: Platform) -> None:
    order = await paid_order(call, "kq-6")
    line = order["lines"][0]["line_id"]
    await report(platform, state("m1", Status.IDLE))
    sent = await call("start_brew", {"location_id": "downtown", "machine_id": "m1",
                                     "drink_id": f"{order['order_id']}-{line}-1"}, BARISTA)
    assert sent["kind"] == "brew" and sent["acknowledged"] is False
    error = await refused("interlock", call, "start_brew", {"location_id": "downtown", "machine_id": "m1",
                                                            "drink_id": f"{order['order_id']}-{line}-2"}, BARISTA)
    assert "already has a drink" in error.message
    await refused("illegal_transition", call, "start_brew", {"location_id": "downtown", "machine_id": "m1",
                                                             "drink_id": f"{order['order_id']}-{line}-1"}, BARISTA)
    await refused("forbidden", call, "start_brew", {"location_id": "downtown", "machine_id": "m1",
                                                    "drink_id": f"{order['order_id']}-{line}-2"}, ALICE)


async def test_drinks_made_by_hand_finish_the_order_once(call: Caller, platform: Platform) -> None:
    order = await paid_order(call, "kq-7")
    oid, line = order["order_id"], order["lines"][0]["line_id"]
    first = await call("mark_drink_done", {"drink_id": f"{oid}-{line}-1", "note": "made at the bar"}, BARISTA)
    assert first["state"] == "done" and first["done_by"] == "staff:s1@downtown"
    assert (await call("get_order", {"order_id": oid}, ALICE))["state"] == "brewing", "under way"
    await call("mark_drink_done", {"drink_id": f"{oid}-{line}-2"}, BARISTA)
    done = await call("get_order", {"order_id": oid}, ALICE)
    assert done["state"] == "ready" and [e["to_state"] for e in done["events"]].count("ready") == 1
    await refused("illegal_transition", call, "mark_drink_done", {"drink_id": f"{oid}-{line}-2"}, BARISTA)
    await refused("not_found", call, "mark_drink_done", {"drink_id": "999999-1-1"}, BARISTA)


async def test_a_refund_drops_the_drinks_and_stops_the_brewing_one(call: Caller, platform: Platform) -> None:
    order = await paid_order(call, "kq-8")
    await report(platform, state("m1", Status.IDLE))
    await call("dispatch_drinks", {"location_id": "downtown"}, BARISTA)
    await report(platform, state("m1", Status.BREWING))
    refunded = await call("advance_order", {"order_id": order["order_id"], "to_state": "refunded"}, BARISTA)
    assert refunded["state"] == "refunded"
    progress = await call("get_order_progress", {"order_id": order["order_id"]}, ALICE)
    assert [d["state"] for d in progress["drinks"]] == ["cancelled", "cancelled"]
    assert await outbox(platform) == [("m1", "brew"), ("m1", "stop")]
    queue = await call("get_kitchen_queue", {"location_id": "downtown"}, BARISTA)
    assert queue["drinks"] == []


async def test_maintenance_with_force_stops_the_brew_and_requeues_its_drink(call: Caller, platform: Platform
                                                                           ) -> None:
    await paid_order(call, "kq-9")
    await report(platform, state("m1", Status.IDLE))
    await call("dispatch_drinks", {"location_id": "downtown"}, BARISTA)
    await report(platform, state("m1", Status.BREWING))
    sent = await call("set_maintenance", {"location_id": "downtown", "machine_id": "m1", "on": True, "force": True},
                      MANAGER)
    assert sent["kind"] == "maintenance"
    assert await outbox(platform) == [("m1", "brew"), ("m1", "maintenance"), ("m1", "stop")]
    queue = (await call("get_kitchen_queue", {"location_id": "downtown"}, BARISTA))["drinks"]
    assert [d["state"] for d in queue] == ["queued", "queued"]
    async with platform.db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(MachineCommand)) == 3
