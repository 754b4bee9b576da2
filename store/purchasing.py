"""Buying stock: suppliers and what they sell, the level each shop stocks up to, and purchase orders."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


class Supplier(Base):
    __tablename__ = "suppliers"
    id: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    lead_days: Mapped[int] = mapped_column()
    delivers: Mapped[list[str]] = mapped_column()
    """The weekdays it delivers on (mon…sun)."""
    min_order_cents: Mapped[int] = mapped_column()
    par_days: Mapped[int] = mapped_column()
    """Days of a shop's average use its products are stocked up to."""


class SupplierProduct(Base):
    """An ingredient as one supplier sells it (each ingredient has one supplier)."""

    __tablename__ = "supplier_products"
    ingredient_id: Mapped[str] = mapped_column(ForeignKey("ingredients.id"), primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    pack: Mapped[int] = mapped_column(CheckConstraint("pack > 0", name="pack_positive"))
    """Units of the ingredient (its stock unit) in one pack."""
    pack_cents: Mapped[int] = mapped_column()
    shelf_days: Mapped[int | None] = mapped_column()
    """Perishables: how long a delivery keeps."""


class ParLevel(Base):
    __tablename__ = "par_levels"
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    ingredient_id: Mapped[str] = mapped_column(ForeignKey("ingredients.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column()
    reorder_point: Mapped[int] = mapped_column(default=0)
    """Below this the shop is low (a task and a notification); set from the forecast by each restock suggestion."""


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (Index("ix_purchase_orders_location_state", "location_id", "state"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"))
    state: Mapped[str] = mapped_column(String(20))
    """draft, submitted, partially_received, received or cancelled."""
    expected_on: Mapped[date | None] = mapped_column()
    source: Mapped[str] = mapped_column(String(12))
    """suggested (made by a restock suggestion, replaced by the next) or manual."""
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_by: Mapped[str | None] = mapped_column(String(120))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column()


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), primary_key=True)
    ingredient_id: Mapped[str] = mapped_column(ForeignKey("ingredients.id"), primary_key=True)
    packs: Mapped[int] = mapped_column(CheckConstraint("packs > 0", name="packs_positive"))
    pack: Mapped[int] = mapped_column()
    """Units in a pack when ordered."""
    pack_cents: Mapped[int] = mapped_column()
    received: Mapped[int] = mapped_column(default=0)
    """Units received so far (in the ingredient's stock unit)."""
    why: Mapped[str] = mapped_column(String(400))
    """The reasoning behind the quantity: on hand, forecast, lead time, safety stock."""


class Receipt(Base):
    """One delivery received against a purchase order: what arrived, what was damaged, what it cost."""

    __tablename__ = "receipts"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """Per ingredient: arrived, damaged (units), and the pack price charged where it differed."""
    note: Mapped[str] = mapped_column(String(200))
    received_by: Mapped[str] = mapped_column(String(120))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
