"""Building the engine's messages: text answers, tool calls with deterministic ids, how money reads, and why a
tool is not offered."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from graph.nodes import NOT_UNDERSTOOD
from graph.offline.context import ABOUT, PENDING, Context
from graph.offline.pending import Pending
from graph.offline.templates import Templates

SAY = Templates("common")
CAN = ("get_wallet", "cast_vote", "transfer_coffee", "redeem_points", "create_cart", "add_order_line", "pay_order")


def dollars(cents: int) -> str:
    return f"${cents / 100:.2f}"


def say(text: str, pending: Pending | None = None) -> AIMessage:
    """An answer; `pending` is the question it asks, carried for the next turn."""
    return AIMessage(content=text, additional_kwargs={PENDING: pending.model_dump(mode="json")} if pending else {})


def not_understood(text: str) -> AIMessage:
    """ "Sorry, I didn't catch that": the next turn is not an answer to it (the router sends it where it belongs)."""
    return AIMessage(content=text, additional_kwargs={NOT_UNDERSTOOD: True})


def use(turn: int, *calls: tuple[str, dict[str, Any]], about: dict[str, Any] | None = None) -> AIMessage:
    """Tool calls whose ids depend only on the turn and position, so a replayed step repeats the same ids;
    `about` tells the next step what the calls were for."""
    return AIMessage(content="", additional_kwargs={ABOUT: about} if about else {}, tool_calls=[
        {"name": name, "args": args, "id": f"oc-{turn}-{k}-{name}", "type": "tool_call"}
        for k, (name, args) in enumerate(calls)
    ])


def describe(line: dict[str, Any]) -> str:
    extras = [e.replace("_", " ") for e in line.get("extras", [])]
    details = ([SAY("line_milk", milk=line["milk"])] if line.get("milk") else []) + extras
    return SAY("line", quantity=line["quantity"], name=line["item_name"], total=dollars(line["line_total_cents"]),
               size="" if line["size"] == "regular" else SAY("line_size", size=line["size"]),
               details=SAY("line_details", details=", ".join(details)) if details else "")


def summary(order: dict[str, Any]) -> str:
    return SAY("lines_total", lines="; ".join(describe(ln) for ln in order["lines"]), total=dollars(order["total_cents"]))


def listing(names: list[str], last: str = "and") -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {last} {names[-1]}"


def not_for(ctx: Context, tool: str) -> str:
    """Why a tool is not offered here: every tool the barista may lack is for signed-in customers."""
    role = ctx.principal.role.value if ctx.principal else "guest"
    return SAY("not_for", what=SAY(f"can_{tool}") if tool in CAN else SAY("can_other"), who=SAY(f"who_{role}"))
