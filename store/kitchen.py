"""Kitchen tables: machines as last reported, one brew job per drink, the command outbox and the kitchen log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


class Machine(Base):
    """A machine's last retained state as the kitchen saw it (machines announce themselves over MQTT)."""

    __tablename__ = "machines"
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    fault: Mapped[str | None] = mapped_column(String(20))
    boiler_c: Mapped[float] = mapped_column()
    water_ml: Mapped[int] = mapped_column()
    beans_g: Mapped[int] = mapped_column()
    brews_since_descale: Mapped[int] = mapped_column()
    job_id: Mapped[str | None] = mapped_column(String(60))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    hold_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Not dispatched to before this time: the machine just refused a brew."""


class BrewJob(Base):
    """One drink to make: `<order>-<line>-<unit>`. Attempts count dispatches; only the current one counts."""

    __tablename__ = "brew_jobs"
    __table_args__ = (Index("ix_brew_jobs_location_state", "location_id", "state"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    item_id: Mapped[str] = mapped_column(String(40))
    size: Mapped[str] = mapped_column(String(20))
    milk: Mapped[str | None] = mapped_column(String(20))
    shots: Mapped[int] = mapped_column()
    state: Mapped[str] = mapped_column(String(12))
    machine_id: Mapped[str | None] = mapped_column(String(40))
    attempt: Mapped[int] = mapped_column(default=0)
    promised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[str | None] = mapped_column(String(120))
    flag: Mapped[str | None] = mapped_column(String(200))
    """Why staff should look at this drink (no machine can take it); cleared when it is dispatched."""


class MachineCommand(Base):
    """The outbox: a command is written in the deciding transaction and published (again) until acknowledged."""

    __tablename__ = "machine_commands"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    location_id: Mapped[str] = mapped_column(String(40))
    machine_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[str] = mapped_column(Text)
    job_id: Mapped[str | None] = mapped_column(String(60))
    issued_by: Mapped[str] = mapped_column(String(120))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sends: Mapped[int] = mapped_column(default=0)
    acked: Mapped[bool] = mapped_column(default=False, index=True)
    accepted: Mapped[bool | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(200))


class KitchenLogEntry(Base):
    """What happened in a kitchen, in order: the staff display's feed (resumable by id)."""

    __tablename__ = "kitchen_log"
    __table_args__ = (Index("ix_kitchen_log_location_id", "location_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    location_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(30))
    machine_id: Mapped[str | None] = mapped_column(String(40))
    job_id: Mapped[str | None] = mapped_column(String(40))
    order_id: Mapped[int | None] = mapped_column()
    detail: Mapped[str | None] = mapped_column(String(200))
