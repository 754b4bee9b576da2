"""What the customer's words point at in the cart: the line "the latte" or "both lattes" names, a count that
replaces the line's ("just one then"), the cart said back with a yes, the units given up in a swap."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from graph.offline.clarify import line
from graph.offline.context import Context
from graph.offline.parse import Intent, Mention, Parse, tokenize
from graph.offline.pending import Place
from graph.offline.refer import POSSESSIVES
from graph.offline.scan import has, scan
from graph.offline.vocab import Vocabulary


def draft(ctx: Context) -> dict[str, Any] | None:
    return ctx.cart if ctx.cart and ctx.cart["state"] == "draft" else None


def as_in_cart(vocab: Vocabulary, ctx: Context) -> str:
    """ "instead of the macchiato" with two caramel macchiatos in the cart: an item named with "the" that is not in
    the cart, when its name ends the name of exactly one item that is, is that item."""
    cart, text = draft(ctx), ctx.text
    in_cart = {ln["item_id"] for ln in cart["lines"]} if cart else set()
    names = {i: n.lower() for i, n in vocab.menu.items.items()}
    for item, name in names.items():
        longer = [i for i in in_cart if names[i].endswith(f" {name}")]
        if item in in_cart or len(longer) != 1:
            continue
        said = sorted((ph for ph, (kind, v) in vocab.phrases.items() if kind == "item" and v == item), key=len,
                      reverse=True)
        if said:
            text = re.sub(rf"\b(the|that|this)\s+(?:{'|'.join(map(re.escape, said))})\b", rf"\1 {names[longer[0]]}",
                          text, flags=re.IGNORECASE)
    return text


def restated(vocab: Vocabulary, ctx: Context, p: Parse) -> bool:
    """ "so that's two babyccinos, yes, place it": the cart said back with a yes is the yes, not more of it."""
    cart = draft(ctx)
    words = " ".join(tokenize(ctx.text))
    if not cart or not isinstance(ctx.pending, Place) or not has(words, vocab.words("confirm")) or not p.mentions or (
            has(words, vocab.skill("orders")["more"])):
        return False
    held: dict[str, int] = {}
    for ln in cart["lines"]:
        held[ln["item_id"]] = held.get(ln["item_id"], 0) + ln["quantity"]
    return all(m.item_id in held and m.quantity in (None, held[m.item_id]) and not any(
        [m.size, m.milk, m.extras, m.temperature, m.without]) for m in p.mentions)


def taken_off(order_id: int, ln: dict[str, Any], replaces: list[Mention]) -> tuple[str, dict[str, Any]]:
    """A line given up for another: all of it, or the units said ("swap one of the cookies for …")."""
    ref = {"order_id": order_id, "line_id": ln["line_id"]}
    some = next((m.quantity for m in replaces if ln["item_id"] in (m.item_id, *m.choices) and m.quantity), None)
    if some and some < ln["quantity"]:
        return "update_order_line", {**ref, "quantity": ln["quantity"] - some}
    return "remove_order_line", ref


def without_references(vocab: Vocabulary, ctx: Context, p: Parse, cart: dict[str, Any] | None) -> Parse:
    """ "make both lattes oat milk, the cappuccino is for my partner": an item in the cart named with "the", with no
    count and nothing to change, only points at it; it is not ordered again."""
    in_cart = {ln["item_id"] for ln in (cart or {}).get("lines", [])}
    words = " ".join(tokenize(ctx.text))

    def pointing(m: Mention) -> bool:
        phrases = [ph for ph, (kind, v) in vocab.phrases.items() if kind == "item" and v == m.item_id]
        return (m.item_id in in_cart and not m.quantity and not any([m.size, m.milk, m.extras, m.temperature])
                and any(re.search(rf"\b(?:the|my|that)\s+{re.escape(ph)}\b", words) for ph in phrases))

    kept = [m for m in p.mentions if not pointing(m)]
    return replace(p, mentions=kept) if (kept or p.replaces) and len(kept) < len(p.mentions) else p


def recounted(vocab: Vocabulary, ctx: Context, p: Parse, cart: dict[str, Any] | None) -> Parse | None:
    """ "just one vanilla cream cold brew then", with two in the cart: a new count for that line, not one more."""
    words = " ".join(tokenize(ctx.text))
    if len(p.mentions) != 1 or p.replaces or not cart or not re.search(r"\b(?:just|only)\b", words) or has(
            words, vocab.skill("orders")["more"]):
        return None
    m = p.mentions[0]
    lines = [ln for ln in cart["lines"] if ln["item_id"] == m.item_id or (not m.item_id and ln["item_id"] in m.choices)]
    if not m.quantity or len(lines) != 1 or lines[0]["quantity"] == m.quantity:
        return None  # "just one cookie": the cart's one cookie
    return replace(p, intent=Intent.MODIFY, mentions=[replace(m, item_id=lines[0]["item_id"], choices=())])


DEFINITE = "|".join(("the", "my", "that", "both", "those", "these", "all", *POSSESSIVES))
"""Words before an item that name the cart's line of it ("the latte with oat", "her mocha with cream")."""


