"""Building the engine's messages: text answers, tool calls with deterministic ids, and how money reads."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from graph.offline.context import PENDING


def dollars(cents: int) -> str:
    return f"${cents / 100:.2f}"


def say(text: str, pending: dict[str, Any] | None = None) -> AIMessage:
    return AIMessage(content=text, additional_kwargs={PENDING: pending} if pending else {})


def use(turn: int, *calls: tuple[str, dict[str, Any]]) -> AIMessage:
    """Tool calls whose ids depend only on the turn and position, so a replayed step repeats the same ids."""
    return AIMessage(content="", tool_calls=[
        {"name": name, "args": args, "id": f"oc-{turn}-{k}-{name}", "type": "tool_call"}
        for k, (name, args) in enumerate(calls)
    ])


def describe(line: dict[str, Any]) -> str:
    extras = [e.replace("_", " ") for e in line.get("extras", [])]
    details = ([f"{line['milk']} milk"] if line.get("milk") else []) + extras
    size = "" if line["size"] == "regular" else f"{line['size']} "
    return (f"{line['quantity']} × {size}{line['item_name']}" + (f" ({', '.join(details)})" if details else "")
            + f" — {dollars(line['line_total_cents'])}")


def summary(order: dict[str, Any]) -> str:
    lines = "; ".join(describe(ln) for ln in order["lines"])
    return f"{lines}. Total {dollars(order['total_cents'])}"


def listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
