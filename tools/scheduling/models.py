"""What the scheduling capabilities take and give."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from tools.fields import MAX_ID, Note, ShopRef, Slot

Role = Literal["barista", "keyholder", "baker"]
SoftRule = Literal["availability", "weekly_hours"]
PersonRef = Annotated[str, Field(min_length=1, max_length=40, description="Staff member id, e.g. 'anna'."),
                      Slot("person")]
ShiftRef = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, description="Shift number.")]
Version = Annotated[int | None, Field(default=None, ge=1, description=(
    "The shift's version as you last read it: the change is refused if someone changed the shift since."))]
LocalTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="Local time, HH:MM.")]
Overrides = Annotated[list[SoftRule], Field(default_factory=list, max_length=2, description=(
    "Soft rules a manager knowingly overrides for this change; hard rules cannot be overridden."))]


class ShiftPick(BaseModel):
    """Which shift: its number, or whose shift on which day, or a shop's opening or closing shift on a day (the
    keyholder's, unless a role is named)."""

    shift_id: int | None = Field(default=None, strict=True, ge=1, le=MAX_ID, description="Shift number.")
    holder: Annotated[str | None, Slot("person", before="to")] = Field(
        default=None, max_length=40, description="Whose shift (with `on`).")
    on: Annotated[date | None, Slot("date", before="to")] = Field(default=None, description="The shift's local day.")
    location_id: ShopRef | None = Field(default=None, description="The shift's shop (with `on`).")
    part: Literal["open", "close"] | None = Field(default=None, description="The day's opening or closing shift.")
    role: Role | None = None


class ShiftOut(BaseModel):
    shift_id: int
    location_id: str
    role: str
    starts_at: datetime
    ends_at: datetime
    day: date
    """The shop's local date."""
    weekday: str
    start: LocalTime
    end: LocalTime
    hours: float
    staff_id: str | None
    staff_name: str | None
    held_by: str
    """The holder's name, or "open"."""
    state: str
    version: int


class ShiftList(BaseModel):
    shifts: list[ShiftOut]


class ShiftQuery(BaseModel):
    location_id: ShopRef | None = Field(default=None, description="Only this shop (staff: their own by default).")
    staff_id: PersonRef | None = Field(default=None, description="Only this person's shifts.")
    starts_on: Annotated[date | None, Slot("date")] = Field(default=None, description="First local day; default today.")
    days: int | None = Field(default=None, ge=1, le=42, strict=True, description=(
        "How many days from starts_on (default: that day when starts_on is given, else the next 7)."))


class AssignShift(ShiftPick):
    staff_id: Annotated[str, Slot("person", after="to")] = Field(min_length=1, max_length=40,
                                                                 description="Who takes the shift.")
    version: Version = None
    override: Overrides


class UnassignShift(ShiftPick):
    version: Version = None


class MoveShift(ShiftPick):
    day: Annotated[date | None, Slot("date", after="to")] = Field(
        default=None, description="The new local day (default: the same day).")
    start: LocalTime | None = Field(default=None, description="New local start time, HH:MM (default: the same).")
    end: LocalTime | None = Field(default=None, description="New local end time, HH:MM (default: the same length).")
    version: Version = None
    override: Overrides


class SwapShifts(BaseModel):
    shift_id: ShiftRef
    other_shift_id: ShiftRef
    override: Overrides



class CoverQuery(ShiftPick):
    pass


class Candidate(BaseModel):
    staff_id: str
    name: str
    hours_that_week: float
    """Hours they already work in the shift's week."""
    hours_left: float
    """Up to their contracted maximum, after taking the shift."""
    hourly_rate_cents: int
    why: str
    """Why they can (and what a manager would override), or the first rule that stops them."""
    overrides: list[str] = []
    """Soft rules taking the shift would break (a manager may override them)."""


class Cover(BaseModel):
    shift: ShiftOut
    candidates: list[Candidate]
    """Who can take it, best first: no rule broken, then most hours left, then cheapest."""
    not_eligible: list[Candidate]
    """Who works at the shop but cannot take it, each with the hard rule that stops them."""


class RotaRequest(BaseModel):
    location_id: ShopRef
    week_of: Annotated[date | None, Slot("date")] = Field(default=None, description="Any day of the week (default: next week).")


class RotaPlan(BaseModel):
    location_id: str
    monday: date
    state: str
    """draft or published."""
    shifts: list[ShiftOut]
    coverage_percent: float
    """The share of the staffing need's person-hours the held shifts cover."""
    hours: float
    labour_cost_cents: int
    labour_cost: str
    """The same, as money reads ("$1,234.50")."""
    expected_sales: str
    labour_percent: float
    """Labour cost as a share of the week's expected sales."""
    changed: int
    """Assignments that differ from the draft before (a re-plan keeps the rota as stable as it can)."""
    optimal: bool
    open_shifts: list[str]
    """Shifts nobody could take, each with the rules that stopped the candidates."""
    unmet: list[str]
    """Stretches of hours short of the staffing need, each with why no extra shift covers them."""


