"""Changes to lines already in the cart: new attributes for some or all of a line's units, and a hot drink made
iced (another menu item, so the line is swapped)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from langchain_core.messages import AIMessage

from graph.offline.cart_refs import draft, kind_pointed, nth
from graph.offline.clarify import ask_which, cannot_make, line
from graph.offline.context import Context
from graph.offline.parse import Mention, Parse
from graph.offline.pending import WhichLine
from graph.offline.refer import numbered
from graph.offline.reply import listing, say, use
from graph.offline.scan import tokenize
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary

Call = tuple[str, dict[str, Any]]

SAY = Templates("orders")


def changed_lines(vocab: Vocabulary, ctx: Context, p: Parse, cart: dict[str, Any], turn: int,
                  pointer: str = "") -> AIMessage:
    """Apply the first mention's attributes to the lines it names (or every line, or the last one); `pointer`:
    words that pick the line ("the oat one"), said with the change or in answer to "which one?"."""
    shared = _shared_out(vocab, cart, p.mentions)
    if shared is not None:
        return shared if isinstance(shared, AIMessage) else use(turn, *shared)
    change = p.mentions[0] if p.mentions else Mention()
    picked = _pointed(vocab, cart, f"{ctx.text} {pointer}", change)
    lines = picked[0] if picked else _lines(vocab, cart, p, change)
    change = picked[1] if picked else change
    one_of = change.quantity and not (change.item_id or change.choices or p.every_line or picked) and _splits(change)
    takers = [ln for ln in cart["lines"] if _takes(vocab, ln["item_id"], change)]
    if one_of and len(takers) == 1 and takers[0]["quantity"] == change.quantity:  # "one caramel syrup in it" beside
        lines, one_of = takers, False  # a bagel: the one line that takes syrup
    if one_of and len({ln["item_id"] for ln in cart["lines"]}) > 1:  # "make one of them large", a latte and a mocha
        return ask_which(vocab, ctx, Mention(choices=tuple(dict.fromkeys(ln["item_id"] for ln in cart["lines"]))))
    ways = _labels(cart["lines"])
    if one_of and len(cart["lines"]) > 1 and ways:  # two lattes, one with oat: which one is to change?
        return say(SAY("which_line", ways=listing(ways, "or")), WhichLine(text=ctx.text))
    calls: list[Call] = []
    for ln in lines:
        problem = cannot_make(vocab, Mention(ln["item_id"], change.quantity, change.size, change.milk, change.extras))
        if problem:
            return say(problem)
        swapped, refused = retyped(vocab, ln["item_id"], change.temperature)
        if refused:
            return say(refused)
        calls += _apply(cart["order_id"], ln, change, swapped)
    return use(turn, *calls)


def _shared_out(vocab: Vocabulary, cart: dict[str, Any], units: list[Mention]) -> list[Call] | AIMessage | None:
    """ "one with oat and one with whole", "one of them large, the other small": the units of the one line they add
    up to, each with its own attributes (None: the mentions are not that)."""
    if len(units) < 2 or any(m.item_id or m.choices or m.temperature or not _splits(m) for m in units):
        return None
    given, rest = sum(m.quantity or 0 for m in units), [m for m in units if not m.quantity]
    fits = [ln for ln in cart["lines"] if (ln["quantity"] > given if rest else ln["quantity"] == given)]
    if not fits and not rest:
        return _respecified(vocab, cart, units, given)
    if len(rest) > 1 or len(fits) != 1:
        return None
    ln, calls = dict(fits[0]), []
    for m in [m for m in units if m.quantity][:len(units) - 1]:
        problem = cannot_make(vocab, replace(m, item_id=ln["item_id"]))
        if problem:
            return say(problem)
        calls += _apply(cart["order_id"], ln, m, None)
        ln["quantity"] -= m.quantity or 0
    last = rest[0] if rest else units[-1]
    problem = cannot_make(vocab, replace(last, item_id=ln["item_id"], quantity=None))
    return say(problem) if problem else calls + _apply(cart["order_id"], ln, replace(last, quantity=None), None)


def _respecified(vocab: Vocabulary, cart: dict[str, Any], units: list[Mention], given: int
                 ) -> list[Call] | AIMessage | None:
    """ "just one with whipped cream, and the other two with oat" when the three are already two lines: the item's
    units said again, each on what all its lines share (None: no one item's lines add up to the count)."""
    groups = [[ln for ln in cart["lines"] if ln["item_id"] == item] for item in {ln["item_id"] for ln in cart["lines"]}]
    fits = [g for g in groups if len(g) > 1 and sum(ln["quantity"] for ln in g) == given]
    if len(fits) != 1:
        return None
    lines, order_id = fits[0], cart["order_id"]
    shared = [e for e in lines[0].get("extras", []) if all(e in ln.get("extras", []) for ln in lines)]
    base = {"item_id": lines[0]["item_id"], "size": lines[0]["size"] if len({ln["size"] for ln in lines}) == 1 else
            None, "milk": lines[0].get("milk") if len({ln.get("milk") for ln in lines}) == 1 else None}
    calls: list[Call] = [("remove_order_line", {"order_id": order_id, "line_id": ln["line_id"]}) for ln in lines]
    for m in units:
        unit = replace(m, item_id=base["item_id"], size=m.size or base["size"], milk=m.milk or base["milk"],
                       extras=[e for e in dict.fromkeys([*shared, *m.extras]) if e not in m.without])
        if problem := cannot_make(vocab, unit):
            return say(problem)
        calls.append(("add_order_line", {"order_id": order_id, **line(unit)}))
    return calls


def removed(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    """Take items off the cart; "remove one of the croissants" takes one off the line, "the cookie" is the one
    cookie in the cart (asked which when there are more)."""
    cart = draft(ctx)
    in_cart = (cart or {}).get("lines", [])
    if cart and in_cart and not any(m.item_id or m.choices for m in p.mentions):
        return removed_by_pointer(vocab, ctx, p, cart, turn)  # "remove the oat one", "take one of them off"
    calls, missing = [], []
    for m in p.mentions:
        ids = {m.item_id} if m.item_id else set(m.choices)
        lines = [ln for ln in in_cart if ln["item_id"] in ids]
        if not ids:
            continue
        if not lines:
            missing += [m.item_id] if m.item_id else list(m.choices)
            continue
        if len(lines) > 1 and not m.item_id and len({ln["item_id"] for ln in lines}) > 1:
            return ask_which(vocab, ctx, m, [ln["item_id"] for ln in lines])
        lines = nth(vocab, ctx.text, lines)  # "scratch the second latte"
        for ln in lines:
            ref = {"order_id": (cart or {})["order_id"], "line_id": ln["line_id"]}
            if m.quantity and len(lines) == 1 and m.quantity < ln["quantity"]:
                calls.append(("update_order_line", {**ref, "quantity": ln["quantity"] - m.quantity}))
            else:
                calls.append(("remove_order_line", ref))
    if not calls:
        names = " or ".join(vocab.menu.items[i] for i in missing)
        return say(SAY("not_in_cart", names=names))
    return use(turn, *calls)  # "no banana bread, just the coffee": what is kept need not be in the cart by name


def removed_by_pointer(vocab: Vocabulary, ctx: Context, p: Parse, cart: dict[str, Any], turn: int) -> AIMessage:
    """A removal that names no item: the line pointed at ("the oat one"), else the only line, else the last;
    "one of them" takes one unit off."""
    change = p.mentions[0] if p.mentions else Mention()
    picked = _pointed(vocab, cart, ctx.text, change)
    lines = picked[0] if picked else (cart["lines"] if len(cart["lines"]) == 1 else cart["lines"][-1:])
    if len(lines) != 1:
        return say(SAY("which_off"))
    ln, ref = lines[0], {"order_id": cart["order_id"], "line_id": lines[0]["line_id"]}
    if change.quantity and change.quantity < ln["quantity"]:
        return use(turn, ("update_order_line", {**ref, "quantity": ln["quantity"] - change.quantity}))
    return use(turn, ("remove_order_line", ref))


def _labels(lines: list[dict[str, Any]]) -> list[str]:
    """How to tell the lines apart by what differs between them ("the oat one", "the one with whipped cream");
    [] when they cannot be told apart."""
    for kind in ("milk", "size", "extras"):
        values = [ln.get(kind) for ln in lines]
        shown = [" and ".join(e.replace("_", " ") for e in (v or [])) if kind == "extras" else str(v) for v in values]
        if len(set(shown)) == len(lines) and all(shown):
            return [SAY("the_one_with", what=s) if kind == "extras" else SAY("the_one", what=s) for s in shown]
    return []


def _pointed(vocab: Vocabulary, cart: dict[str, Any], text: str, change: Mention
             ) -> tuple[list[dict[str, Any]], Mention] | None:
    """ "an extra shot in the large one", "the oat one": the lines with that size or milk, and the change without
    the words that only pointed."""
    words = " ".join(tokenize(text))
    if change.item_id:  # "oat milk in the latte, leave the other one as is": the item named is the one
        return None
    if re.search(r"\b(?:the )?other (?:one|ones|two|three|\d+)\b", words) and len(cart["lines"]) > 1:  # not the one just changed
        return cart["lines"][:-1], change
    if (index := numbered(vocab, words)) is not None:  # "remove item one"
        return (cart["lines"][index:index + 1], change) if index < len(cart["lines"]) else None
    if of_kind := kind_pointed(vocab, text, cart["lines"]):  # "make the second drink large", "the pastry warmed"
        return of_kind, change
    nth = re.search(r"\bthe (\w+) one\b", words)
    ordinals = vocab.skill("orders")["ordinals"]
    if nth and (nth[1] in ordinals or nth[1] == "last") and len(cart["lines"]) > 1:  # "the first one with soy"
        index = -1 if nth[1] == "last" else ordinals.index(nth[1])
        return (cart["lines"][index:index + 1 or None], change) if index < len(cart["lines"]) else None
    found = re.search(r"\b(?:the|that|those)\s+([a-z' ]+?)\s+(?:milk\s+)?ones?\b", words)
    if found and found[1] in vocab.skill("orders")["plain"]:  # "for the normal one, extra shot": the line as it comes
        plain = [ln for ln in cart["lines"] if ln.get("milk") in (None, "whole") and not ln.get("extras")]
        return (plain, change) if len(plain) == 1 and len(cart["lines"]) > 1 else None
    hit = vocab.phrases.get(found[1]) if found else None
    if hit is None or hit[0] not in ("size", "milk"):
        return None
    kind, value = hit[0], hit[1]
    lines = [ln for ln in cart["lines"] if ln.get(kind) == value]
    if not lines:
        return None
    if kind == "size" and change.size == value:
        return lines, replace(change, size=None)
    if kind == "milk" and change.milk == value:
        return lines, replace(change, milk=None)
    return lines, change


def _lines(vocab: Vocabulary, cart: dict[str, Any], p: Parse, change: Mention) -> list[dict[str, Any]]:
    """The lines a change is for: those it names, else the one item in the cart, else the last line that can
    take it ("with oat milk too" after a mocha and a cookie is for the mocha)."""
    old = [ln for ln in cart["lines"] for m in p.replaces if not m.item_id and (m.milk or m.size)
           and (not m.milk or ln.get("milk") == m.milk) and (not m.size or ln["size"] == m.size)]
    if old and not change.item_id:  # "soy instead of oat": the lines with oat
        return old
    ids = {change.item_id} if change.item_id else set(change.choices)
    named = [ln for ln in cart["lines"] if ln["item_id"] in ids or (p.every_line and not ids)]  # "the lattes both"
    if named or ids:
        return named or cart["lines"][-1:]
    if len({ln["item_id"] for ln in cart["lines"]}) == 1:
        return list(cart["lines"])
    able = [ln for ln in cart["lines"] if not cannot_make(vocab, replace(change, item_id=ln["item_id"], quantity=None))]
    return able[-1:] or cart["lines"][-1:]


def _takes(vocab: Vocabulary, item_id: str, change: Mention) -> bool:
    """Whether the item can take what the change adds (a milk, an extra, a size it comes in)."""
    return not ((change.milk and item_id not in vocab.menu.milk_items) or (change.extras and item_id not in
                vocab.menu.extra_items) or (change.size and change.size not in vocab.menu.sizes.get(item_id, [])))


def _splits(change: Mention) -> bool:
    return any([change.size, change.milk, change.extras, change.temperature, change.without])


def retyped(vocab: Vocabulary, item_id: str, temperature: str | None) -> tuple[str | None, str | None]:
    """The item to swap to for "make it iced" / "hot" (None: keep the item), or why there is none."""
    if temperature == "iced" and not item_id.startswith("iced_") and item_id != "cold_brew":
        iced = f"iced_{item_id}"
        if iced not in vocab.menu.items:
            return None, SAY("only_hot", name=vocab.menu.items[item_id])
        return iced, None
    if temperature == "hot" and item_id.startswith("iced_") and item_id[5:] in vocab.menu.items:
        return item_id[5:], None
    return None, None


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
