"""Inventory: stock per location, and the atomic reservation that placing an order makes.

Reservation is one conditional UPDATE per ingredient (`quantity >= need`), taken in ingredient order,
so concurrent orders can never drive stock negative and never deadlock each other.
"""

from __future__ import annotations

from collections import Counter
from math import ceil
from typing import Annotated

from pydantic import BaseModel, Field
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.engine import rows_changed
from store.inventory import Stock
from store.menu import Ingredient
from store.orders import Order, OrderLine, Reservation
from store.stock_moves import Transfer
from tools.context import ToolContext
from tools.errors import Conflict, Forbidden, NotFound, OutOfStock
from tools.fields import IngredientRef, Note, ShopRef, Slot, Whole
from tools.menu.snapshot import Snapshot
from tools.principal import STAFF_ONLY, Principal, Role
from tools.registry import Rest, Talk, capability
from tools.stock.alerts import stock_moved


class StockQuery(BaseModel):
    location_id: str | None = Field(default=None, max_length=40, description="Only this shop; default all.")
    ingredient_id: str | None = Field(default=None, max_length=40, description="Only this ingredient.")


class StockLevel(BaseModel):
    location_id: str
    ingredient_id: str
    ingredient_name: str
    unit: str
    quantity: int
    in_transit: int = 0
    """Units on their way here from another shop (a transfer not yet received)."""


class StockReport(BaseModel):
    levels: list[StockLevel]


class AdjustStock(BaseModel):
    location_id: ShopRef
    ingredient_id: IngredientRef
    delta: Annotated[Whole, Slot("amount", unit_of="ingredient_id")] = Field(
        ge=-1_000_000, le=1_000_000, description="Units to add or remove (a count correction), in the ingredient's "
                                                 "unit. Waste is recorded with record_waste.")
    reason: Note = Field(min_length=1, max_length=200, description="Why, for the audit log.")


def ensure_location_scope(principal: Principal, location_id: str) -> None:
    """Staff bound to a shop act only there; managers and services act everywhere."""
    if principal.role == Role.STAFF and principal.location_id and principal.location_id != location_id:
        raise Forbidden(f"staff of {principal.location_id} cannot act on {location_id}", location_id=location_id)


def require_location(menu: Snapshot, location_id: str) -> None:
    if location_id not in menu.locations:
        raise NotFound(f"no shop {location_id!r}", location_id=location_id)


def _line_recipe(menu: Snapshot, line: OrderLine) -> Counter[str]:
    """Ingredient use of one unit of the line at 100 % size."""
    recipe: Counter[str] = Counter(menu.recipes.get(line.item_id, {}))
    if line.milk:
        recipe[menu.milks[line.milk].ingredient_id] += menu.items[line.item_id].milk_ml
    extras = [menu.extras[e] for e in line.extras]
    for extra in extras:
        recipe[extra.ingredient_id] += extra.amount
    for extra in extras:  # swaps last, so decaf also covers an extra shot, whatever the order given
        if extra.replaces_ingredient_id and extra.replaces_ingredient_id in recipe:
            recipe[extra.ingredient_id] += recipe.pop(extra.replaces_ingredient_id)
    return +recipe


def ingredient_needs(menu: Snapshot, lines: list[OrderLine]) -> Counter[str]:
    """Total ingredient use for the lines: size-scaled recipe, chosen milk, extras (decaf swaps beans)."""
    needs: Counter[str] = Counter()
    for line in lines:
        for ingredient, amount in _line_recipe(menu, line).items():
            needs[ingredient] += ceil(amount * menu.sizes[line.size] / 100) * line.quantity
    return +needs


async def reserve(session: AsyncSession, menu: Snapshot, order: Order) -> None:
    """Take the order's ingredients from its shop's stock, all or nothing; OutOfStock names what is short."""
    needs = ingredient_needs(menu, order.lines)
    for ingredient_id in sorted(needs):
        amount = needs[ingredient_id]
        taken = await session.execute(
            update(Stock)
            .where(Stock.location_id == order.location_id, Stock.ingredient_id == ingredient_id,
                   Stock.quantity >= amount)
            .values(quantity=Stock.quantity - amount)
        )
        if rows_changed(taken) != 1:
            ingredient = menu.ingredients.get(ingredient_id)
            name = ingredient.name if ingredient else ingredient_id
            raise OutOfStock(f"{name} is out of stock at {order.location_id}", ingredient_id=ingredient_id,
                             ingredient=name, location_id=order.location_id)
        order.reservations.append(Reservation(ingredient_id=ingredient_id, amount=amount))


