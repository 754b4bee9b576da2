"""Pricing and recipe arithmetic against the seeded catalog snapshot (pure functions, no transaction)."""

from __future__ import annotations

import pytest

from gocoffee.bootstrap import Platform
from store.menu import ItemPrice
from store.orders import OrderLine
from tools.errors import InvalidInput, UnknownItem
from tools.inventory import ingredient_needs
from tools.menu.snapshot import CatalogCache, Snapshot, load_snapshot
from tools.orders.pricing import price_line

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]


@pytest.fixture
async def menu(platform: Platform) -> Snapshot:
    async with platform.db.reader() as session:
        return await load_snapshot(session)


def line(item: str, size: str, quantity: int = 1, milk: str | None = None, extras: tuple[str, ...] = ()
         ) -> OrderLine:
    return OrderLine(item_id=item, size=size, quantity=quantity, milk=milk, extras=list(extras))


async def test_recipe_scales_with_size_and_uses_the_chosen_milk(menu: Snapshot) -> None:
    needs = ingredient_needs(menu, [line("latte", "large", 2, "oat")])
    beans = menu.recipes["latte"]["espresso_beans"]
    milk_ml = menu.items["latte"].milk_ml
    assert needs["espresso_beans"] == -(-beans * 125 // 100) * 2
    assert needs["oat_milk"] == -(-milk_ml * 125 // 100) * 2
    assert "whole_milk" not in needs


async def test_decaf_swaps_every_shot_whatever_the_order_of_extras(menu: Snapshot) -> None:
    for extras in [("decaf", "extra_shot"), ("extra_shot", "decaf")]:
        needs = ingredient_needs(menu, [line("latte", "medium", 1, "whole", extras)])
        assert "espresso_beans" not in needs
        assert needs["decaf_beans"] == menu.recipes["latte"]["espresso_beans"] + menu.extras["extra_shot"].amount


async def test_unit_price_adds_size_milk_and_extras(menu: Snapshot) -> None:
    priced = price_line(menu, "latte", "large", 1, "oat", ["vanilla_syrup", "extra_shot"])
    expected = (menu.prices["latte"]["large"] + menu.milks["oat"].price_cents
                + menu.extras["vanilla_syrup"].price_cents + menu.extras["extra_shot"].price_cents)
    assert priced.unit_price_cents == expected
    assert price_line(menu, "croissant", None, 1, None, []).size == "regular"
    assert price_line(menu, "latte", None, 1, None, []).milk == "whole"


@pytest.mark.parametrize("args", [("latte", "venti", None, []), ("croissant", None, "oat", []),
                                  ("green_tea", None, None, ["unicorn_dust"])])
async def test_lines_the_menu_cannot_make_are_refused(menu: Snapshot, args: tuple) -> None:
    item, size, milk, extras = args
    with pytest.raises(InvalidInput):
        price_line(menu, item, size, 1, milk, extras)
    with pytest.raises(UnknownItem):
        price_line(menu, "unicorn_frappe", None, 1, None, [])


async def test_catalog_cache_serves_a_snapshot_until_its_ttl_expires(platform: Platform) -> None:
    now = [0.0]
    cache = CatalogCache(ttl_seconds=30, monotonic=lambda: now[0])
    async with platform.db.writer() as session, session.begin():
        first = await cache.get(session)
        price = await session.get(ItemPrice, ("latte", "small"))
        assert price is not None
        price.price_cents += 100
    async with platform.db.reader() as session:
        assert (await cache.get(session)).prices["latte"]["small"] == first.prices["latte"]["small"]
        now[0] = 31.0
        assert (await cache.get(session)).prices["latte"]["small"] == first.prices["latte"]["small"] + 100
        cache.invalidate()
        assert (await cache.get(session)) is not first
