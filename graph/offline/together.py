"""Two requests in one turn that the barista does together: a removal and a change to another line ("drop the
cookie and do the latte with normal milk instead"), and a change followed by a sentence that places the order."""

from __future__ import annotations

import re
from dataclasses import replace

from langchain_core.messages import AIMessage

from graph.offline.cart_edit import changed_lines, removed
from graph.offline.cart_refs import definite_change, draft
from graph.offline.clauses import sentences_of
from graph.offline.context import Context
from graph.offline.parse import Intent, parse, tokenize
from graph.offline.reply import use
from graph.offline.scan import has
from graph.offline.vocab import Vocabulary
from graph.offline.yes_no import takes_back


def removed_and_changed(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage | None:
    """ "drop the cookie and do the latte with normal milk instead": a removal and a change to another of the cart's
    lines, in one sentence or two — both, in one step."""
    cart, verbs = draft(ctx), "|".join(vocab.skill("orders")["next_request"])
    parts = [s for s in re.split(rf"(?<=[.!?])\s+|,?\s+and\s+(?=(?:{verbs})\b)", ctx.text.strip()) if s]
    if not cart or len(parts) < 2:
        return None
    said = {part: parse(vocab, part) for part in parts}
    said = {part: definite_change(vocab, replace(ctx, text=part), p, cart) or p for part, p in said.items()}  # "do
    # the mocha with skim"
    asks = {part: p for part, p in said.items() if p.mentions or p.intent in (Intent.REMOVE, Intent.MODIFY)}
    gone = [part for part, p in asks.items() if p.intent == Intent.REMOVE]
    change = [part for part, p in asks.items() if p.intent == Intent.MODIFY]
    if len(asks) != 2 or len(gone) != 1 or len(change) != 1:
        return None  # (talk beside them is left: "12.35 is too much.")
    in_cart = {ln["item_id"] for ln in cart["lines"]}
    if any(m.item_id not in in_cart or m.choices for m in said[change[0]].mentions if m.item_id or m.choices):
        return None  # ("drop the cookie and add a muffin" is a swap)
    taken = removed(vocab, replace(ctx, text=gone[0]), said[gone[0]], turn)
    changed = changed_lines(vocab, replace(ctx, text=change[0]), said[change[0]], cart, turn)
    if not taken.tool_calls or not changed.tool_calls:
        return None
    return use(turn, *[(c["name"], c["args"]) for c in [*taken.tool_calls, *changed.tool_calls]])


def placed_too(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage | None:
    """ "And a chocolate croissant. That's all, please go ahead.": the cart changed, then a sentence of its own that
    places it — placed once the change is in (not for a question, a "don't place it" or a yes taken back)."""
    said, last = sentences_of(ctx.text), ctx.calls[-1]
    if len(said) < 2 or last["name"] not in ("create_cart", "add_order_line", "update_order_line", "remove_order_line") or (
            not all(c["ok"] for c in ctx.calls)):
        return None
    end, o = " ".join(tokenize(said[-1])), vocab.skill("orders")
    if not has(end, o["confirm_anywhere"]) or has(end, o["hold_off"]) or takes_back(vocab, end) or said[-1].rstrip(
            ).endswith("?") or parse(vocab, said[-1]).mentions:
        return None
    return use(turn, ("place_order", {"order_id": last["result"]["order_id"]}))
