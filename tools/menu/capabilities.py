"""Menu capabilities: browse and search items, read one item with its prices and modifiers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from store.menu import Location
from tools.context import ToolContext
from tools.errors import NotFound
from tools.fields import Flag
from tools.menu.snapshot import ExtraRec, ItemRec, MilkRec
from tools.principal import EVERYONE
from tools.registry import Rest, capability

Temperature = Literal["hot", "iced", "ambient"]


class SizePrice(BaseModel):
    size: str
    price_cents: int = Field(description="Price in cents for this size.")


class MenuItemSummary(BaseModel):
    id: str = Field(description="Menu item id, e.g. 'latte'.")
    name: str
    category: str
    description: str
    vegan: bool = Field(description="Vegan as served by default.")
    caffeinated: bool
    temperature: Temperature
    allergens: list[str] = Field(description="Allergens as served by default.")
    prices: list[SizePrice]


class ModifierOption(BaseModel):
    id: str
    name: str
    price_cents: int
    vegan: bool
    allergens: list[str]


class MenuItemDetail(MenuItemSummary):
    default_milk: str | None = Field(description="Milk used unless another is chosen; null if none.")
    milks: list[ModifierOption] = Field(description="Milks this item can be made with.")
    extras: list[ModifierOption] = Field(description="Extras this item accepts.")


class ListMenuItems(BaseModel):
    query: str | None = Field(default=None, max_length=80, description="Words to look for in name/description.")
    category: str | None = Field(default=None, max_length=40, description="Only this category, e.g. 'tea'.")
    caffeine_free: Flag = Field(default=False, description="Only items without caffeine.")
    vegan: Flag = Field(default=False, description="Only items that are vegan as served.")
    without_allergens: list[str] = Field(default=[], max_length=10, description="Exclude items with these.")
    temperature: Temperature | None = Field(default=None, description="Only hot, iced or ambient items.")


class MenuItemList(BaseModel):
    items: list[MenuItemSummary]


class ListLocations(BaseModel):
    """No arguments."""


class LocationView(BaseModel):
    id: str = Field(description="Shop id, e.g. 'downtown'.")
    name: str
    address: str
    timezone: str
    opening_hours: dict[str, list[str]] = Field(description="Weekday (mon..sun) -> [opens, closes], local time.")


class LocationList(BaseModel):
    locations: list[LocationView]


class GetMenuItem(BaseModel):
    item_id: str = Field(min_length=1, max_length=40, description="Menu item id, e.g. 'flat_white'.")


def _matches(item: ItemRec, f: ListMenuItems) -> bool:
    words = (f.query or "").lower().split()
    text = f"{item.name} {item.description} {item.category}".lower()
    return (
        all(w in text for w in words)
        and (f.category is None or item.category == f.category.lower())
        and not (f.caffeine_free and item.caffeinated)
        and not (f.vegan and not item.vegan)
        and not {a.lower() for a in f.without_allergens} & set(item.allergens)
        and (f.temperature is None or item.temperature == f.temperature)
    )


def _summary(item: ItemRec, prices: dict[str, int]) -> MenuItemSummary:
    return MenuItemSummary(
        id=item.id, name=item.name, category=item.category, description=item.description, vegan=item.vegan,
        caffeinated=item.caffeinated, temperature=item.temperature,
        allergens=item.allergens, prices=[SizePrice(size=s, price_cents=c) for s, c in prices.items()],
    )


def _option(row: MilkRec | ExtraRec) -> ModifierOption:
    return ModifierOption(id=row.id, name=row.name, price_cents=row.price_cents, vegan=row.vegan,
                          allergens=row.allergens)


@capability(domain="menu", roles=EVERYONE, rest=Rest("GET", "/menu"))
async def list_menu_items(ctx: ToolContext, cmd: ListMenuItems) -> MenuItemList:
    """List available menu items, optionally filtered by words, category, caffeine, vegan, allergens, temperature.

    Prices are in cents per size. Filters combine with AND.
    """
    menu = await ctx.menu()
    return MenuItemList(items=[_summary(i, menu.prices.get(i.id, {})) for i in menu.items.values()
                               if i.available and _matches(i, cmd)])


@capability(domain="menu", roles=EVERYONE, rest=Rest("GET", "/menu/{item_id}"))
async def get_menu_item(ctx: ToolContext, cmd: GetMenuItem) -> MenuItemDetail:
    """Get one menu item with its price per size, default milk, and the milks and extras it accepts."""
    menu = await ctx.menu()
    item = menu.items.get(cmd.item_id)
    if item is None or not item.available:
        raise NotFound(f"no menu item {cmd.item_id!r}", item_id=cmd.item_id)
    milks = list(menu.milks.values()) if item.milk_ml else []
    extras = list(menu.extras.values()) if item.accepts_extras else []
    return MenuItemDetail(
        **_summary(item, menu.prices.get(item.id, {})).model_dump(), default_milk=item.default_milk,
        milks=[_option(m) for m in milks], extras=[_option(e) for e in extras],
    )


@capability(domain="menu", roles=EVERYONE, rest=Rest("GET", "/locations"))
async def list_locations(ctx: ToolContext, cmd: ListLocations) -> LocationList:
    """List the shops with their address and opening hours."""
    rows = await ctx.session.scalars(select(Location).order_by(Location.name))
    return LocationList(locations=[LocationView(id=r.id, name=r.name, address=r.address, timezone=r.timezone,
                                                opening_hours=r.opening_hours) for r in rows])


class ListIngredients(BaseModel):
    """No arguments."""


class IngredientView(BaseModel):
    id: str = Field(description="Ingredient id, e.g. 'oat_milk'.")
    name: str
    unit: str = Field(description="The unit stock is counted in: g, ml or pc (pieces).")


class IngredientList(BaseModel):
    ingredients: list[IngredientView]


@capability(domain="menu", roles=EVERYONE, rest=Rest("GET", "/ingredients"))
async def list_ingredients(ctx: ToolContext, cmd: ListIngredients) -> IngredientList:
    """List the ingredients the recipes use, with the unit their stock is counted in."""
    menu = await ctx.menu()
    return IngredientList(ingredients=[IngredientView(id=i.id, name=i.name, unit=i.unit)
                                       for i in sorted(menu.ingredients.values(), key=lambda i: i.name)])
