"""Stock that leaves a shop other than in a drink: waste written off, and transfers to another shop."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


class WasteRecord(Base):
    """Units written off at a shop: an ingredient, or finished items (their recipe's ingredients)."""

    __tablename__ = "waste_records"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), index=True)
    product: Mapped[str] = mapped_column(String(40))
    """The ingredient or menu item wasted."""
    kind: Mapped[str] = mapped_column(String(12))
    """ingredient or item."""
    quantity: Mapped[int] = mapped_column(CheckConstraint("quantity > 0", name="waste_positive"))
    taken: Mapped[dict[str, int]] = mapped_column(JSON)
    """Units taken from stock per ingredient."""
    value_cents: Mapped[int] = mapped_column()
    """What the taken ingredients cost, at their supplier's pack price."""
    reason: Mapped[str] = mapped_column(String(12))
    """expired, spilled, quality or returned."""
    note: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Transfer(Base):
    """Units of an ingredient sent from one shop to another: asked for (requested, nothing moves), taken from the
    sender when sent (in transit), added to the receiver when received; a cancelled transfer in transit goes back
    to the sender."""

    __tablename__ = "transfers"
    __table_args__ = (Index("ix_transfers_to_state", "to_location_id", "state"),
                      CheckConstraint("from_location_id <> to_location_id", name="two_shops"))
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    from_location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    to_location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    ingredient_id: Mapped[str] = mapped_column(ForeignKey("ingredients.id"))
    quantity: Mapped[int] = mapped_column(CheckConstraint("quantity > 0", name="transfer_positive"))
    state: Mapped[str] = mapped_column(String(12))
    """requested, in_transit, received or cancelled."""
    note: Mapped[str] = mapped_column(String(200))
    sent_by: Mapped[str] = mapped_column(String(120))
    """Who made it: sent it, or asked for it."""
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(120))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column()
