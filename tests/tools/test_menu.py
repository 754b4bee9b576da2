"""The menu's contract, identical for every caller and store."""

from __future__ import annotations

import pytest

from tests.callers import Caller
from tests.tools.contract import GUEST, refused

pytestmark = pytest.mark.anyio



async def test_menu_lists_the_chain_and_filters_by_attributes(call: Caller) -> None:
    everything = (await call("list_menu_items", {}, GUEST))["items"]
    assert len(everything) >= 30
    vegan = (await call("list_menu_items", {"vegan": True}, GUEST))["items"]
    assert vegan and all(i["vegan"] for i in vegan) and len(vegan) < len(everything)
    calm = (await call("list_menu_items", {"caffeine_free": True, "temperature": "hot"}, GUEST))["items"]
    assert "hot_chocolate" in {i["id"] for i in calm}
    assert all(not i["caffeinated"] and i["temperature"] == "hot" for i in calm)
    no_milk = (await call("list_menu_items", {"without_allergens": ["milk", "gluten"]}, GUEST))["items"]
    assert no_milk and not any({"milk", "gluten"} & set(i["allergens"]) for i in no_milk)
    teas = (await call("list_menu_items", {"category": "tea"}, GUEST))["items"]
    assert {"green_tea", "earl_grey_tea"} <= {i["id"] for i in teas}


async def test_menu_item_has_prices_per_size_and_its_modifiers(call: Caller) -> None:
    latte = await call("get_menu_item", {"item_id": "latte"}, GUEST)
    prices = {p["size"]: p["price_cents"] for p in latte["prices"]}
    assert set(prices) == {"small", "medium", "large"} and prices["small"] < prices["medium"] < prices["large"]
    assert {m["id"] for m in latte["milks"]} == {"whole", "skim", "oat", "almond", "soy"}
    assert {"extra_shot", "vanilla_syrup", "caramel_syrup", "whipped_cream", "decaf"} <= {
        e["id"] for e in latte["extras"]}
    croissant = await call("get_menu_item", {"item_id": "croissant"}, GUEST)
    assert croissant["milks"] == [] and croissant["extras"] == []
    await refused("not_found", call, "get_menu_item", {"item_id": "unicorn_frappe"}, GUEST)


async def test_ingredients_are_listed_with_the_unit_stock_is_counted_in(call: Caller) -> None:
    listed = (await call("list_ingredients", {}, GUEST))["ingredients"]
    units = {i["id"]: i["unit"] for i in listed}
    assert units["oat_milk"] == "ml" and units["espresso_beans"] == "g" and units["croissant"] == "pc"
    assert [i["name"] for i in listed] == sorted(i["name"] for i in listed)
