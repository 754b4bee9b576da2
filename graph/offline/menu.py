"""Read the menu facts the engine needs through the same menu tools every agent uses."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from graph.offline.vocab import MenuFacts
from mcp_servers.gateway import Gateway
from tools.menu.capabilities import IngredientList, LocationList, MenuItemDetail, MenuItemList
from tools.principal import GUEST, Principal, Role
from tools.scheduling.models import StaffList

ENGINE = Principal(role=Role.SERVICE, id="offline-engine")


def shop_today(menu: MenuFacts, shop: str | None, now: datetime) -> date:
    """Today where the shop is (the chain's first shop when none is known): at 8 pm in New York it is still today
    there, whatever the server's own date."""
    zone = menu.zones.get(shop or "") or next(iter(menu.zones.values()), "UTC")
    return now.astimezone(ZoneInfo(zone)).date()


async def menu_facts(gateway: Gateway) -> MenuFacts:
    items = await gateway.call("list_menu_items", {}, principal=GUEST)
    shops = await gateway.call("list_locations", {}, principal=GUEST)
    ingredients = await gateway.call("list_ingredients", {}, principal=GUEST)
    staff = await gateway.call("list_staff", {}, principal=ENGINE)  # names the staff say ("Anna's Tuesday shift")
    assert isinstance(staff, StaffList)
    assert isinstance(items, MenuItemList) and isinstance(shops, LocationList)
    assert isinstance(ingredients, IngredientList)
    milk_items, extra_items = set(), set()
    for item in items.items:
        if item.category in ("bakery", "food"):
            continue
        detail = await gateway.call("get_menu_item", {"item_id": item.id}, principal=GUEST)
        assert isinstance(detail, MenuItemDetail)
        if detail.milks:
            milk_items.add(item.id)
        if detail.extras:
            extra_items.add(item.id)
    return MenuFacts(
        items={i.id: i.name for i in items.items},
        sizes={i.id: [p.size for p in i.prices] for i in items.items},
        milk_items=milk_items, extra_items=extra_items,
        shops={s.id: s.name for s in shops.locations},
        zones={s.id: s.timezone for s in shops.locations},
        categories={i.id: i.category for i in items.items},
        ingredients={i.id: i.name for i in ingredients.ingredients},
        units={i.id: i.unit for i in ingredients.ingredients},
        people={s.staff_id: s.name for s in staff.staff},
    )
