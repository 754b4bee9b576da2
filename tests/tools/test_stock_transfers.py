"""Transfers between shops: the sender's stock drops at once and the units are in transit (visible at the
receiver) until received; a cancel returns them; a transfer never leaves the sender below its reorder point; a
retried transfer moves stock once; suggestions come from what other shops hold beyond their reorder point.
Identical for every caller and store."""

from __future__ import annotations

import pytest

from tests.callers import Caller, Json
from tests.tools.contract import MANAGER, refused
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio

BEN = Principal(role=Role.STAFF, id="ben", location_id="downtown")
HANA = Principal(role=Role.STAFF, id="hana", location_id="harbor")
OAT = "oat_milk"


async def level(call: Caller, shop: str, ingredient_id: str = OAT) -> Json:
    return (await call("get_stock", {"location_id": shop, "ingredient_id": ingredient_id}, MANAGER))["levels"][0]


async def reorder_point(call: Caller, shop: str, ingredient_id: str) -> int:
    """The sender's floor, read from the refusal of a transfer of everything it holds."""
    held = (await level(call, shop, ingredient_id))["quantity"]
    refusal = await refused("conflict", call, "transfer_stock", {
        "from_location_id": shop, "to_location_id": "downtown" if shop != "downtown" else "campus",
        "ingredient_id": ingredient_id, "quantity": held or 1}, MANAGER, f"probe-{shop}-{ingredient_id}")
    return int(refusal.details["reorder_point"])


async def set_stock(call: Caller, shop: str, ingredient_id: str, quantity: int) -> None:
    delta = quantity - (await level(call, shop, ingredient_id))["quantity"]
    if delta:
        await call("adjust_stock", {"location_id": shop, "ingredient_id": ingredient_id, "delta": delta,
                                    "reason": "count"}, MANAGER)


async def surplus(call: Caller, shop: str, ingredient_id: str, spare: int) -> int:
    """Give `shop` exactly `spare` units beyond its reorder point; returns what it then holds."""
    point = await reorder_point(call, shop, ingredient_id)
    await set_stock(call, shop, ingredient_id, point + spare)
    return point + spare


async def test_a_transfer_is_in_transit_until_received_and_received_once(call: Caller) -> None:
    held = await surplus(call, "harbor", OAT, 10_000)
    downtown = (await level(call, "downtown"))["quantity"]
    sent = await call("transfer_stock", {"from_location_id": "harbor", "to_location_id": "downtown",
                                         "ingredient_id": OAT, "quantity": 5000, "note": "for the weekend"},
                      HANA, "t-1")
    assert sent["state"] == "in_transit" and sent["quantity_shown"] == "5.0 l" and sent["sent_by"] == "staff:hana"
    assert (await level(call, "harbor"))["quantity"] == held - 5000
    arriving = await level(call, "downtown")
    assert arriving["quantity"] == downtown and arriving["in_transit"] == 5000
    listed = await call("list_transfers", {"state": "in_transit"}, BEN)
    assert [t["transfer_id"] for t in listed["transfers"]] == [sent["transfer_id"]]
    await refused("forbidden", call, "receive_transfer", {"transfer_id": sent["transfer_id"]}, HANA)
    got = await call("receive_transfer", {"transfer_id": sent["transfer_id"]}, BEN)
    assert got["state"] == "received" and got["version"] == 2
    after = await level(call, "downtown")
    assert after["quantity"] == downtown + 5000 and after["in_transit"] == 0
    await refused("illegal_transition", call, "receive_transfer", {"transfer_id": sent["transfer_id"]}, BEN)
    await refused("illegal_transition", call, "cancel_transfer", {"transfer_id": sent["transfer_id"]}, MANAGER)
    assert (await level(call, "downtown"))["quantity"] == downtown + 5000


