"""Orders' contract (carts, placing, the state machine, idempotency, input bounds), identical for every caller and store."""

from __future__ import annotations

import pytest

from tests.callers import Caller
from tests.conftest import Probe
from tests.tools.contract import ALICE, BARISTA, BOB, GUEST, TWO_OAT_LATTES, refused
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio

HUGE = 2**63



async def test_order_is_priced_placed_and_reserves_stock(call: Caller, probe: Probe) -> None:
    latte = await call("get_menu_item", {"item_id": "latte"}, GUEST)
    oat = next(m["price_cents"] for m in latte["milks"] if m["id"] == "oat")
    large = next(p["price_cents"] for p in latte["prices"] if p["size"] == "large")
    croissant = (await call("get_menu_item", {"item_id": "croissant"}, GUEST))["prices"][0]["price_cents"]
    oat_before = await probe.stock("downtown", "oat_milk")

    order = await call("create_order", TWO_OAT_LATTES, ALICE, "k-1")

    assert order["state"] == "placed" and order["customer_id"] == "alice"
    assert order["total_cents"] == 2 * (large + oat) + croissant
    assert [e["to_state"] for e in order["events"]] == ["draft", "placed"]
    assert order["events"][-1]["actor"] == "customer:alice"
    assert await probe.stock("downtown", "oat_milk") < oat_before
    fetched = await call("get_order", {"order_id": order["order_id"]}, ALICE)
    assert fetched["lines"] == order["lines"] and fetched["total_cents"] == order["total_cents"]
    listed = await call("list_orders", {}, ALICE)
    assert [o["order_id"] for o in listed["orders"]] == [order["order_id"]]


async def test_cart_lines_can_be_added_changed_removed_then_placed(call: Caller, probe: Probe) -> None:
    cart = await call("create_cart", {"location_id": "harbor"}, BOB)
    oid = cart["order_id"]
    assert cart["state"] == "draft" and cart["lines"] == []
    cart = await call("add_order_line", {"order_id": oid, "item_id": "flat_white", "size": "small"}, BOB)
    cart = await call("add_order_line", {"order_id": oid, "item_id": "blueberry_muffin"}, BOB)
    first, muffin = cart["lines"]
    cart = await call("update_order_line", {"order_id": oid, "line_id": first["line_id"], "size": "large",
                                            "quantity": 3, "extras": ["extra_shot"]}, BOB)
    changed = cart["lines"][0]
    assert (changed["size"], changed["quantity"], changed["extras"]) == ("large", 3, ["extra_shot"])
    assert changed["unit_price_cents"] > first["unit_price_cents"]
    cart = await call("remove_order_line", {"order_id": oid, "line_id": muffin["line_id"]}, BOB)
    assert [ln["item_id"] for ln in cart["lines"]] == ["flat_white"]
    quote = await call("quote_order", {"order_id": oid}, BOB)
    assert quote["total_cents"] == 3 * changed["unit_price_cents"]
    beans = await probe.stock("harbor", "espresso_beans")
    placed = await call("place_order", {"order_id": oid}, BOB, "cart-1")
    assert placed["state"] == "placed" and placed["total_cents"] == quote["total_cents"]
    assert await probe.stock("harbor", "espresso_beans") < beans
    await refused("illegal_transition", call, "add_order_line", {"order_id": oid, "item_id": "mocha"}, BOB)


async def test_staff_drive_the_state_machine_and_illegal_moves_are_refused(call: Caller) -> None:
    oid = (await call("create_order", TWO_OAT_LATTES, ALICE, "k-3"))["order_id"]
    await refused("illegal_transition", call, "advance_order", {"order_id": oid, "to_state": "ready"}, BARISTA)
    paid = await call("advance_order", {"order_id": oid, "to_state": "paid"}, BARISTA)
    assert paid["state"] == "queued", "a paid order goes straight to the kitchen's queue"
    assert paid["events"][-1]["actor"] == "service:kitchen"
    await refused("illegal_transition", call, "advance_order", {"order_id": oid, "to_state": "queued"}, BARISTA)
    for state in ["brewing", "ready", "collected"]:
        moved = await call("advance_order", {"order_id": oid, "to_state": state}, BARISTA)
        assert moved["state"] == state
    assert [e["to_state"] for e in moved["events"]] == [
        "draft", "placed", "paid", "queued", "brewing", "ready", "collected"]
    assert moved["events"][-1]["actor"] == "staff:s1@downtown"
    await refused("illegal_transition", call, "advance_order", {"order_id": oid, "to_state": "brewing"}, BARISTA)
    await refused("illegal_transition", call, "cancel_order", {"order_id": oid}, ALICE)


