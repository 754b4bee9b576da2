"""Order commands, views and the order state machine."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from tools.fields import Id, OrderNumber, Whole

MAX_QUANTITY = 20
MAX_LINES = 20
MAX_EXTRAS = 5


class OrderState(StrEnum):
    DRAFT = "draft"
    PLACED = "placed"
    PAID = "paid"
    QUEUED = "queued"
    BREWING = "brewing"
    READY = "ready"
    COLLECTED = "collected"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


S = OrderState
TRANSITIONS: dict[OrderState, frozenset[OrderState]] = {
    S.DRAFT: frozenset({S.PLACED, S.CANCELLED}),
    S.PLACED: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.QUEUED, S.REFUNDED}),
    S.QUEUED: frozenset({S.BREWING, S.READY, S.REFUNDED}),
    S.BREWING: frozenset({S.READY, S.REFUNDED}),
    S.READY: frozenset({S.COLLECTED, S.REFUNDED}),
    S.COLLECTED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}
"""Legal moves. Paid orders are refunded rather than cancelled: money has moved."""

OrderId = Field(description="Order number.")


class LineSpec(BaseModel):
    item_id: str = Field(min_length=1, max_length=40, description="Menu item id, e.g. 'latte'.")
    size: str | None = Field(default=None, max_length=20, description="small, medium, large or regular; "
                             "default medium (or the item's only size).")
    quantity: Whole = Field(default=1, ge=1, le=MAX_QUANTITY, description=f"How many, 1..{MAX_QUANTITY}.")
    milk: str | None = Field(default=None, max_length=20, description="whole, skim, oat, almond or soy; "
                             "default: the item's usual milk.")
    extras: list[str] = Field(default=[], max_length=MAX_EXTRAS, description="Extra ids, e.g. 'extra_shot'.")


class CreateCart(BaseModel):
    location_id: str = Field(min_length=1, max_length=40, description="Shop the order is for, e.g. 'downtown'.")
    lines: list[LineSpec] = Field(default=[], max_length=MAX_LINES, description="Lines to start the cart with.")
    customer_id: str | None = Field(default=None, max_length=64,
                                    description="Staff only: the customer the cart is for.")


class CreateOrder(BaseModel):
    location_id: str = Field(min_length=1, max_length=40, description="Shop the order is for, e.g. 'downtown'.")
    lines: list[LineSpec] = Field(min_length=1, max_length=MAX_LINES, description="What to order.")
    customer_id: str | None = Field(default=None, max_length=64,
                                    description="Staff only: the customer the order is for.")


class AddOrderLine(LineSpec):
    order_id: Id = OrderId


class UpdateOrderLine(BaseModel):
    order_id: Id = OrderId
    line_id: Id = Field(description="Line to change.")
    size: str | None = Field(default=None, max_length=20, description="New size, if changing.")
    quantity: Whole | None = Field(default=None, ge=1, le=MAX_QUANTITY, description="New quantity, if changing.")
    milk: str | None = Field(default=None, max_length=20, description="New milk, if changing.")
    extras: list[str] | None = Field(default=None, max_length=MAX_EXTRAS, description="New extras, if changing.")


class RemoveOrderLine(BaseModel):
    order_id: Id = OrderId
    line_id: Id = Field(description="Line to remove.")


class OrderRef(BaseModel):
    order_id: Id = OrderId


class CancelOrder(BaseModel):
    order_id: Id = OrderId
    reason: str | None = Field(default=None, max_length=200, description="Why, for the record.")


StaffMove = Literal["paid", "queued", "brewing", "ready", "collected", "refunded"]
"""The states staff move an order to; placing and cancelling have capabilities of their own."""


class AdvanceOrder(BaseModel):
    order_id: OrderNumber
    to_state: StaffMove = Field(description="The state to move the order to; must be a legal next state.")
    note: str | None = Field(default=None, max_length=200)


class ListOrders(BaseModel):
    state: OrderState | None = Field(default=None, description="Only orders in this state.")
    location_id: str | None = Field(default=None, max_length=40, description="Staff: only this shop.")
    limit: Whole = Field(default=50, ge=1, le=200)


class OrderLineView(BaseModel):
    line_id: int
    item_id: str
    item_name: str
    size: str
    quantity: int
    milk: str | None
    extras: list[str]
    unit_price_cents: int
    line_total_cents: int


class OrderEventView(BaseModel):
    from_state: OrderState | None
    to_state: OrderState
    at: datetime
    actor: str
    note: str | None


class OrderView(BaseModel):
    order_id: int
    customer_id: str
    location_id: str
    state: OrderState
    lines: list[OrderLineView]
    total_cents: int = Field(description="Sum of the lines, in cents.")
    created_at: datetime
    placed_at: datetime | None
    events: list[OrderEventView]
    next_states: list[OrderState] = Field(description="States this order may legally move to.")


class OrderList(BaseModel):
    orders: list[OrderView]
