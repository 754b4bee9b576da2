"""Payment commands and views, shared by the capabilities and the providers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from tools.fields import Id, Whole
from tools.orders.models import OrderId, OrderState


class Method(StrEnum):
    STORED_VALUE = "stored_value"
    CARD = "card"
    COFFEE = "coffee"


PaymentState = Literal["pending", "authorized", "captured", "failed", "refunded"]
TxHash = Field(default=None, pattern=r"^0x[0-9a-fA-F]{64}$",
               description="coffee only: the hash of a transaction you sent yourself that paid this order into "
                           "the escrow contract. Leave empty to pay from your Go Coffee COFFEE account.")


class PayOrder(BaseModel):
    order_id: Id = OrderId
    method: Method = Field(default=Method.STORED_VALUE, description="stored_value (your wallet balance), card "
                           "(Stripe) or coffee (COFFEE tokens).")
    payment_method: str | None = Field(default=None, min_length=3, max_length=100, pattern=r"^pm_[A-Za-z0-9_]+$",
                                       description="card only: a Stripe PaymentMethod id, e.g. pm_card_visa.")
    tx_hash: str | None = TxHash


class RefundPayment(BaseModel):
    order_id: Id = OrderId
    amount_cents: Whole | None = Field(default=None, ge=1, le=100_000_000, description="Part of the payment to return; default: "
                                     "all that is left. A full refund also refunds the order.")
    reason: str = Field(min_length=1, max_length=200)
    approval_id: str | None = Field(default=None, max_length=40, description="A manager's approval of this refund, "
                                    "needed by staff for refunds above the approval limit.")


class ConfirmPayment(BaseModel):
    order_id: Id = OrderId


class PaymentView(BaseModel):
    payment_id: str
    order_id: int
    customer_id: str
    provider: Method
    state: PaymentState
    amount_cents: int
    refunded_cents: int
    points_earned: int
    reference: str | None = Field(description="The provider's id: Stripe PaymentIntent, or chain transaction hash.")
    order_state: OrderState
    created_at: datetime
    settled_at: datetime | None = Field(default=None, description="COFFEE: when the escrow released the payment "
                                        "to the merchant (the order was ready).")


class PaymentList(BaseModel):
    payments: list[PaymentView]
