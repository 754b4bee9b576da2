"""The menu and the shops it is served at: items, prices per size, recipes, milks, extras, ingredients."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base


class Location(Base):
    __tablename__ = "locations"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(60))
    opening_hours: Mapped[dict[str, list[str]]] = mapped_column()


class Ingredient(Base):
    __tablename__ = "ingredients"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(8))


class Size(Base):
    __tablename__ = "sizes"
    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    recipe_percent: Mapped[int] = mapped_column()


class MenuItem(Base):
    __tablename__ = "menu_items"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(String(400))
    vegan: Mapped[bool] = mapped_column()
    caffeinated: Mapped[bool] = mapped_column()
    temperature: Mapped[str] = mapped_column(String(8))
    allergens: Mapped[list[str]] = mapped_column()
    milk_ml: Mapped[int] = mapped_column(default=0)
    default_milk: Mapped[str | None] = mapped_column(ForeignKey("milks.id"))
    accepts_extras: Mapped[bool] = mapped_column()
    available: Mapped[bool] = mapped_column(default=True)


class ItemPrice(Base):
    __tablename__ = "item_prices"
    item_id: Mapped[str] = mapped_column(ForeignKey("menu_items.id"), primary_key=True)
    size: Mapped[str] = mapped_column(ForeignKey("sizes.id"), primary_key=True)
    price_cents: Mapped[int] = mapped_column(CheckConstraint("price_cents >= 0", name="price_nonneg"))


class RecipeComponent(Base):
    """Ingredient use for one item at 100 % size (the chosen milk is `MenuItem.milk_ml` of that milk)."""

    __tablename__ = "recipe_components"
    item_id: Mapped[str] = mapped_column(ForeignKey("menu_items.id"), primary_key=True)
    ingredient_id: Mapped[str] = mapped_column(ForeignKey("ingredients.id"), primary_key=True)
    amount: Mapped[int] = mapped_column()


class Milk(Base):
    __tablename__ = "milks"
    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    price_cents: Mapped[int] = mapped_column()
    vegan: Mapped[bool] = mapped_column()
    allergens: Mapped[list[str]] = mapped_column()
    ingredient_id: Mapped[str] = mapped_column(ForeignKey("ingredients.id"))


class Extra(Base):
    """A paid modifier. It adds `amount` of an ingredient, or swaps one ingredient for another (decaf)."""

    __tablename__ = "extras"
    id: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    price_cents: Mapped[int] = mapped_column()
    vegan: Mapped[bool] = mapped_column()
    allergens: Mapped[list[str]] = mapped_column()
    ingredient_id: Mapped[str] = mapped_column(ForeignKey("ingredients.id"))
    amount: Mapped[int] = mapped_column(default=0)
    replaces_ingredient_id: Mapped[str | None] = mapped_column(ForeignKey("ingredients.id"))
