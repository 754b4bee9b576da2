"""Seed data: a small but realistic chain, kept as data in `seed/chain.toml` and loaded once."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store import inventory, scheduling
from store import menu as m


class SizeSeed(BaseModel):
    id: str
    recipe_percent: int = Field(gt=0)


class LocationSeed(BaseModel):
    id: str
    name: str
    address: str
    timezone: str
    opening_hours: dict[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], list[str]]
    stock_percent: int = Field(default=100, ge=0)


class IngredientSeed(BaseModel):
    id: str
    name: str
    unit: Literal["g", "ml", "pc"]
    stock: int = Field(ge=0, description="Starting stock at a location whose stock_percent is 100.")


class MilkSeed(BaseModel):
    id: str
    name: str
    price_cents: int = Field(ge=0)
    vegan: bool
    allergens: list[str] = []
    ingredient: str


class ExtraSeed(BaseModel):
    id: str
    name: str
    price_cents: int = Field(ge=0)
    vegan: bool
    allergens: list[str] = []
    ingredient: str
    amount: int = Field(default=0, ge=0)
    replaces: str | None = None


class ItemSeed(BaseModel):
    id: str
    name: str
    category: str
    description: str
    vegan: bool
    caffeinated: bool
    temperature: Literal["hot", "iced", "ambient"]
    allergens: list[str] = []
    milk_ml: int = Field(default=0, ge=0)
    default_milk: str | None = None
    accepts_extras: bool = False
    prices: dict[str, int]
    recipe: dict[str, int]

    @model_validator(mode="after")
    def _milk_needs_default(self) -> ItemSeed:
        if self.milk_ml and not self.default_milk:
            raise ValueError(f"{self.id}: milk_ml set without default_milk")
        return self


class ChainSeed(BaseModel):
    sizes: list[SizeSeed]
    locations: list[LocationSeed]
    ingredients: list[IngredientSeed]
    milks: list[MilkSeed]
    extras: list[ExtraSeed]
    items: list[ItemSeed]

    @model_validator(mode="after")
    def _references_resolve(self) -> ChainSeed:
        ingredients = {i.id for i in self.ingredients}
        sizes = {s.id for s in self.sizes}
        milks = {mk.id for mk in self.milks}
        refs = [mk.ingredient for mk in self.milks] + [e.ingredient for e in self.extras]
        refs += [e.replaces for e in self.extras if e.replaces]
        for item in self.items:
            refs += list(item.recipe)
            if not set(item.prices) <= sizes:
                raise ValueError(f"{item.id}: unknown size in {sorted(item.prices)}")
            if item.default_milk and item.default_milk not in milks:
                raise ValueError(f"{item.id}: unknown milk {item.default_milk}")
        missing = set(refs) - ingredients
        if missing:
            raise ValueError(f"unknown ingredients: {sorted(missing)}")
        return self


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class StaffSeed(BaseModel):
    id: str
    name: str
    home: str
    locations: list[str]
    skills: list[Literal["barista", "keyholder", "baker", "manager"]]
    hourly_rate_cents: int = Field(gt=0)
    min_hours: int = Field(ge=0)
    max_hours: int = Field(gt=0, le=60)
    availability: dict[Weekday, list[str]]
    preferences: dict[Literal["prefer", "avoid"], list[Weekday]] = {}

    @model_validator(mode="after")
    def _sensible(self) -> StaffSeed:
        if self.home not in self.locations or self.min_hours > self.max_hours:
            raise ValueError(f"{self.id}: home must be one of its shops, min_hours at most max_hours")
        return self


class PeopleSeed(BaseModel):
    staff: list[StaffSeed]


def load_people() -> PeopleSeed:
    text = resources.files("store").joinpath("seed/staff.toml").read_text(encoding="utf-8")
    return PeopleSeed.model_validate(tomllib.loads(text))


def staff_rows(people: PeopleSeed) -> list[object]:
    return [scheduling.StaffMember(id=s.id, name=s.name, home_location_id=s.home, locations=s.locations,
                                   skills=list(s.skills), hourly_rate_cents=s.hourly_rate_cents,
                                   min_hours=s.min_hours, max_hours=s.max_hours,
                                   availability=dict(s.availability),
                                   preferences={k: list(v) for k, v in s.preferences.items()})
            for s in people.staff]


def load_chain() -> ChainSeed:
    text = resources.files("store").joinpath("seed/chain.toml").read_text(encoding="utf-8")
    return ChainSeed.model_validate(tomllib.loads(text))


def catalog_rows(chain: ChainSeed) -> list[object]:
    """Every catalog row in foreign-key order."""
    rows: list[object] = [m.Size(id=s.id, recipe_percent=s.recipe_percent) for s in chain.sizes]
    rows += [m.Ingredient(id=i.id, name=i.name, unit=i.unit) for i in chain.ingredients]
    rows += [m.Location(**loc.model_dump(exclude={"stock_percent"})) for loc in chain.locations]
    rows += [m.Milk(**mk.model_dump(exclude={"ingredient"}), ingredient_id=mk.ingredient) for mk in chain.milks]
    rows += [
        m.Extra(**e.model_dump(exclude={"ingredient", "replaces"}), ingredient_id=e.ingredient,
                replaces_ingredient_id=e.replaces)
        for e in chain.extras
    ]
    for item in chain.items:
        rows.append(m.MenuItem(**item.model_dump(exclude={"prices", "recipe"})))
        rows += [m.ItemPrice(item_id=item.id, size=s, price_cents=p) for s, p in item.prices.items()]
        rows += [m.RecipeComponent(item_id=item.id, ingredient_id=i, amount=a) for i, a in item.recipe.items()]
    for loc in chain.locations:
        rows += [
            inventory.Stock(location_id=loc.id, ingredient_id=i.id, quantity=i.stock * loc.stock_percent // 100)
            for i in chain.ingredients
        ]
    return rows


async def seed_if_empty(session: AsyncSession) -> bool:
    """Load the chain into an empty store; return whether anything was written."""
    if await session.scalar(select(func.count()).select_from(m.MenuItem)):
        return False
    chain = load_chain()
    for row in [*catalog_rows(chain), *staff_rows(load_people())]:
        session.add(row)
        await session.flush()
    return True
