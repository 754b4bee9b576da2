"""What the engine's previous answer waits for, as typed data carried in the AI message: one model per kind of
question, told apart by `action`. An answer that asks nothing carries none."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError


class Again(BaseModel):
    """A question whose answer completes the person's request: `text` is that request, read again with it."""

    text: str


class WithArgs(BaseModel):
    """A read-back waiting for a yes: the call's arguments, as said back."""

    args: dict[str, Any]


class Choose(Again):
    """ "Which one would you like: A or B?" """

    action: Literal["choose"] = "choose"
    options: list[str]


class WhichLine(Again):
    """ "Which one: the whole one or the oat one?" """

    action: Literal["which_line"] = "which_line"


class Fix(Again):
    """ "Cortado comes in small, not large. Which would you like?" """

    action: Literal["fix"] = "fix"


class OrderShop(Again):
    """ "Which shop shall I send it to?" """

    action: Literal["order"] = "order"


class Place(BaseModel):
    action: Literal["place"] = "place"
    order_id: int


class Considering(BaseModel):
    """A menu item the person just asked about: "I'll get one, with whipped cream" orders it."""

    action: Literal["considering"] = "considering"
    item_id: str
    size: str | None = None
    """The size asked about ("how much is a large mocha?")."""


class Cancel(BaseModel):
    action: Literal["cancel"] = "cancel"
    order_id: int


class CancelWhich(BaseModel):
    action: Literal["cancel_which"] = "cancel_which"


class Transfer(WithArgs):
    action: Literal["transfer"] = "transfer"


class Redeem(WithArgs):
    action: Literal["redeem"] = "redeem"


class VoteChoice(BaseModel):
    """ "For, against or abstain?" """

    action: Literal["vote_choice"] = "vote_choice"
    proposal: int
    title: str


class Vote(WithArgs):
    action: Literal["vote"] = "vote"
    title: str


class KitchenShop(Again):
    action: Literal["kitchen_shop"] = "kitchen_shop"


class Refill(BaseModel):
    """ "How much water and beans did you put in?" """

    action: Literal["refill"] = "refill"
    location_id: str
    machine_id: str


class PayWhich(BaseModel):
    action: Literal["pay_which"] = "pay_which"
    orders: list[int]
    method: str | None = None


class PayMethod(BaseModel):
    action: Literal["pay_method"] = "pay_method"
    order_id: int


class Pay(WithArgs):
    action: Literal["pay"] = "pay"
    amount_cents: int


class PayOffer(BaseModel):
    """After placing: "Pay now from your wallet balance or with COFFEE?" """

    action: Literal["pay_offer"] = "pay_offer"
    order_id: int


class RefundAsk(BaseModel):
    """A refund missing its order, amount or reason."""

    action: Literal["refund_ask"] = "refund_ask"
    need: Literal["order", "amount", "reason"]
    ask: dict[str, Any]


class Refund(WithArgs):
    action: Literal["refund"] = "refund"
    before_cents: int


class FramePending(BaseModel):
    """A capability's frame being filled: the fields so far (and how they are said back), and the field asked for,
    or None when the frame waits for a yes."""

    action: Literal["frame"] = "frame"
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    shown: dict[str, str] = Field(default_factory=dict)
    asking: str | None = None
    said: list[str] = Field(default_factory=list)
    """What the person said for this frame so far, oldest first."""


Pending = Annotated[
    Choose | WhichLine | Fix | OrderShop | Place | Considering | Cancel | CancelWhich | Transfer | Redeem | VoteChoice | Vote | KitchenShop
    | Refill | PayWhich | PayMethod | Pay | PayOffer | RefundAsk | Refund | FramePending,
    Field(discriminator="action")]
_ADAPTER: TypeAdapter[Pending] = TypeAdapter(Pending)


def parse_pending(data: Any) -> Pending | None:
    """The question a stored answer waits for; None for none (or one this version no longer asks)."""
    if not isinstance(data, dict):
        return None
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError:
        return None


def choices(pending: Pending | None) -> list[str]:
    """The answers a screen may offer as buttons: yes/no to a read-back, or the options of a choice."""
    if isinstance(pending, Choose):
        return list(pending.options)
    confirms = isinstance(pending, WithArgs | Place | Cancel) or (
        isinstance(pending, FramePending) and pending.asking is None)
    return ["Yes", "No"] if confirms else []