@pytest.mark.parametrize("line, code", [
    ({"item_id": "unicorn_frappe"}, "unknown_item"),
    ({"item_id": "croissant", "size": "large"}, "invalid_input"),
    ({"item_id": "latte", "size": "venti"}, "invalid_input"),
    ({"item_id": "latte", "quantity": 0}, "invalid_input"),
    ({"item_id": "latte", "quantity": -2}, "invalid_input"),
    ({"item_id": "latte", "quantity": 100000}, "invalid_input"),
    ({"item_id": "croissant", "milk": "oat"}, "invalid_input"),
    ({"item_id": "latte", "milk": "camel"}, "invalid_input"),
    ({"item_id": "croissant", "extras": ["extra_shot"]}, "invalid_input"),
    ({"item_id": "latte", "extras": ["gold_flakes"]}, "invalid_input"),
])
async def test_bad_lines_are_refused_and_nothing_is_written(call: Caller, probe: Probe, line: dict, code: str
                                                            ) -> None:
    before = await probe.snapshot()
    order = {"location_id": "downtown", "lines": [{"item_id": "americano"}, line]}
    await refused(code, call, "create_order", order, ALICE, "bad-1")
    assert await probe.snapshot() == before


async def test_unknown_shop_and_unknown_order_are_not_found(call: Caller, probe: Probe) -> None:
    await refused("not_found", call, "create_order", {"location_id": "mars", "lines": [{"item_id": "latte"}]},
                  ALICE, "k-mars")
    await refused("not_found", call, "get_order", {"order_id": 999999}, ALICE)
    assert await probe.orders() == 0


async def test_customers_only_see_and_change_their_own_orders(call: Caller) -> None:
    oid = (await call("create_order", TWO_OAT_LATTES, ALICE, "k-4"))["order_id"]
    await refused("not_found", call, "get_order", {"order_id": oid}, BOB)
    await refused("not_found", call, "cancel_order", {"order_id": oid}, BOB)
    assert (await call("list_orders", {}, BOB))["orders"] == []
    assert (await call("get_order", {"order_id": oid}, ALICE))["state"] == "placed"
    await refused("forbidden", call, "create_order", {**TWO_OAT_LATTES, "customer_id": "alice"}, BOB, "k-5")


@pytest.mark.parametrize("tool, args", [
    ("get_stock", {}),
    ("adjust_stock", {"location_id": "downtown", "ingredient_id": "oat_milk", "delta": -100, "reason": "x"}),
    ("advance_order", {"order_id": 1, "to_state": "paid"}),
])
async def test_customer_is_refused_staff_only_capabilities(call: Caller, probe: Probe, tool: str, args: dict
                                                           ) -> None:
    await call("create_order", TWO_OAT_LATTES, ALICE, "k-6")
    before = await probe.snapshot()
    await refused("forbidden", call, tool, args, ALICE)
    assert await probe.snapshot() == before


async def test_guests_may_browse_but_not_order(call: Caller, probe: Probe) -> None:
    await refused("forbidden", call, "create_order", TWO_OAT_LATTES, GUEST, "k-g")
    assert await probe.orders() == 0
    assert await probe.audit("create_order") == ["forbidden"]


