"""Kitchen commands and views: the queue, machines, drinks' progress and the kitchen feed."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from tools.fields import MAX_ID, Flag, ShopRef, Whole
from tools.orders.models import OrderState

LocationId = Field(min_length=1, max_length=40, description="Shop id, e.g. 'downtown'.")
MachineId = Field(min_length=1, max_length=40, description="Machine id within the shop, e.g. 'm1'.")
DrinkId = Field(min_length=5, max_length=40, pattern=r"^\d+-\d+-\d+$",
                description="One drink of an order: '<order>-<line>-<unit>', e.g. '42-7-1'.")


class JobState(StrEnum):
    QUEUED = "queued"
    DISPATCHED = "dispatched"
    BREWING = "brewing"
    DONE = "done"
    CANCELLED = "cancelled"


ACTIVE = (JobState.DISPATCHED, JobState.BREWING)
OPEN = (JobState.QUEUED, *ACTIVE)


class LocationRef(BaseModel):
    location_id: ShopRef = LocationId


class MachineRef(BaseModel):
    location_id: str = LocationId
    machine_id: str = MachineId


class DrinkRef(BaseModel):
    drink_id: str = DrinkId
    note: str | None = Field(default=None, max_length=200, description="Why, for the kitchen log.")


class StartBrew(MachineRef):
    drink_id: str = DrinkId


class Refill(MachineRef):
    water_ml: Whole = Field(default=0, ge=0, le=20_000, description="Water added, ml.")
    beans_g: Whole = Field(default=0, ge=0, le=5_000, description="Beans added, grams.")


class SetMaintenance(MachineRef):
    on: Flag = Field(description="True to take the machine out of service, false to bring it back.")
    force: Flag = Field(default=False, description="Stop a brew in progress (its drink is re-queued) instead of "
                        "refusing.")


class KitchenFeedQuery(LocationRef):
    after_id: Whole = Field(default=0, ge=0, le=MAX_ID, description="Only entries after this id (resume a feed).")
    limit: Whole = Field(default=100, ge=1, le=500)


class DrinkView(BaseModel):
    drink_id: str
    order_id: int
    item_id: str
    size: str
    milk: str | None
    state: JobState
    machine_id: str | None
    attempt: int = Field(description="How many times the drink was sent to a machine.")
    promised_at: datetime
    started_at: datetime | None
    done_at: datetime | None
    done_by: str | None
    flag: str | None = Field(description="Why staff should look at it, e.g. no machine can take it.")


class KitchenQueue(BaseModel):
    location_id: str
    drinks: list[DrinkView] = Field(description="Drinks not yet made, by promised time.")


class MachineView(BaseModel):
    location_id: str
    machine_id: str
    status: str = Field(description="offline, heating, idle, brewing, descaling, maintenance or fault.")
    fault: str | None
    boiler_c: float
    water_ml: int
    beans_g: int
    brews_since_descale: int
    drink_id: str | None = Field(description="The drink the kitchen has on this machine, if any.")
    reported_at: datetime


class MachineList(BaseModel):
    machines: list[MachineView]


class CommandView(BaseModel):
    command_id: str
    location_id: str
    machine_id: str
    kind: str
    drink_id: str | None
    issued_at: datetime
    acknowledged: bool
    accepted: bool | None
    reason: str | None


class MachineDetail(BaseModel):
    machine: MachineView
    recent_commands: list[CommandView]


class OrderProgress(BaseModel):
    order_id: int
    state: OrderState
    drinks: list[DrinkView]


class KitchenEvent(BaseModel):
    id: int
    at: datetime
    location_id: str
    kind: str
    machine_id: str | None
    drink_id: str | None
    order_id: int | None
    detail: str | None


class KitchenFeed(BaseModel):
    events: list[KitchenEvent]


class DispatchResult(BaseModel):
    location_id: str
    dispatched: list[DrinkView]
    waiting: int = Field(description="Drinks still queued after this round.")
