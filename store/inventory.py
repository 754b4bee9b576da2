"""Stock per shop."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base


class Stock(Base):
    __tablename__ = "stock"
    __table_args__ = (CheckConstraint("quantity >= 0", name="quantity_nonneg"),)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    ingredient_id: Mapped[str] = mapped_column(ForeignKey("ingredients.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column()
