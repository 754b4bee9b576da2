"""What the barista checks and asks about a line before it goes in the cart: can the menu make it, which item
a word that names several meant, and the first request again once the customer has answered."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from graph.offline.context import Context
from graph.offline.parse import Intent, Mention, Parse, parse, tokenize
from graph.offline.pending import Choose
from graph.offline.reply import listing, say
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary

SAY = Templates("orders")


def cannot_make(vocab: Vocabulary, m: Mention) -> str | None:
    """Why the menu cannot make this mention, or None. Never guess: the customer is asked instead."""
    menu, name = vocab.menu, vocab.menu.items[m.item_id or ""]
    sizes = menu.sizes.get(m.item_id or "", [])
    if m.size and m.size not in sizes:
        return SAY("wrong_size", name=name, sizes=", ".join(sizes), size=m.size)
    if m.milk and m.item_id not in menu.milk_items:
        return SAY("no_milk_item", name=name)
    if m.extras and m.item_id not in menu.extra_items:
        return SAY("no_extras", name=name)
    if m.quantity is not None and not 1 <= m.quantity <= 20:
        return SAY("how_many", quantity=m.quantity)
    return None


def resolve_temperature(vocab: Vocabulary, m: Mention) -> str | None:
    """Swap to the iced version of an item when asked for iced; a problem text if there is none."""
    if m.temperature != "iced" or not m.item_id or m.item_id.startswith("iced_") or m.item_id == "cold_brew":
        return None
    iced = f"iced_{m.item_id}"
    if iced in vocab.menu.items:
        m.item_id = iced
        return None
    return SAY("only_hot", name=vocab.menu.items[m.item_id])


def line(m: Mention) -> dict[str, Any]:
    line: dict[str, Any] = {"item_id": m.item_id, "quantity": m.quantity or 1, "extras": m.extras}
    return line | {k: v for k, v in (("size", m.size), ("milk", m.milk)) if v}


def ask_which(vocab: Vocabulary, ctx: Context, m: Mention, options: list[str] | None = None) -> AIMessage:
    """One word named several items ("a tea"): ask which, and remember what was asked for."""
    options = options or list(m.choices)
    names = listing([vocab.menu.items[i] for i in options], "or")
    return say(SAY("which_item", names=names), Choose(options=options, text=ctx.text))


def _picked(vocab: Vocabulary, ctx: Context, p: Parse, options: list[str]) -> str | None:
    """Which of `options` the answer names, by item or by the words of its name ("the chocolate chip one")."""
    named = [m for m in p.mentions if m.item_id in options]
    if named:
        return named[0].item_id
    if p.intent not in (Intent.UNKNOWN, Intent.MODIFY, Intent.ORDER) or any(m.item_id for m in p.mentions):
        return None
    said = set(tokenize(ctx.text)) - set(vocab.words("function")) - set(vocab.words("fillers"))
    scores = {i: len(said & set(vocab.menu.items[i].lower().split())) for i in options}
    best = max(scores.values(), default=0)
    winners = [i for i, n in scores.items() if n == best]
    return winners[0] if best and len(winners) == 1 else None


def with_choice(vocab: Vocabulary, ctx: Context, p: Parse, options: list[str], text: str) -> Parse | None:
    """The request `text` again, its unclear item replaced by the one picked (and what was said with it)."""
    pick = _picked(vocab, ctx, p, options)
    if pick is None:
        return None
    again = parse(vocab, text)
    extra = next((m for m in p.mentions if m.item_id in options), None) or next(
        (m for m in p.mentions if not m.item_id), Mention())
    for m in again.mentions or [Mention()]:
        if m.item_id is None:  # the word that named several items, or "one of them"
            m.item_id, m.choices = pick, ()
            m.quantity, m.size = m.quantity or extra.quantity, m.size or extra.size
            m.milk, m.extras = m.milk or extra.milk, m.extras + extra.extras
            m.temperature = m.temperature or extra.temperature
            break
    return again


def with_fix(vocab: Vocabulary, answer: Mention, text: str) -> Parse:
    """The request `text` again, with the answer ("a small one then") put on the line the menu could not make."""
    again = parse(vocab, text)
    for m in again.mentions:
        if m.item_id and cannot_make(vocab, m):
            m.size, m.milk = answer.size or m.size, answer.milk or m.milk
            m.extras = answer.extras or m.extras
            m.quantity = m.quantity if answer.quantity in (None, 1) else answer.quantity
            break
    return again