def definite_change(vocab: Vocabulary, ctx: Context, p: Parse, cart: dict[str, Any] | None) -> Parse | None:
    """ "the latte with oat milk", "an extra shot in the americano", "large for the tea": one item, named with
    "the", that is already in the cart, with something to change and no count — a change to that line."""
    in_cart = {ln["item_id"] for ln in (cart or {}).get("lines", [])}
    if len(p.mentions) != 1 or p.replaces or not in_cart:
        return None
    m = p.mentions[0]
    named = {m.item_id} if m.item_id else set(m.choices)
    ids = [i for i in named if i in in_cart] or [i for i in {f"iced_{n}" for n in named} if i in in_cart]  # "the
    # mocha" is the iced mocha too, when no hot one is in the cart
    words = " ".join(tokenize(ctx.text))
    phrases = [ph for ph, (kind, v) in vocab.phrases.items() if (kind == "item" and v in named | set(ids)) or (
        kind == "choice" and set(v[0]) & set(ids))]
    if len(ids) == 1 and vocab.menu.categories.get(ids[0]) in vocab.skill("orders")["coffee_categories"]:
        phrases += vocab.skill("orders")["coffee_words"]  # "the coffee with oat": the cart's latte
    definite = any(re.search(rf"\b(?:{DEFINITE}|[a-z]+'s)\s+{re.escape(ph)}\b", words)
                   or words.startswith(f"{ph} ") for ph in phrases) or any(  # "fw oat": terse, no article
        set(m.without) & set(ln.get("extras", [])) for ln in (cart or {}).get("lines", []) if ln["item_id"] in ids)
    if len(ids) != 1 or not definite or m.quantity or not any([m.size, m.milk, m.extras, m.temperature, m.without]):
        return None
    return replace(p, intent=Intent.MODIFY, mentions=[replace(m, item_id=ids[0], choices=())])


def definite_changes(vocab: Vocabulary, ctx: Context, p: Parse, cart: dict[str, Any] | None) -> Parse | None:
    """ "the americanos large, the tea small": several of the cart's lines, each named with "the" and a change — a
    change to each (None unless every item said is one)."""
    changes = [definite_change(vocab, ctx, replace(p, mentions=[m]), cart) for m in p.mentions]
    if len(changes) < 2 or p.replaces or any(c is None for c in changes):
        return None
    return replace(p, intent=Intent.MODIFY, mentions=[c.mentions[0] for c in changes if c])


def kinds_in_cart(vocab: Vocabulary, ctx: Context, p: Parse, cart: dict[str, Any] | None) -> Parse:
    """ "the americanos medium, the tea small", "make the coffee iced": a kind named where the cart holds one line
    of it is that line ("the coffee" is the latte when no drip coffee was ordered)."""
    lines = (cart or {}).get("lines", [])
    in_cart = [ln["item_id"] for ln in lines]
    o, words = vocab.skill("orders"), " ".join(tokenize(ctx.text))
    coffees = [i for i in dict.fromkeys(in_cart) if vocab.menu.categories.get(i) in o["coffee_categories"]]
    generic = {vocab.phrases[w][1] for w in o["coffee_words"] if w in vocab.phrases}  # the item "coffee" names
    said_coffee = any(re.search(rf"\b(?:{DEFINITE})\s+{w}\b", words) for w in o["coffee_words"])

    def in_the_cart(m: Mention) -> Mention:
        kind = set(m.choices) & set(in_cart) if m.choices and not m.item_id and p.intent == Intent.MODIFY else set()
        if len(kind) == 1:
            return replace(m, item_id=kind.pop(), choices=())
        if m.item_id in generic and m.item_id not in in_cart and said_coffee and len(coffees) == 1:
            return replace(m, item_id=coffees[0])
        return m

    return replace(p, mentions=[in_the_cart(m) for m in p.mentions]) if lines else p


def instead(vocab: Vocabulary, ctx: Context, items: list[Mention]) -> set[str]:
    """ "earl grey instead": the cart's one line of the same kind (a tea for a tea) is swapped out."""
    if not has(" ".join(tokenize(ctx.text)), ["instead"]):
        return set()
    kinds = {vocab.menu.categories.get(m.item_id or "") for m in items}
    same = {ln["item_id"] for ln in (draft(ctx) or {}).get("lines", []) if vocab.menu.categories.get(ln["item_id"]) in kinds}
    return same if len(same) == 1 and not same & {m.item_id for m in items} else set()