async def test_idempotency_key_replays_the_first_result_and_rejects_a_different_request(
        call: Caller, probe: Probe) -> None:
    first = await call("create_order", TWO_OAT_LATTES, ALICE, "same-key")
    again = await call("create_order", TWO_OAT_LATTES, ALICE, "same-key")
    assert again == first and await probe.orders() == 1
    other = {**TWO_OAT_LATTES, "location_id": "harbor"}
    await refused("idempotency_conflict", call, "create_order", other, ALICE, "same-key")
    await refused("idempotency_key_required", call, "create_order", TWO_OAT_LATTES, ALICE, None)
    assert await probe.orders() == 1
    bobs = await call("create_order", TWO_OAT_LATTES, BOB, "same-key")
    assert bobs["order_id"] != first["order_id"]


async def test_list_orders_filters_by_state_and_shop(call: Caller) -> None:
    downtown = (await call("create_order", TWO_OAT_LATTES, ALICE, "k-l1"))["order_id"]
    harbor = (await call("create_order", {**TWO_OAT_LATTES, "location_id": "harbor"}, ALICE, "k-l2"))["order_id"]
    await call("cancel_order", {"order_id": harbor}, ALICE)
    assert [o["order_id"] for o in (await call("list_orders", {"location_id": "harbor"}, ALICE))["orders"]] == [harbor]
    placed = (await call("list_orders", {"state": "placed"}, ALICE))["orders"]
    assert [o["order_id"] for o in placed] == [downtown]
    shop = (await call("list_orders", {}, BARISTA))["orders"]
    assert {o["location_id"] for o in shop} == {"downtown"}


async def test_a_cart_can_start_with_lines_and_shops_are_listed(call: Caller, probe: Probe) -> None:
    shops = (await call("list_locations", {}, GUEST))["locations"]
    assert {s["id"] for s in shops} == {"downtown", "harbor", "campus"}
    assert all(len(s["opening_hours"]) == 7 for s in shops)
    before = await probe.stock("downtown", "oat_milk")
    cart = await call("create_cart", {"location_id": "downtown", "lines": TWO_OAT_LATTES["lines"]}, ALICE)
    assert cart["state"] == "draft" and len(cart["lines"]) == 2 and cart["total_cents"] > 0
    assert await probe.stock("downtown", "oat_milk") == before


@pytest.mark.parametrize(("tool", "args", "who"), [
    ("get_order", {"order_id": HUGE}, ALICE),
    ("cancel_order", {"order_id": HUGE}, ALICE),
    ("quote_order", {"order_id": HUGE}, ALICE),
    ("advance_order", {"order_id": HUGE, "to_state": "paid"}, BARISTA),
    ("update_order_line", {"order_id": 1, "line_id": HUGE, "quantity": 2}, ALICE),
    ("list_payments", {"order_id": HUGE}, ALICE),
    ("get_proposal", {"proposal": HUGE}, ALICE),
    ("list_kitchen_events", {"location_id": "downtown", "after_id": HUGE}, BARISTA),
])
async def test_ids_beyond_what_the_store_holds_are_invalid_input(call: Caller, probe: Probe, tool: str, args: dict,
                                                                 who: Principal) -> None:
    before = await probe.snapshot()
    error = await refused("invalid_input", call, tool, args, who)
    assert next(iter(k for k in args if args[k] == HUGE)) in error.message
    assert await probe.snapshot() == before


@pytest.mark.parametrize("quantity", ["2", True, 2.5])
async def test_a_quantity_must_be_a_number(call: Caller, probe: Probe, quantity: object) -> None:
    before = await probe.snapshot()
    order = {"location_id": "downtown", "lines": [{"item_id": "latte", "quantity": quantity}]}
    error = await refused("invalid_input", call, "create_order", order, ALICE, "k-strict")
    assert "quantity" in error.message
    assert await probe.snapshot() == before


async def test_one_person_has_one_set_of_idempotency_keys_however_their_shop_is_spelled(call: Caller,
                                                                                      probe: Probe) -> None:
    here = Principal(role=Role.CUSTOMER, id="alice", location_id="downtown")
    first = await call("create_order", TWO_OAT_LATTES, ALICE, "k-person")
    again = await call("create_order", TWO_OAT_LATTES, here, "k-person")
    assert again["order_id"] == first["order_id"] and await probe.orders() == 1
