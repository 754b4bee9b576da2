"""Changes to lines already in the cart: new attributes for some or all of a line's units, and a hot drink made
iced (another menu item, so the line is swapped)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from langchain_core.messages import AIMessage

from graph.offline.clarify import ask_which, cannot_make
from graph.offline.context import Context
from graph.offline.parse import Mention, Parse
from graph.offline.reply import say, use
from graph.offline.vocab import Vocabulary

Call = tuple[str, dict[str, Any]]


def changed_lines(vocab: Vocabulary, ctx: Context, p: Parse, cart: dict[str, Any], turn: int) -> AIMessage:
    """Apply the first mention's attributes to the lines it names (or every line, or the last one)."""
    change = p.mentions[0] if p.mentions else Mention()
    lines = _lines(vocab, cart, p, change)
    if change.quantity and not (change.item_id or change.choices or p.every_line) and _splits(change) and len(
            {ln["item_id"] for ln in cart["lines"]}) > 1:  # "make one of them large", of a latte and a mocha
        return ask_which(vocab, ctx, Mention(choices=tuple(dict.fromkeys(ln["item_id"] for ln in cart["lines"]))))
    calls: list[Call] = []
    for ln in lines:
        problem = cannot_make(vocab, Mention(ln["item_id"], change.quantity, change.size, change.milk, change.extras))
        if problem:
            return say(problem)
        swapped = _retyped(vocab, ln["item_id"], change.temperature)
        if isinstance(swapped, str) and swapped.startswith("We only"):
            return say(swapped)
        calls += _apply(cart["order_id"], ln, change, swapped)
    return use(turn, *calls)


def _lines(vocab: Vocabulary, cart: dict[str, Any], p: Parse, change: Mention) -> list[dict[str, Any]]:
    """The lines a change is for: those it names, else the one item in the cart, else the last line that can
    take it ("with oat milk too" after a mocha and a cookie is for the mocha)."""
    ids = {change.item_id} if change.item_id else set(change.choices)
    named = [ln for ln in cart["lines"] if p.every_line or ln["item_id"] in ids]
    if named or ids:
        return named or cart["lines"][-1:]
    if len({ln["item_id"] for ln in cart["lines"]}) == 1:
        return list(cart["lines"])
    able = [ln for ln in cart["lines"] if not cannot_make(vocab, replace(change, item_id=ln["item_id"], quantity=None))]
    return able[-1:] or cart["lines"][-1:]


def _splits(change: Mention) -> bool:
    return any([change.size, change.milk, change.extras, change.temperature, change.without])


def _retyped(vocab: Vocabulary, item_id: str, temperature: str | None) -> str | None:
    """The item to swap to for "make it iced" / "hot" (None: keep the item); a refusal text if there is none."""
    if temperature == "iced" and not item_id.startswith("iced_") and item_id != "cold_brew":
        iced = f"iced_{item_id}"
        return iced if iced in vocab.menu.items else (
            f"We only serve {vocab.menu.items[item_id]} hot. Would you like it hot, or something iced?")
    if temperature == "hot" and item_id.startswith("iced_") and item_id[5:] in vocab.menu.items:
        return item_id[5:]
    return None


def _apply(order_id: int, ln: dict[str, Any], change: Mention, swapped: str | None) -> list[Call]:
    """The calls for one line: a change to some of its units splits them off ("make one of them large")."""
    ref = {"order_id": order_id, "line_id": ln["line_id"]}
    had = ln.get("extras", [])
    extras = [e for e in had + [e for e in change.extras if e not in had] if e not in change.without]
    some = change.quantity is not None and change.quantity < ln["quantity"] and _splits(change)
    if swapped or some:
        new = {"item_id": swapped or ln["item_id"], "quantity": change.quantity if some else ln["quantity"],
               "size": change.size or ln["size"], "extras": extras} | (
            {"milk": change.milk or ln.get("milk")} if (change.milk or ln.get("milk")) else {})
        rest: Call = (("update_order_line", {**ref, "quantity": ln["quantity"] - (change.quantity or 0)}) if some
                      else ("remove_order_line", ref))
        return [rest, ("add_order_line", {"order_id": order_id, **new})]
    args = {"size": change.size, "milk": change.milk, "quantity": change.quantity,
            "extras": extras if change.extras or change.without else None}
    return [("update_order_line", {**ref, **{k: v for k, v in args.items() if v is not None}})]
