"""The stock domain's inputs and answers: demand forecasts and days of cover."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from tools.fields import MAX_ID, IngredientRef, ShopRef, Slot

ProductRef = Annotated[str, Field(min_length=1, max_length=40, description=(
    "A menu item id ('latte') or an ingredient id ('oat_milk').")), Slot("product")]


class ForecastQuery(BaseModel):
    location_id: ShopRef
    product: ProductRef
    starts_on: Annotated[date | None, Slot("date")] = Field(
        default=None, description="First local day (default: today); at most 14 days ahead.")
    days: int = Field(default=7, ge=1, le=28, description="How many days.")


class DayForecast(BaseModel):
    day: date
    weekday: str
    expected: float
    low: float
    high: float


class DemandForecast(BaseModel):
    location_id: str
    product: str
    name: str
    kind: str
    """item (units sold) or ingredient (used by the items sold, in its stock unit)."""
    unit: str
    starts_on: date
    days: int
    daily: list[DayForecast]
    total: float
    total_low: float
    total_high: float
    """The total's 80 % interval, from the daily ones (taken as independent)."""
    total_shown: str
    range_shown: str
    busiest: str
    model: str
    history_days: int


class CoverQuery(BaseModel):
    location_id: ShopRef
    ingredient_id: IngredientRef


class DaysOfCover(BaseModel):
    location_id: str
    ingredient_id: str
    ingredient_name: str
    unit: str
    on_hand: int
    per_day: float
    """The forecast's average daily use over the coming four weeks."""
    days_of_cover: float
    runs_out_on: date | None
    """The day the forecast use passes what is on hand, if within four weeks."""
    on_hand_shown: str
    per_day_shown: str
    runs_out_note: str


class RestockQuery(BaseModel):
    location_id: ShopRef


class LineOut(BaseModel):
    ingredient_id: str
    name: str
    packs: int
    pack: int
    unit: str
    quantity: int
    """Units ordered (packs × pack), in the ingredient's stock unit."""
    received: int
    cost: str
    why: str


class PurchaseOrderOut(BaseModel):
    order_id: int
    location_id: str
    supplier_id: str
    supplier_name: str
    state: str
    expected_on: date | None
    lines: list[LineOut]
    total_cents: int
    total: str
    summary: str
    """"3 lines, $91.90": for a reply."""
    below_minimum: bool
    note: str
    """" (below the supplier's $150.00 minimum)" when it is, else empty: for a reply."""
    version: int


class RestockPlan(BaseModel):
    location_id: str
    orders: list[PurchaseOrderOut]
    """Draft purchase orders, one per supplier with something to order (a re-suggestion replaces them)."""
    enough: list[str]
    """The products that need nothing now, each with why."""


class PurchaseOrderQuery(BaseModel):
    location_id: ShopRef | None = None
    state: Literal["draft", "submitted", "partially_received", "received", "cancelled"] | None = None


class PurchaseOrderList(BaseModel):
    orders: list[PurchaseOrderOut]


class PurchaseOrderRef(BaseModel):
    order_id: Annotated[int, Slot("number")] = Field(strict=True, ge=1, le=MAX_ID, description="Purchase order number.")
    version: int | None = Field(default=None, ge=1, description="The version as read; a later change is a conflict.")


class ReceivedLine(BaseModel):
    ingredient_id: IngredientRef
    quantity: int = Field(ge=0, le=10_000_000, description="Units that arrived, in the ingredient's stock unit.")
    damaged: int = Field(default=0, ge=0, le=10_000_000, description="Of those, units damaged (not stocked).")
    pack_cents: int | None = Field(default=None, ge=0, le=10_000_000,
                                   description="The price per pack charged, when it differs from the order's.")


class ReceiveDelivery(BaseModel):
    order_id: int = Field(strict=True, ge=1, le=MAX_ID, description="Purchase order number.")
    lines: list[ReceivedLine] = Field(min_length=1, max_length=50)
    note: str = Field(default="", max_length=200)


class ReceiptOut(BaseModel):
    receipt_id: int
    order: PurchaseOrderOut
    stocked: dict[str, int]
    """Units added to the shop's stock per ingredient (what arrived less what was damaged)."""
    short: dict[str, int]
    """Units still owed per ingredient (ordered less received so far), where any are."""
    price_differences: list[str]