def nth(vocab: Vocabulary, text: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The one line an ordinal picks among several of the same item ("the second latte", "the last one")."""
    words = tokenize(text)
    ordinals = vocab.skill("orders")["ordinals"]
    said = next((w for w in words if w in ordinals or w == "last"), None)
    if len(lines) < 2 or said is None:
        return lines
    index = -1 if said == "last" else ordinals.index(said)
    return [lines[index]] if index < len(lines) else lines


def of_kind(vocab: Vocabulary, text: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """ "the pastry", "the second drink": the cart's lines of the kind the words name (None: they name no kind)."""
    tokens = tokenize(text)
    if any(t in vocab.skill("orders")["a_drink"] for t in tokens):
        return [ln for ln in lines if vocab.menu.sizes.get(ln["item_id"], ["regular"]) != ["regular"]]
    category = scan(vocab, tokens).category
    return [ln for ln in lines if vocab.menu.categories.get(ln["item_id"]) == category] if category else None


def kind_pointed(vocab: Vocabulary, text: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The one line of the kind named (the nth one, when there are several): [] when it is not one."""
    kind = of_kind(vocab, text, lines)
    picked = nth(vocab, text, kind) if kind else []
    return picked if len(picked) == 1 else []


def referred(vocab: Vocabulary, ctx: Context) -> str | None:
    """The cart's item that "it" / "that" points at: the only one, or the one added last; or the one line whose
    size or milk is named after "the" ("how big is the large?")."""
    lines = (draft(ctx) or {}).get("lines", [])
    words = " ".join(tokenize(ctx.text))
    if lines and has(words, vocab.skill("orders")["cart_refs"]):
        return str(lines[-1]["item_id"])
    named = {str(ln["item_id"]) for ln in lines for said in (ln.get("size"), ln.get("milk")) if said
             and re.search(rf"\bthe {re.escape(str(said))}\b", words)}
    return named.pop() if len(named) == 1 else None


def carried_over(vocab: Vocabulary, wanted: Mention, given_up: dict[str, Any], keep: bool) -> Mention:
    """What a swap's new item takes from the line it replaces: its size when the item comes in it, and, when the
    person says to keep them ("…, keep the cream"), its milk and extras where the item takes them."""
    size = given_up.get("size")
    item = wanted.item_id or ""
    taken = replace(wanted, size=wanted.size or (size if size in vocab.menu.sizes.get(item, []) else None))
    twin = item in (f"iced_{given_up['item_id']}", given_up["item_id"].removeprefix("iced_"))  # "the iced mocha
    # instead": the same drink cold, as it was made
    if not keep and not twin:
        return taken
    extras = [*taken.extras, *given_up.get("extras", [])] if item in vocab.menu.extra_items else taken.extras
    milk = taken.milk or (given_up.get("milk") if item in vocab.menu.milk_items else None)
    return replace(taken, milk=milk, extras=list(dict.fromkeys(extras)))


def added_or_recounted(vocab: Vocabulary, ctx: Context, cart: dict[str, Any], m: Mention,
                        dropped: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """An item ordered again: one more line, or, said as a correction of a count ("no, two flat whites, and no
    cappuccino"), the new count of the cart's one line of it."""
    words = " ".join(tokenize(ctx.text))
    same = [ln for ln in cart["lines"] if ln["item_id"] == m.item_id and ln not in dropped]
    corrects = words.startswith(("no ", "no , ", *(f"{c} " for c in vocab.skill("orders")["corrections"])))
    if corrects and m.quantity and len(same) == 1 and m.size in (None, same[0].get("size")) and m.milk in (
            None, same[0].get("milk")) and not (m.extras or m.temperature):
        return "update_order_line", {"order_id": cart["order_id"], "line_id": same[0]["line_id"],
                                     "quantity": m.quantity}
    return "add_order_line", {"order_id": cart["order_id"], **line(m)}


def said_back(vocab: Vocabulary, ctx: Context, p: Parse, said_with: str) -> bool:
    """The cart's lines said back, with words of the `said_with` kind (a yes; "I'll have that")."""
    cart, words, o = draft(ctx), " ".join(tokenize(ctx.text)), vocab.skill("orders")
    if not cart or not isinstance(ctx.pending, Place) or not has(words, o[said_with]) or (
            words.split()[0] in o["more_openers"] or has(words, o["more_of"])):
        return False
    return bool(p.mentions) and all(m.item_id and (m.quantity or 1) == 1 and any(
        m.item_id == ln["item_id"] and (m.size or ln.get("size")) == ln.get("size")
        and (m.milk or ln.get("milk")) == ln.get("milk") and set(m.extras) <= set(ln.get("extras", []))
        for ln in cart["lines"]) for m in p.mentions)
