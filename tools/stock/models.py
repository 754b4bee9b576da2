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


class SubmitPurchaseOrder(PurchaseOrderRef):
    approval_id: str | None = Field(default=None, max_length=40, description="Another manager's approval of this "
                                    "submission, needed above the approval limit.")


class DraftLine(BaseModel):
    location_id: ShopRef
    ingredient_id: IngredientRef
    quantity: Annotated[int, Slot("amount", unit_of="ingredient_id")] = Field(
        ge=1, le=10_000_000, description="Units wanted, in the ingredient's stock unit (rounded up to whole packs).")


class EditLine(BaseModel):
    order_id: int = Field(strict=True, ge=1, le=MAX_ID, description="Purchase order number.")
    ingredient_id: IngredientRef
    packs: int = Field(ge=0, le=10_000, description="Packs to order; 0 takes the line off.")
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
    order_id: int
    order: PurchaseOrderOut
    stocked: dict[str, int]
    """Units added to the shop's stock per ingredient (what arrived less what was damaged)."""
    short: dict[str, int]
    """Units still owed per ingredient (ordered less received so far), where any are."""
    price_differences: list[str]
    summary: str
    """What was stocked, the order's state, what is still owed: for a reply."""


WasteReason = Literal["expired", "spilled", "quality", "returned"]


class RecordWaste(BaseModel):
    location_id: ShopRef
    product: ProductRef
    quantity: Annotated[int, Slot("amount", unit_of="product")] = Field(
        ge=1, le=1_000_000, description="How much was wasted: items, or units of the ingredient's stock unit.")
    reason: WasteReason = Field(description="expired (gone off, stale), spilled (or dropped), quality (made wrong, "
                                            "not good enough) or returned (by a customer).")
    note: Annotated[str, Slot("text")] = Field(default="", max_length=200)


class WasteOut(BaseModel):
    waste_id: int
    location_id: str
    product: str
    name: str
    kind: str
    quantity: int
    reason: str
    taken: dict[str, int]
    """Units taken from stock per ingredient."""
    taken_shown: str
    value_cents: int
    value: str
    low: list[str]
    """Ingredients this took below their reorder point (a task and a notification went to the shop)."""


class WasteQuery(BaseModel):
    location_id: ShopRef | None = None
    days: int = Field(default=7, ge=1, le=90, description="The last this many days, today included.")


class WasteSummary(BaseModel):
    location_id: str | None
    days: int
    records: int
    value_cents: int
    value: str
    by_reason: dict[str, str]
    """Value written off per reason."""
    top: str
    """The products most wasted by value, for a reply."""
    where: str
    """" at downtown", or empty for every shop: for a reply."""
    reasons: str


FromShop = Annotated[str, Field(min_length=1, max_length=40, description="The shop sending, e.g. 'campus'."),
                     Slot("shop", after="from")]
ToShop = Annotated[str, Field(min_length=1, max_length=40, description="The shop receiving, e.g. 'downtown'."),
                   Slot("shop", after="to")]


class TransferStock(BaseModel):
    from_location_id: FromShop
    to_location_id: ToShop
    ingredient_id: IngredientRef
    quantity: Annotated[int, Slot("amount", unit_of="ingredient_id")] = Field(
        ge=1, le=1_000_000, description="Units to send, in the ingredient's stock unit.")
    note: Annotated[str, Slot("text")] = Field(default="", max_length=200)


class TransferRef(BaseModel):
    transfer_id: Annotated[int, Slot("number")] = Field(strict=True, ge=1, le=MAX_ID, description="Transfer number.")
    version: int | None = Field(default=None, ge=1, description="The version as read; a later change is a conflict.")


class TransferQuery(BaseModel):
    location_id: ShopRef | None = Field(default=None, description="Transfers from or to this shop; default all.")
    state: Literal["requested", "in_transit", "received", "cancelled"] | None = None


class TransferOut(BaseModel):
    transfer_id: int
    from_location_id: str
    to_location_id: str
    ingredient_id: str
    name: str
    unit: str
    quantity: int
    quantity_shown: str
    state: str
    note: str
    sent_by: str
    version: int
    low: list[str] = []
    """Ingredients this move took below a reorder point (a task and a notification went to that shop)."""


class TransferList(BaseModel):
    transfers: list[TransferOut]


class TransferNeed(BaseModel):
    location_id: ShopRef
    ingredient_id: IngredientRef | None = Field(default=None, description="Only this ingredient; default every "
                                                "ingredient the shop is short of.")


class TransferIdea(BaseModel):
    from_location_id: str
    to_location_id: str
    ingredient_id: str
    name: str
    quantity: int
    quantity_shown: str
    why: str


class TransferPlan(BaseModel):
    location_id: str
    transfers: list[TransferIdea]
    order_instead: list[str]
    """Shortages better met by the next delivery, or that no shop can spare, each with why."""
    order_note: str
    """The same, for a reply ("" when there are none)."""


class CompareQuery(BaseModel):
    days: int = Field(default=7, ge=1, le=56, description="The last this many days (up to yesterday).")


class ShopFigures(BaseModel):
    location_id: str
    sales_cents: int
    sales: str
    orders: int
    average_wait_minutes: float | None
    """From placed to ready, over the platform's orders in the period (None: none were made ready)."""
    waste_cents: int
    waste_percent: float
    """Waste written off as a share of sales."""
    low_stock_alerts: int
    """Times an ingredient crossed below its reorder point."""
    out_of_stock: int
    """Ingredients at zero now."""
    labour_percent: float | None
    """The period's held shifts' pay as a share of sales (None: no shifts on record for it)."""
    row: str
    """The shop's line of the table, for a reply."""


class ShopComparison(BaseModel):
    first_day: date
    last_day: date
    days: int
    shops: list[ShopFigures]
    """Highest sales first."""
    table: str
    top: str


class RecordDelivery(BaseModel):
    location_id: ShopRef
    ingredient_id: IngredientRef
    quantity: Annotated[int, Slot("amount", unit_of="ingredient_id")] = Field(
        ge=1, le=10_000_000, description="Units that arrived, in the ingredient's stock unit.")
    damaged: int = Field(default=0, ge=0, le=10_000_000, description="Of those, units damaged (not stocked).")
