"""What the task board's capabilities take and give."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from tools.fields import MAX_ID, ShopRef, Slot

TaskRole = Literal["barista", "keyholder", "baker", "manager"]
Priority = Literal["low", "normal", "high", "urgent"]
AboutKind = Literal["machine", "order", "shift", "purchase_order"]
TaskState = Literal["open", "done", "cancelled"]
TaskRef = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, description="Task number."), Slot("number")]
PersonRef = Annotated[str | None, Field(default=None, min_length=1, max_length=40, description=(
    "Staff member id, e.g. 'ben'.")), Slot("person")]
Version = Annotated[int | None, Field(default=None, ge=1, description=(
    "The task's version as you last read it: the change is refused if someone changed the task since."))]


class Assignee(BaseModel):
    """Who does it: a person, or whoever holds a role at the shop (neither: anyone at the shop)."""

    assignee_id: PersonRef
    assignee_role: TaskRole | None = None


class CreateTask(Assignee):
    title: Annotated[str, Slot("title")] = Field(min_length=2, max_length=120, description="What is to be done.")
    location_id: ShopRef
    due_on: Annotated[date | None, Slot("date")] = Field(default=None, description="The shop's local day it is due.")
    due_time: Annotated[time | None, Slot("time")] = Field(default=None, description="Local time it is due by.")
    due_part: Literal["open", "close"] | None = Field(default=None, description=(
        "Due by the shop's opening or closing on that day (instead of a time)."))
    priority: Priority = "normal"
    about_kind: AboutKind | None = Field(default=None, description="What the task is about…")
    about_id: str | None = Field(default=None, min_length=1, max_length=60, description="…and which one ('m1', '42').")

    @model_validator(mode="after")
    def _consistent(self) -> CreateTask:
        if self.due_time is not None and self.due_part is not None:
            raise ValueError("say a due time or the opening or closing, not both")
        if (self.about_kind is None) != (self.about_id is None):
            raise ValueError("about_kind and about_id go together")
        return self


class AssignTask(Assignee):
    task_id: TaskRef
    version: Version


class TaskDone(BaseModel):
    task_id: TaskRef
    version: Version


class TaskQuery(BaseModel):
    location_id: ShopRef | None = Field(default=None, description="One shop's board (default: staff see their own).")
    view: Literal["board", "mine", "overdue"] = Field(default="board", description=(
        "board: a shop's tasks; mine: those for you (yourself, or your role at your shops); overdue: open tasks "
        "past their due time, across the shops unless one is named."))
    state: TaskState = "open"
    due_on: Annotated[date | None, Slot("date")] = Field(default=None, description="Only tasks due that local day.")


class RecurringPlan(BaseModel):
    location_id: ShopRef | None = Field(default=None, description="One shop (default: every shop).")
    first_day: date | None = Field(default=None, description="From this local day (default: today).")
    days: int = Field(default=7, strict=True, ge=1, le=31, description="How many days ahead.")


class TaskOut(BaseModel):
    task_id: int
    title: str
    location_id: str
    assignee_id: str | None
    assignee_role: str | None
    who: str
    """A person's name, "any keyholder", or "anyone"."""
    due_at: datetime | None
    due: str
    """The shop's local due time ("due Mon 7 Dec 18:30"), or "no due time"."""
    overdue: bool
    priority: str
    state: str
    about_kind: str | None
    about_id: str | None
    source: str
    created_by: str
    done_by: str | None
    version: int


class TaskList(BaseModel):
    tasks: list[TaskOut]


class RecurringPlanned(BaseModel):
    created: int
    """New tasks; a rule's day that already has its task is not made again."""
    tasks: list[TaskOut]