class RequestTimeOff(BaseModel):
    first_day: Annotated[date, Slot("date")] = Field(description="First local day off.")
    last_day: Annotated[date | None, Slot("date", after="to")] = Field(
        default=None, description="Last local day off (default: first_day).")
    reason: Note = Field(min_length=1, max_length=200, description="Why (sick, holiday, appointment…).")
    staff_id: PersonRef | None = Field(default=None, description="Whose (managers only; staff ask for themselves).")


class DecideTimeOff(BaseModel):
    time_off_id: Annotated[int, Slot("number")] = Field(strict=True, ge=1, le=MAX_ID, description="Request number.")
    decision: Literal["approved", "rejected"]


class TimeOffQuery(BaseModel):
    state: Literal["pending", "approved", "rejected"] | None = None
    staff_id: PersonRef | None = None


class TimeOffOut(BaseModel):
    time_off_id: int
    staff_id: str
    staff_name: str
    first_day: date
    last_day: date
    reason: str
    state: str
    decided_by: str | None
    uncovered: list[ShiftOut] = []
    """Approved: the shifts they held then, now open for cover."""
    cover: list[str] = []
    """Asked: who could cover each shift they hold then ("Tue 2026-01-06 06:00-14:00 keyholder: Ben Okafor")."""
    cover_note: str = ""
    """The same, as one sentence for a reply."""
    open_note: str = ""
    """Approved: the shifts now open, as one sentence for a reply."""


class TimeOffList(BaseModel):
    requests: list[TimeOffOut]


class StaffQuery(BaseModel):
    location_id: ShopRef | None = Field(default=None, description="Only people who work at this shop.")


class StaffOut(BaseModel):
    staff_id: str
    name: str
    home_location_id: str
    locations: list[str]
    skills: list[str]


class StaffList(BaseModel):
    staff: list[StaffOut]


class CoverageQuery(BaseModel):
    location_id: ShopRef
    starts_on: Annotated[date | None, Slot("date")] = Field(default=None, description="First local day; default today.")
    days: int = Field(default=1, ge=1, le=14, strict=True, description="How many days.")


class HourCover(BaseModel):
    day: date
    weekday: str
    hour: LocalTime
    needed: int
    """People the hour needs: one barista per so many drinks (its weekday-hour's average), at least two."""
    staffed: int
    keyholder: bool
    gap: int
    """needed - staffed: above 0 short, below 0 over."""
    note: str
    """"short 1", "over 2", "no keyholder"."""


class Coverage(BaseModel):
    gaps: list[HourCover]
    """The open hours that are short, over, or without a keyholder."""
    location_id: str
    first_day: date
    days: int
    open_hours: int
    short_hours: int
    over_hours: int
    coverage_percent: float
    """Share of the people-hours needed that the rota covers."""


class LabourQuery(BaseModel):
    location_id: ShopRef
    week_of: Annotated[date | None, Slot("date")] = Field(default=None, description="Any day of the week (default: "
                                                                                     "this week).")


class PersonLabour(BaseModel):
    staff_id: str
    name: str
    hours: float
    cost_cents: int
    cost: str


class Labour(BaseModel):
    people: list[PersonLabour]
    location_id: str
    monday: date
    hours: float
    open_shift_hours: float
    """Hours of shifts nobody holds (not in the cost)."""
    cost_cents: int
    cost: str
    expected_sales_cents: int
    expected_sales: str
    """The week's sales expected from the history (the average of each weekday)."""
    labour_percent: float


class RotaChangesQuery(BaseModel):
    location_id: ShopRef
    week_of: Annotated[date | None, Slot("date")] = Field(default=None, description="Any day of the week (default: "
                                                                                     "this week).")


class RotaChange(BaseModel):
    shift_id: int
    version: int
    changed_at: datetime
    changed_by: str
    before: dict[str, Any]
    after: dict[str, Any]
    what: str
    """"Tue 2026-01-06 06:00-14:00 keyholder (Anna Kowalski) → … (Ben Okafor)"."""


class RotaChanges(BaseModel):
    changes: list[RotaChange]
    location_id: str
    monday: date


class AskSwap(BaseModel):
    shift_id: int = Field(strict=True, ge=1, le=MAX_ID, description="Your shift's number.")
    other_shift_id: int = Field(strict=True, ge=1, le=MAX_ID, description=(
        "The number of the colleague's shift you would take instead."))


class AnswerSwap(BaseModel):
    swap_id: int = Field(strict=True, ge=1, le=MAX_ID)
    accept: bool = Field(strict=True, description="True to trade (if the rules allow it), false to decline.")


class SwapQuery(BaseModel):
    state: Literal["pending", "accepted", "declined", "cancelled"] | None = None


class SwapOut(BaseModel):
    swap_id: int
    shift: ShiftOut
    other_shift: ShiftOut
    asked_by: str
    asked: str
    state: str


class SwapList(BaseModel):
    swaps: list[SwapOut]
