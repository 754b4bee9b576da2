"""Sales history by shop and hour: what the staffing need, labour share and (later) stock forecasts are built on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
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
