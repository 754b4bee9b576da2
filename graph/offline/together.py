"""Requests the barista reads together: a removal and a change to another line in one turn ("drop the cookie and
do the latte with normal milk instead"), a change followed by a sentence that places the order, and a change said
alone, then narrowed to one item in the next turn ("with whipped cream" … "just the hot chocolate")."""

from __future__ import annotations

import re
from dataclasses import replace

from langchain_core.messages import AIMessage

from graph.offline.answers import CART_TOOLS
from graph.offline.cart_edit import changed_lines, removed
from graph.offline.cart_refs import definite_change, draft
from graph.offline.clauses import sentences_of
from graph.offline.context import Context
from graph.offline.parse import Intent, Parse, parse, tokenize
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
    if len(said) < 2 or last["name"] not in CART_TOOLS - {"quote_order"} or not all(c["ok"] for c in ctx.calls):
        return None
    end, o = " ".join(tokenize(said[-1])), vocab.skill("orders")
    if not has(end, o["confirm_anywhere"]) or has(end, o["hold_off"]) or takes_back(vocab, end) or said[-1].rstrip(
            ).endswith("?") or parse(vocab, said[-1]).mentions:
        return None
    return use(turn, ("place_order", {"order_id": last["result"]["order_id"]}))


def narrowed(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage | None:
    """ "just the latte" with a latte and a muffin in the cart: only the latte (the muffin comes off, no second latte);
    after a change said alone ("with whipped cream" … "just the hot chocolate"), that change on the item named."""
    cart, words = draft(ctx), " ".join(tokenize(ctx.text))
    if not cart or not words.startswith(tuple(vocab.skill("orders")["only_these"])):
        return None
    named = {m.item_id for m in p.mentions if m.item_id}
    if not named or any(m.has_attributes() or m.choices or m.item_id not in {ln["item_id"] for ln in cart["lines"]}
                        for m in p.mentions):
        return None
    before = parse(vocab, ctx.said_before[-1]) if ctx.said_before else None
    change = before.mentions[0] if before and before.intent == Intent.MODIFY and len(before.mentions) == 1 else None
    if change and not (change.item_id or change.choices) and len(named) == 1:
        return changed_lines(vocab, ctx, Parse(Intent.MODIFY, mentions=[replace(change, item_id=named.pop())]), cart,
                             turn)
    others = [ln for ln in cart["lines"] if ln["item_id"] not in named]
    return use(turn, *[("remove_order_line", {"order_id": cart["order_id"], "line_id": ln["line_id"]}) for ln in others]
               or [("quote_order", {"order_id": cart["order_id"]})])
