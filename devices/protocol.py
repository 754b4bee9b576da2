"""The coffee-machine protocol over MQTT: topics, payloads, delivery rules.

Topics: `gocoffee/<location>/machines/<machine>/<channel>`
- `state`     machine → all, retained, QoS 1: the machine's current `MachineState` (the last will sets OFFLINE),
              republished on every (re)connect
- `telemetry` machine → all, QoS 0: boiler temperature and hopper levels, frequent and disposable
- `commands`  kitchen → machine, QoS 1: a `Command`; every command carries an id, acknowledged exactly once
- `events`    machine → kitchen, QoS 1: an `Event` (ack, brew started/completed/aborted, fault, …)
Payloads are JSON of the pydantic models below; commands and events are unions tagged by `kind`.
Events can be lost across a broker restart or duplicated (same `event_id`) by QoS 1: a kitchen dedupes by
`event_id` and reconciles its brews from the retained state's `recent_jobs`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal
from uuid import uuid4

from pydantic import BaseModel, Field, TypeAdapter

ROOT = "gocoffee"
Channel = Literal["state", "telemetry", "commands", "events"]
COMMAND_QOS = EVENT_QOS = STATE_QOS = 1
TELEMETRY_QOS = 0


def topic(location_id: str, machine_id: str, channel: Channel) -> str:
    return f"{ROOT}/{location_id}/machines/{machine_id}/{channel}"


def subscription(location_id: str = "+", channel: Channel | Literal["+"] = "+") -> str:
    """A filter for every machine's `channel` at a location (or everywhere)."""
    return f"{ROOT}/{location_id}/machines/+/{channel}"


def parse_topic(name: str) -> tuple[str, str, str]:
    """(location, machine, channel) of a protocol topic; ValueError for anything else."""
    parts = name.split("/")
    if len(parts) != 5 or parts[0] != ROOT or parts[2] != "machines":
        raise ValueError(f"not a machine topic: {name}")
    return parts[1], parts[3], parts[4]


class Status(StrEnum):
    OFFLINE = "offline"
    HEATING = "heating"
    IDLE = "idle"
    BREWING = "brewing"
    DESCALING = "descaling"
    MAINTENANCE = "maintenance"
    FAULT = "fault"


class FaultCode(StrEnum):
    GRINDER_JAM = "grinder_jam"
    LOW_WATER = "low_water"
    DESCALING_DUE = "descaling_due"


class JobOutcome(BaseModel):
    job_id: str = Field(max_length=60)
    outcome: Literal["completed", "aborted"]
    reason: str | None = None


class MachineState(BaseModel):
    machine_id: str = Field(min_length=1, max_length=40)
    location_id: str = Field(min_length=1, max_length=40)
    status: Status
    boiler_c: float
    water_ml: int
    beans_g: int
    brews_since_descale: int
    fault: FaultCode | None = None
    job_id: str | None = Field(default=None, max_length=60, description="The brew in progress, if any.")
    recent_jobs: list[JobOutcome] = Field(default_factory=list, description="The last few brews' outcomes, newest "
                                          "last, so a kitchen that missed an event (e.g. across a broker restart) can "
                                          "reconcile from the retained state.")
    at: datetime


class Telemetry(BaseModel):
    machine_id: str = Field(min_length=1, max_length=40)
    boiler_c: float
    water_ml: int
    beans_g: int
    at: datetime


def _id() -> str:
    return uuid4().hex


class _Command(BaseModel):
    command_id: str = Field(default_factory=_id)


class Brew(_Command):
    kind: Literal["brew"] = "brew"
    job_id: str = Field(max_length=60, description="One drink of an order and its attempt, e.g. '42-1-2#1'.")
    item_id: str
    size: str
    milk: str | None = None
    shots: int = Field(default=2, ge=0, le=4)


class Stop(_Command):
    kind: Literal["stop"] = "stop"
    job_id: str = Field(max_length=60)


class Descale(_Command):
    kind: Literal["descale"] = "descale"


class Maintenance(_Command):
    kind: Literal["maintenance"] = "maintenance"
    on: bool


class ClearFault(_Command):
    kind: Literal["clear_fault"] = "clear_fault"


class Refill(_Command):
    kind: Literal["refill"] = "refill"
    water_ml: int = Field(default=0, ge=0)
    beans_g: int = Field(default=0, ge=0)


Command = Annotated[Brew | Stop | Descale | Maintenance | ClearFault | Refill, Field(discriminator="kind")]


class _Event(BaseModel):
    event_id: str = Field(default_factory=_id)
    machine_id: str = Field(min_length=1, max_length=40)
    at: datetime


class Ack(_Event):
    kind: Literal["ack"] = "ack"
    command_id: str
    accepted: bool
    reason: str | None = Field(default=None, description="Why a command was refused (an interlock).")


class BrewStarted(_Event):
    kind: Literal["brew_started"] = "brew_started"
    job_id: str = Field(max_length=60)


class BrewCompleted(_Event):
    kind: Literal["brew_completed"] = "brew_completed"
    job_id: str = Field(max_length=60)


class BrewAborted(_Event):
    kind: Literal["brew_aborted"] = "brew_aborted"
    job_id: str = Field(max_length=60)
    reason: str


class Faulted(_Event):
    kind: Literal["fault"] = "fault"
    code: FaultCode


class DescaleDone(_Event):
    kind: Literal["descale_done"] = "descale_done"


Event = Annotated[Ack | BrewStarted | BrewCompleted | BrewAborted | Faulted | DescaleDone, Field(discriminator="kind")]

COMMANDS: TypeAdapter[Command] = TypeAdapter(Command)
EVENTS: TypeAdapter[Event] = TypeAdapter(Event)