async def release(session: AsyncSession, order: Order) -> None:
    """Return an order's reserved ingredients to its shop's stock."""
    for r in sorted(order.reservations, key=lambda r: r.ingredient_id):
        await session.execute(update(Stock).where(Stock.location_id == order.location_id,
                                                  Stock.ingredient_id == r.ingredient_id)
                              .values(quantity=Stock.quantity + r.amount))
    order.reservations.clear()


async def _levels(session: AsyncSession, cmd: StockQuery) -> list[StockLevel]:
    query = (select(Stock, Ingredient).join(Ingredient, Ingredient.id == Stock.ingredient_id)
             .order_by(Stock.location_id, Stock.ingredient_id))
    if cmd.location_id:
        query = query.where(Stock.location_id == cmd.location_id)
    if cmd.ingredient_id:
        query = query.where(Stock.ingredient_id == cmd.ingredient_id)
    coming = await in_transit(session)
    return [StockLevel(location_id=s.location_id, ingredient_id=s.ingredient_id, ingredient_name=i.name,
                       unit=i.unit, quantity=s.quantity, in_transit=coming.get((s.location_id, s.ingredient_id), 0))
            for s, i in (await session.execute(query)).all()]


async def in_transit(session: AsyncSession) -> dict[tuple[str, str], int]:
    """Units on their way to each shop, per (shop, ingredient)."""
    rows = await session.execute(select(Transfer.to_location_id, Transfer.ingredient_id, func.sum(Transfer.quantity))
                                 .where(Transfer.state == "in_transit")
                                 .group_by(Transfer.to_location_id, Transfer.ingredient_id))
    return {(shop, i): int(n) for shop, i, n in rows.all()}


@capability(domain="inventory", roles=STAFF_ONLY, rest=Rest("GET", "/stock"))
async def get_stock(ctx: ToolContext, cmd: StockQuery) -> StockReport:
    """Show ingredient stock, optionally for one shop or one ingredient. Staff see their own shop's (the default
    for them); managers see every shop's."""
    p = ctx.principal
    if p.role == Role.STAFF and p.location_id:
        ensure_location_scope(p, cmd.location_id or p.location_id)
        cmd = cmd.model_copy(update={"location_id": p.location_id})
    if cmd.location_id:
        require_location(await ctx.menu(), cmd.location_id)
    return StockReport(levels=await _levels(ctx.session, cmd))


@capability(domain="inventory", roles=STAFF_ONLY, mutating=True, needs_approval=True,
            rest=Rest("POST", "/stock/adjustments"), talk=Talk(
                asks=("restock", "restocked", "got in", "we got", "just got", "count correction", "stock count",
                      "correct the count", "add", "remove"),
                unless=("order with", "purchase order", "the order", "supplier", "draft"),
                negative=("waste", "wasted", "write off", "threw away", "thrown away", "spilled", "spilt",
                          "expired", "went off", "remove", "take off", "broke", "dropped"),
                confirm="Shall I record {delta} of {ingredient_id} at {location_id} (\"{reason}\")?",
                done="Recorded: {ingredient_name} at {location_id} is now {quantity:,} {unit}.",
                questions={"ingredient_id": "Which ingredient?", "delta": "How much, and in which unit?"}))
async def adjust_stock(ctx: ToolContext, cmd: AdjustStock) -> StockLevel:
    """Add or remove units of an ingredient at a shop outside a delivery or waste (a count correction).

    Stock can never go below zero: a removal larger than what is there is refused.
    """
    ensure_location_scope(ctx.principal, cmd.location_id)
    menu = await ctx.menu()
    require_location(menu, cmd.location_id)
    if cmd.ingredient_id not in menu.ingredients:
        raise NotFound(f"no ingredient {cmd.ingredient_id!r}", ingredient_id=cmd.ingredient_id)
    changed = await ctx.session.execute(
        update(Stock)
        .where(Stock.location_id == cmd.location_id, Stock.ingredient_id == cmd.ingredient_id,
               Stock.quantity + cmd.delta >= 0)
        .values(quantity=Stock.quantity + cmd.delta)
    )
    if rows_changed(changed) != 1:
        raise Conflict("that would take stock below zero", ingredient_id=cmd.ingredient_id, delta=cmd.delta)
    await stock_moved(ctx.session, ctx.now(), ctx.principal.as_header(), cmd.location_id, {cmd.ingredient_id: cmd.delta})
    query = StockQuery(location_id=cmd.location_id, ingredient_id=cmd.ingredient_id)
    return (await _levels(ctx.session, query))[0]
