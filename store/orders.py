"""Orders, their lines, their history of states and the stock they hold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.base import Base, UTCDateTime


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    state: Mapped[str] = mapped_column(String(16), index=True)
    total_cents: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    placed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lines: Mapped[list[OrderLine]] = relationship(
        order_by="OrderLine.id", cascade="all, delete-orphan", lazy="selectin"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        order_by="OrderEvent.id", cascade="all, delete-orphan", lazy="selectin"
    )
    reservations: Mapped[list[Reservation]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_pos"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("menu_items.id"))
    size: Mapped[str] = mapped_column(ForeignKey("sizes.id"))
    quantity: Mapped[int] = mapped_column()
    milk: Mapped[str | None] = mapped_column(ForeignKey("milks.id"))
    extras: Mapped[list[str]] = mapped_column()
    unit_price_cents: Mapped[int] = mapped_column()


class OrderEvent(Base):
    __tablename__ = "order_events"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(200))


class Reservation(Base):
    """Ingredients taken from a location's stock when an order was placed; returned on cancel."""

    __tablename__ = "reservations"
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    ingredient_id: Mapped[str] = mapped_column(ForeignKey("ingredients.id"), primary_key=True)
    amount: Mapped[int] = mapped_column()
