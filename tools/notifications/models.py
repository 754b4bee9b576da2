"""What the notification capabilities take and give."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from tools.fields import MAX_ID, ShopRef, Slot

Topic = Literal["message", "announcement", "shift", "time_off", "rota", "task", "order_ready", "security", "approval"]
Channel = Literal["inbox", "email", "telegram"]
Audience = Literal["staff", "customers", "barista", "keyholder", "baker", "manager"]
Message = Annotated[str, Slot("message")]
NoteRef = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, description="Notification number (in your inbox)."),
                    Slot("number")]


class SendNotification(BaseModel):
    staff_id: Annotated[str, Slot("person")] = Field(min_length=1, max_length=40, description=(
        "Who to tell: a staff member's id, e.g. 'anna'."))
    text: Message = Field(min_length=2, max_length=1000, description="What to say.")
    topic: Topic = "message"


class BroadcastNotification(BaseModel):
    location_id: ShopRef
    audience: Audience = Field(default="staff", description=(
        "Everyone on the shop's staff, one role there, or the customers with open orders there."))
    text: Message = Field(min_length=2, max_length=1000, description="What to say.")
    topic: Topic = "announcement"


class InboxQuery(BaseModel):
    unread: bool = Field(default=False, description="Only those not yet marked read.")
    since: datetime | None = Field(default=None, description=(
        "Only those that reached you after this time (a feed's resume point: a deferred notification reaches you "
        "when your quiet hours end, after newer ones)."))


class MarkRead(BaseModel):
    notification_id: NoteRef


class Mine(BaseModel):
    """No arguments: the caller's own."""


class PrefsUpdate(BaseModel):
    channels: list[Channel] | None = Field(default=None, min_length=1, max_length=3, description=(
        "Where to hear (telegram once a Telegram account is linked)."))
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    mute: list[Topic] = Field(default_factory=list, max_length=8, description="Topics to stop hearing (critical "
                              "ones are said anyway).")
    unmute: list[Topic] = Field(default_factory=list, max_length=8)
    quiet: Literal["overnight", "never"] | None = Field(default=None, description=(
        "overnight: quiet from 22:00 until 07:00; never: no quiet hours (or give quiet_from and quiet_until)."))
    quiet_from: time | None = None
    quiet_until: time | None = None

    @model_validator(mode="after")
    def _quiet(self) -> PrefsUpdate:
        if (self.quiet_from is None) != (self.quiet_until is None) or (self.quiet and self.quiet_from):
            raise ValueError("give quiet hours as both quiet_from and quiet_until, or as quiet")
        if self.quiet_from is not None and self.quiet_from == self.quiet_until:
            raise ValueError("quiet hours must start and end at different times")
        return self


class DeliveryQuery(BaseModel):
    state: Literal["pending", "sending", "sent", "failed"] | None = None
    recipient: str | None = Field(default=None, max_length=120, description="A person, e.g. 'staff:anna'.")


class InboxItem(BaseModel):
    notification_id: int
    delivery_id: int
    topic: str
    text: str
    link: str | None
    at: datetime
    read: bool


class Inbox(BaseModel):
    items: list[InboxItem]
    unread: int


class PrefsOut(BaseModel):
    person: str
    channels: list[str]
    email: str | None
    muted: list[str]
    quiet_from: str | None
    quiet_until: str | None
    timezone: str
    quiet: str
    """The quiet hours in words."""


class SentOut(BaseModel):
    notification_id: int
    audience: str
    text: str
    recipients: int
    deferred: int
    """Deliveries held back by someone's quiet hours (they go when those end)."""


class DeliveryOut(BaseModel):
    delivery_id: int
    notification_id: int
    recipient: str
    channel: str
    state: str
    attempts: int
    last_error: str | None
    not_before: datetime
    sent_at: datetime | None


class DeliveryList(BaseModel):
    deliveries: list[DeliveryOut]
