"""Sales history by shop and hour: what the staffing need, labour share and (later) stock forecasts are built on."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


class SalesHour(Base):
    """One shop's trade in one clock hour (starting at `starts_at`)."""

    __tablename__ = "sales_hours"
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    orders: Mapped[int] = mapped_column()
    drinks: Mapped[int] = mapped_column()
    revenue_cents: Mapped[int] = mapped_column()


class ItemSalesDay(Base):
    """How many of one item (with one milk, or none: "") a shop sold on one local day: what demand forecasts and
    ingredient use are built on."""

    __tablename__ = "item_sales_days"
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("menu_items.id"), primary_key=True)
    milk_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    quantity: Mapped[int] = mapped_column()