async def test_a_cancelled_transfer_goes_back_to_the_sender(call: Caller) -> None:
    held = await surplus(call, "campus", OAT, 3000)
    sent = await call("transfer_stock", {"from_location_id": "campus", "to_location_id": "harbor",
                                         "ingredient_id": OAT, "quantity": 3000}, MANAGER, "t-2")
    await refused("conflict", call, "cancel_transfer", {"transfer_id": sent["transfer_id"], "version": 7}, MANAGER)
    await refused("forbidden", call, "cancel_transfer", {"transfer_id": sent["transfer_id"]}, BEN)
    back = await call("cancel_transfer", {"transfer_id": sent["transfer_id"]}, MANAGER)
    assert back["state"] == "cancelled" and (await level(call, "campus"))["quantity"] == held
    assert (await level(call, "harbor"))["in_transit"] == 0
    await refused("illegal_transition", call, "receive_transfer", {"transfer_id": sent["transfer_id"]}, MANAGER)


async def test_a_retried_transfer_moves_stock_once(call: Caller) -> None:
    held = await surplus(call, "harbor", OAT, 4000)
    ask = {"from_location_id": "harbor", "to_location_id": "campus", "ingredient_id": OAT, "quantity": 2000}
    first = await call("transfer_stock", ask, MANAGER, "same-run")
    again = await call("transfer_stock", ask, MANAGER, "same-run")
    assert again == first and (await level(call, "harbor"))["quantity"] == held - 2000
    await refused("idempotency_key_required", call, "transfer_stock", ask, MANAGER)


async def test_a_transfer_that_would_leave_the_sender_short_is_refused_and_changes_nothing(call: Caller) -> None:
    held = await surplus(call, "harbor", OAT, 1000)
    refusal = await refused("conflict", call, "transfer_stock", {
        "from_location_id": "harbor", "to_location_id": "downtown", "ingredient_id": OAT, "quantity": 1500},
        MANAGER, "t-short")
    assert "below its reorder point" in refusal.message and refusal.details["spare"] == 1000
    assert (await level(call, "harbor"))["quantity"] == held and (await level(call, "downtown"))["in_transit"] == 0
    bad = [({"from_location_id": "harbor", "to_location_id": "harbor", "ingredient_id": OAT, "quantity": 1},
            "invalid_input", MANAGER),
           ({"from_location_id": "harbor", "to_location_id": "downtown", "ingredient_id": OAT, "quantity": 0},
            "invalid_input", MANAGER),
           ({"from_location_id": "harbor", "to_location_id": "mars", "ingredient_id": OAT, "quantity": 1},
            "not_found", MANAGER),
           ({"from_location_id": "harbor", "to_location_id": "downtown", "ingredient_id": "gold", "quantity": 1},
            "not_found", MANAGER),
           ({"from_location_id": "harbor", "to_location_id": "downtown", "ingredient_id": OAT, "quantity": 1},
            "forbidden", BEN)]
    for n, (args, code, who) in enumerate(bad):
        await refused(code, call, "transfer_stock", args, who, f"bad-{n}")
    assert (await level(call, "harbor"))["quantity"] == held
    assert (await call("list_transfers", {}, MANAGER))["transfers"] == []


async def test_a_shortage_before_the_next_delivery_is_met_from_another_shops_surplus(call: Caller) -> None:
    await set_stock(call, "downtown", OAT, 0)
    await surplus(call, "campus", OAT, 2000)
    await surplus(call, "harbor", OAT, 60_000)
    plan = await call("suggest_transfers", {"location_id": "downtown", "ingredient_id": OAT}, BEN)
    assert [(t["from_location_id"], t["to_location_id"]) for t in plan["transfers"]] == [("harbor", "downtown")]
    idea = plan["transfers"][0]
    assert 0 < idea["quantity"] <= 60_000 and idea["quantity"] % 100 == 0 and "beyond its reorder point" in idea["why"]
    await call("transfer_stock", {k: idea[k] for k in ("from_location_id", "to_location_id", "ingredient_id",
                                                       "quantity")}, MANAGER, "t-idea")
    after = await call("suggest_transfers", {"location_id": "downtown", "ingredient_id": OAT}, BEN)
    assert after["transfers"] == [] and "lasts until" in after["order_note"]  # what is in transit counts


async def test_no_transfer_is_suggested_when_no_shop_can_spare_or_the_delivery_comes_in_time(call: Caller) -> None:
    await set_stock(call, "downtown", OAT, 0)
    for shop in ("campus", "harbor"):
        await surplus(call, shop, OAT, 0)
    none = await call("suggest_transfers", {"location_id": "downtown", "ingredient_id": OAT}, BEN)
    assert none["transfers"] == [] and "no shop can spare any" in none["order_note"]
    await set_stock(call, "downtown", OAT, 500_000)
    plenty = await call("suggest_transfers", {"location_id": "downtown", "ingredient_id": OAT}, BEN)
    assert plenty["transfers"] == [] and "lasts until" in plenty["order_note"]
    await refused("forbidden", call, "suggest_transfers", {"location_id": "harbor"}, BEN)
    await refused("not_found", call, "suggest_transfers", {"location_id": "downtown", "ingredient_id": "gold"}, BEN)


async def test_a_shop_asks_another_and_nothing_moves_until_the_sender_sends(call: Caller) -> None:
    held = await surplus(call, "harbor", OAT, 2000)
    downtown = (await level(call, "downtown"))["quantity"]
    ask = {"from_location_id": "harbor", "to_location_id": "downtown", "ingredient_id": OAT, "quantity": 3000}
    await refused("forbidden", call, "request_transfer", ask, HANA, "ask-hana")  # harbor cannot ask for downtown
    asked = await call("request_transfer", ask, BEN, "ask-1")
    assert asked["state"] == "requested" and (await level(call, "harbor"))["quantity"] == held
    assert (await level(call, "downtown"))["in_transit"] == 0
    note = (await call("list_notifications", {}, Principal(role=Role.STAFF, id="ben", location_id="harbor")))["items"]
    assert any(n["topic"] == "transfer" and f"transfer {asked['transfer_id']}" in n["text"] for n in note)
    await refused("forbidden", call, "send_transfer", {"transfer_id": asked["transfer_id"]}, BEN)  # not the sender
    await refused("illegal_transition", call, "receive_transfer", {"transfer_id": asked["transfer_id"]}, BEN)
    short = await refused("conflict", call, "send_transfer", {"transfer_id": asked["transfer_id"]}, HANA)
    assert short.details["spare"] == 2000  # 3,000 would leave harbor short: refused, still requested
    listed = (await call("list_transfers", {"state": "requested"}, MANAGER))["transfers"]
    assert [t["transfer_id"] for t in listed] == [asked["transfer_id"]]
    await surplus(call, "harbor", OAT, 5000)
    sent = await call("send_transfer", {"transfer_id": asked["transfer_id"]}, HANA)
    assert sent["state"] == "in_transit" and (await level(call, "downtown"))["in_transit"] == 3000
    await call("receive_transfer", {"transfer_id": asked["transfer_id"]}, BEN)
    assert (await level(call, "downtown"))["quantity"] == downtown + 3000


async def test_either_shop_may_cancel_a_request_and_nothing_was_taken(call: Caller) -> None:
    held = await surplus(call, "harbor", OAT, 2000)
    ask = {"from_location_id": "harbor", "to_location_id": "downtown", "ingredient_id": OAT, "quantity": 1000}
    first = await call("request_transfer", ask, BEN, "ask-2")
    second = await call("request_transfer", ask, BEN, "ask-3")
    assert (await call("cancel_transfer", {"transfer_id": first["transfer_id"]}, BEN))["state"] == "cancelled"
    assert (await call("cancel_transfer", {"transfer_id": second["transfer_id"]}, HANA))["state"] == "cancelled"
    await refused("illegal_transition", call, "send_transfer", {"transfer_id": first["transfer_id"]}, HANA)
    assert (await level(call, "harbor"))["quantity"] == held
