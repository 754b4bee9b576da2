"""The orders skill: what to do with a customer's words about the cart and the menu, given the cart and what is
pending (the barista's other skills — wallet, DAO, paying — answer their own requests first)."""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import get_close_matches
from typing import Any

from langchain_core.messages import AIMessage

from graph.offline.answers import answer
from graph.offline.asking import echoes_left_out, price_asked_again
from graph.offline.cart_edit import changed_lines, removed, retyped
from graph.offline.cart_refs import (
    added_or_recounted,
    as_in_cart,
    carried_over,
    definite_change,
    definite_changes,
    draft,
    instead,
    kind_pointed,
    kinds_in_cart,
    recounted,
    referred,
    restated,
    said_back,
    taken_off,
    without_references,
)
from graph.offline.clarify import ask_which, cannot_make, line, resolve_temperature, with_choice, with_fix
from graph.offline.clauses import sentences_of
from graph.offline.context import Context
from graph.offline.kitchen_parse import advance
from graph.offline.parse import Intent, Mention, Parse, parse, says_yes, tokenize
from graph.offline.pending import Cancel, CancelWhich, Choose, Considering, Fix, OrderShop, Place, WhichLine
from graph.offline.people import whose
from graph.offline.refer import considered
from graph.offline.reply import not_for, not_understood, say, summary, use
from graph.offline.scan import has, is_question, scan, without
from graph.offline.templates import Templates
from graph.offline.together import narrowed, placed_too, removed_and_changed
from graph.offline.vocab import Vocabulary

SAY = Templates("orders")


def respond(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
    if ctx.said_before:  # "Priya's gone home, take hers off": the americano
        ctx = replace(ctx, text=whose(vocab, ctx.text, ctx.said_before))
    ctx = replace(ctx, text=as_in_cart(vocab, ctx))  # "instead of the macchiato": the caramel macchiato
    if isinstance(ctx.pending, Considering):
        said = echoes_left_out(vocab, ctx.text, ctx.answered, ctx.pending.item_id)  # "Earl Grey and vanilla, I'm sold"
        said = price_asked_again(vocab, said, ctx.said_before, ctx.pending.item_id)  # "and the medium?"
        size = _size_asked(vocab, said, ctx.pending.item_id) or ctx.pending.size  # "is the small drip under $3? ok
        ctx = replace(ctx, text=considered(vocab, said, ctx.pending.item_id, size))  # one of those"
    if ctx.calls:
        return placed_too(vocab, ctx, turn) or answer(vocab, ctx)
    p = parse(vocab, ctx.text)
    if p.intent == Intent.ORDER and restated(vocab, ctx, p):
        p = replace(p, intent=Intent.CONFIRM)
    handler = HANDLERS.get(p.intent, _unknown)
    reply = (_chosen(vocab, ctx, p, turn) or _again(vocab, ctx, p, turn) or _staff_only(vocab, p, ctx.text)
             or _asked_then_added(vocab, ctx, p, turn) or removed_and_changed(vocab, ctx, turn) or narrowed(vocab, ctx, p, turn)
             or handler(vocab, ctx, p, turn))
    missing = [c["name"] for c in reply.tool_calls if c["name"] not in ctx.offered]
    return say(not_for(ctx, missing[0])) if missing else reply


def _size_asked(vocab: Vocabulary, text: str, item_id: str) -> str | None:
    """The size of the item considered, as a question in this turn names it."""
    asked = [s for s in sentences_of(text) if is_question(s, " ".join(tokenize(s)))]
    return next((m.size for s in asked for m in scan(vocab, tokenize(s)).mentions if m.item_id == item_id and m.size),
                None)


def _asked_then_added(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage | None:
    """ "how much is an extra shot?" … "ok add it"; "what's the price on the avocado toast?" … "ok add both": what
    the person asked about in their last questions, not yet in the cart, goes in (items, or extras on the cart's
    last line)."""
    words, cart = " ".join(tokenize(ctx.text)), draft(ctx)
    if not has(words, vocab.skill("orders")["add_pointed"]) or any(m.item_id or m.choices for m in p.mentions):
        return None
    in_cart = {ln["item_id"] for ln in (cart or {}).get("lines", [])}
    asked = [scan(vocab, tokenize(s)).mentions for turn_said in ctx.said_before[-2:]
             for s in sentences_of(turn_said) if is_question(s, " ".join(tokenize(s)))]
    items = [m for ms in asked for m in ms if m.item_id and m.item_id not in in_cart]
    extras = [e for ms in asked for m in ms if not m.item_id for e in m.extras]
    if items:
        return _order(vocab, ctx, Parse(Intent.ORDER, mentions=items), turn)
    if extras and cart and cart["lines"]:
        return changed_lines(vocab, ctx, Parse(Intent.MODIFY, mentions=[Mention(extras=extras)]), cart, turn)
    return None


def _chosen(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage | None:
    """The answer to "which one: A or B?": the first request again, with the item picked ("the chocolate chip
    one", "Earl Grey please, medium"). Anything else is a new request."""
    pending = ctx.pending
    if isinstance(pending, WhichLine) and draft(ctx) and p.intent not in (
            Intent.ORDER, Intent.REMOVE, Intent.CONFIRM, Intent.DONE, Intent.DENY):
        return changed_lines(vocab, ctx, parse(vocab, pending.text), draft(ctx) or {}, turn, pointer=ctx.text)
    if isinstance(pending, CancelWhich) and p.order_id and p.intent != Intent.MANIPULATION:
        return _cancel(vocab, ctx, p, turn)  # "It's order number 1."
    if isinstance(pending, Fix) and p.intent in (Intent.MODIFY, Intent.UNKNOWN, Intent.CONFIRM) and p.mentions and not any(
            m.item_id or m.choices for m in p.mentions):
        return _fixed_order(vocab, ctx, p.mentions[0], pending.text, turn)  # "a small one then"
    if not isinstance(pending, Choose):
        return None
    again = with_choice(vocab, ctx, p, pending.options, pending.text)
    if again is None:
        return None
    return {Intent.REMOVE: removed, Intent.MODIFY: _modify}.get(again.intent, _order)(vocab, ctx, again, turn)


def _fixed_order(vocab: Vocabulary, ctx: Context, answer: Mention, text: str, turn: int) -> AIMessage:
    """The answer to "Cortado comes in small, not large. Which would you like?": the first request again with
    what was said ("a small one then") put on the item that could not be made."""
    return _order(vocab, ctx, with_fix(vocab, answer, text), turn)


def _order(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    if "create_cart" not in ctx.offered:
        return say(not_for(ctx, "create_cart"))
    if both := _change_then_add(vocab, ctx, turn):
        return both
    p = without_references(vocab, ctx, p, draft(ctx))
    if _restated_with_a_yes(vocab, ctx, p):
        return _confirm(vocab, ctx, p, turn)
    if said_back(vocab, ctx, p, "restating") and (cart := draft(ctx)):  # "ok, I'll have that then, one cortado
        return use(turn, ("quote_order", {"order_id": cart["order_id"]}))  # with oat": what is in the cart already
    p = kinds_in_cart(vocab, ctx, p, draft(ctx))
    change = recounted(vocab, ctx, p, draft(ctx)) or definite_change(vocab, ctx, p, draft(ctx))
    if change is not None:
        return _modify(vocab, ctx, change, turn)
    if each := definite_changes(vocab, ctx, p, draft(ctx)):  # "the americanos large, the tea small"
        return _modify(vocab, ctx, each, turn)
    unclear = next((m for m in p.mentions if m.choices and not m.item_id), None)
    if unclear:
        return ask_which(vocab, ctx, unclear)
    items = [m for m in p.mentions if m.item_id]
    for m in items:
        problem = resolve_temperature(vocab, m) or cannot_make(vocab, m)
        if problem:
            return say(problem, Fix(text=ctx.text))
    cart = draft(ctx)
    if cart:
        kind = kind_pointed(vocab, ctx.text, cart["lines"])  # "swap the pastry for a chocolate croissant"
        pointed = {kind[0]["item_id"] if kind else referred(vocab, ctx) or cart["lines"][-1]["item_id"]} if any(
            not (m.item_id or m.choices) for m in p.replaces) and cart["lines"] else set()  # "swap it for …"
        taken = ({m.item_id for m in p.replaces} | {i for m in p.replaces for i in m.choices} | pointed
                 | instead(vocab, ctx, items))
        dropped = [ln for ln in cart["lines"] if ln["item_id"] in taken]
        replaces = _one_persons(vocab, ctx.text, p.replaces)
        drop = [taken_off(cart["order_id"], ln, replaces) for ln in dropped]
        if p.keeps_count and dropped:  # "make the americanos cold brews": as many as there were
            items = [replace(m, quantity=m.quantity or sum(ln["quantity"] for ln in dropped)) for m in items]
        if len(dropped) == 1:  # "maybe the iced mocha instead" of a large iced latte: a large one
            keep = has(" ".join(tokenize(ctx.text)), vocab.skill("orders")["keep"])
            items = [carried_over(vocab, m, dropped[0], keep) for m in items]
        return use(turn, *drop, *[added_or_recounted(vocab, ctx, cart, m, dropped) for m in items])
    shop = p.shop or ctx.shop
    if shop is None:
        shops = ", ".join(vocab.menu.shops.values())
        return say(SAY("which_shop", shops=shops), OrderShop(text=ctx.text))
    return use(turn, ("create_cart", {"location_id": shop, "lines": [line(m) for m in items]}))


def _one_persons(vocab: Vocabulary, text: str, replaces: list[Mention]) -> list[Mention]:
    """ "make hers an americano instead of the macchiato", two macchiatos in the cart: one person's is one unit."""
    if not has(" ".join(tokenize(text)), vocab.skill("orders")["one_persons"]):
        return replaces
    return [replace(m, quantity=m.quantity or 1) for m in replaces]


def _change_then_add(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage | None:
    """ "a small one please, with oat milk. and a babyccino": a sentence that changes the cart's line, then one that
    adds — both, in one step."""
    cart = draft(ctx)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", ctx.text.strip()) if s]
    if len(sentences) < 2:  # "make that 2, and add a chocolate croissant"
        sentences = [s for s in re.split(r",\s*(?=(?:and|plus|also)\b)", ctx.text.strip(), maxsplit=1) if s]
    if not cart or not cart["lines"] or len(sentences) < 2:
        return None
    first, rest = parse(vocab, sentences[0]), " ".join(sentences[1:])
    if first.intent != Intent.MODIFY or any(m.item_id or m.choices for m in first.mentions):
        return None
    later = parse(vocab, rest)
    if later.intent not in (Intent.ORDER, Intent.MODIFY) or not any(m.item_id for m in later.mentions):
        return None  # ("and add a croissant" reads as a change with an item: an order here)
    changed = changed_lines(vocab, replace(ctx, text=sentences[0]), first, cart, turn)
    added = _order(vocab, replace(ctx, text=rest), later, turn)
    if not changed.tool_calls or not added.tool_calls:
        return None
    return use(turn, *[(c["name"], c["args"]) for c in [*changed.tool_calls, *added.tool_calls]])


def _restated_with_a_yes(vocab: Vocabulary, ctx: Context, p: Parse) -> bool:
    """ "medium London Fog with oat, that's exactly right, place it": the cart said back, and a yes."""
    return said_back(vocab, ctx, p, "confirm_anywhere")


def _again(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage | None:
    """ "another one of those", "same again": one more of the cart's last line."""
    cart = draft(ctx)
    words = without(" ".join(tokenize(ctx.text)), vocab.phrases_of("extra", "milk")).replace(" , ", " ")  # "put in
    # it one more shot" adds a shot, not a line; "the same, but …" is "the same but …"
    if not cart or not cart["lines"] or p.intent in (Intent.DENY, Intent.UNSURE, Intent.DONE) or not has(
            words, vocab.skill("orders")["again"]):
        return None
    last = cart["lines"][-1]
    if has(words, vocab.skill("orders")["a_drink"]):  # "the same drink for my friend": not the bagel added last
        food = vocab.skill("orders")["food_categories"]
        last = next((ln for ln in reversed(cart["lines"]) if vocab.menu.categories.get(ln["item_id"]) not in food),
                    last)
    if any((m.item_id or m.choices) and m.item_id != last["item_id"] for m in p.mentions):
        return None  # "another one of those, … a cortado too" names the same item: still one more of it
    change = next((m for m in p.mentions if m.size or m.milk or m.extras or m.temperature or m.without), None)
    if change:  # "the same again but decaf": one more like it, with the change ("but iced": the iced one)
        swapped, refused = retyped(vocab, last["item_id"], change.temperature)
        if refused:
            return say(refused)
        extras = [e for e in [*last.get("extras", []), *change.extras] if e not in change.without]
        like = Mention(swapped or last["item_id"], 1, change.size or last.get("size"), change.milk or last.get("milk"),
                       list(dict.fromkeys(extras)))
        return use(turn, ("add_order_line", {"order_id": cart["order_id"], **line(like)}))
    return use(turn, ("update_order_line", {"order_id": cart["order_id"], "line_id": last["line_id"],
                                            "quantity": last["quantity"] + 1}))


def _modify(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    if isinstance(ctx.pending, OrderShop) and p.shop:
        again = parse(vocab, ctx.pending.text)
        again.shop = p.shop
        return _order(vocab, ctx, again, turn)
    cart = draft(ctx)
    p = kinds_in_cart(vocab, ctx, p, cart)  # "large for the tea"
    change = p.mentions[0] if p.mentions else Mention()
    if (cart is None or not cart["lines"]) and (change.item_id or change.choices):
        return _order(vocab, ctx, p, turn)  # "a plain croissant instead then", with nothing ordered yet
    if isinstance(ctx.pending, Considering) and not (change.item_id or change.choices):
        asked = ctx.pending
        chosen = replace(change, item_id=asked.item_id, size=change.size or asked.size)
        return _order(vocab, ctx, replace(p, mentions=[chosen]), turn)
    if cart is None or not cart["lines"]:
        return say(SAY("nothing_yet"))
    if (change.item_id or change.choices) and all(ln["item_id"] not in (change.item_id, *change.choices)
                                                  for ln in cart["lines"]):
        return _order(vocab, ctx, p, turn)  # "add a muffin", "add a cookie" (which one?)
    return _changed_and_added(vocab, ctx, p, cart, turn) or changed_lines(vocab, ctx, p, cart, turn)


def _changed_and_added(vocab: Vocabulary, ctx: Context, p: Parse, cart: dict[str, Any], turn: int
                       ) -> AIMessage | None:
    """ "make that two mochas and two hot chocolates": each item in the cart changes, each one not in it is added."""
    items = [m for m in p.mentions if m.item_id]
    in_cart = {ln["item_id"] for ln in cart["lines"]}
    changes_each = all(m.quantity or m.size or m.milk or m.extras or m.temperature or m.without for m in items)
    if len(items) < 2 or p.every_line or (all(m.item_id in in_cart for m in items) and not changes_each):
        return None  # ("make that six drip coffees and five croissants": each line's own count)
    calls: list[tuple[str, dict[str, Any]]] = []
    for m in items:
        if m.item_id not in in_cart:
            calls.append(("add_order_line", {"order_id": cart["order_id"], **line(m)}))
            continue
        changed = changed_lines(vocab, ctx, replace(p, mentions=[m]), cart, turn)
        if not changed.tool_calls:
            return changed  # a question ("which one?") or a refusal
        calls += [(c["name"], c["args"]) for c in changed.tool_calls]
    return use(turn, *calls)


def _confirm(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    if isinstance(ctx.pending, Place | Cancel):
        tool = "place_order" if isinstance(ctx.pending, Place) else "cancel_order"
        return use(turn, (tool, {"order_id": ctx.pending.order_id}))
    cart = draft(ctx)
    if cart and cart["lines"]:
        return say(SAY("cart", summary=summary(cart)), Place(order_id=cart["order_id"]))
    return say(SAY("what_to_order"))


def _deny(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    if isinstance(ctx.pending, Place):
        return say(SAY("not_placed"))
    if isinstance(ctx.pending, Cancel):
        return say(SAY("order_stays", order=ctx.pending.order_id))
    if has(" ".join(tokenize(ctx.text)), vocab.words("later")):
        return say(SAY("nothing_ordered"))
    return say(SAY("what_then"))


def _unsure(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    if p.topic == "keep" and (cart := draft(ctx)) and cart["lines"]:  # "keep the shots": the cart stays as it is
        return say(SAY("cart", summary=summary(cart)), Place(order_id=cart["order_id"]))
    if isinstance(ctx.pending, Place | Cancel):
        return say(SAY("clear_yes", then=_deny(vocab, ctx, p, turn).content))
    return _unknown(vocab, ctx, p, turn)


def _status(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    if p.order_id:
        return use(turn, ("get_order", {"order_id": p.order_id}))
    return use(turn, ("list_orders", {"limit": 1}))


def _cancel(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    asked = ctx.pending if isinstance(ctx.pending, Cancel) else None
    if asked and says_yes(vocab, ctx.text) and p.order_id in (None, asked.order_id):  # "yes, cancel it"
        return use(turn, ("cancel_order", {"order_id": asked.order_id}))
    order_id = p.order_id or (ctx.cart["order_id"] if ctx.cart else None)
    if order_id is None:
        return say(SAY("which_cancel"), CancelWhich())
    return say(SAY("cancel", order=order_id), Cancel(order_id=order_id))


def _menu(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    item = next((m.item_id for m in p.mentions if m.item_id), None) or referred(vocab, ctx)
    named = list(dict.fromkeys(m.item_id for m in p.mentions if m.item_id))
    if p.topic == "about" and len(named) > 1:  # "a macchiato or a latte with caramel, what's the difference?"
        return use(turn, *[("get_menu_item", {"item_id": i}) for i in named[:3]])
    if item and p.topic in ("price", "sizes", "allergen", "vegan", "milks", "caffeine", "about"):
        return use(turn, ("get_menu_item", {"item_id": item}))
    filters = {"vegan": {"vegan": True}, "caffeine": {"caffeine_free": True}}.get(p.topic or "", {})
    if p.topic == "milks":
        return use(turn, ("get_menu_item", {"item_id": "latte" if "latte" in vocab.menu.items else item}))
    return use(turn, ("list_menu_items", filters))


def _unknown(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    pointed = referred(vocab, ctx)
    if pointed and is_question(ctx.text, " ".join(tokenize(ctx.text))):  # "how many shots is that?"
        return use(turn, ("get_menu_item", {"item_id": pointed}))
    if not p.unknown:
        return not_understood(SAY("not_caught", help=SAY("help")))
    close = get_close_matches(p.unknown, [n.lower() for n in vocab.menu.items.values()], n=1, cutoff=0.5)
    hint = SAY("did_you_mean", name=close[0]) if close else SAY("see_the_menu")
    return say(SAY("not_on_menu", unknown=p.unknown, hint=hint))


def _staff_only(vocab: Vocabulary, p: Parse, text: str) -> AIMessage | None:
    """A customer's words for staff work: moving an order along, or the stock on the shelves."""
    if p.intent in (Intent.MANIPULATION, Intent.OUT_OF_SCOPE, Intent.CANCEL, Intent.STATUS):
        return None
    words = " ".join(tokenize(text))
    if advance(vocab, words, p.order_id):
        return say(SAY("staff_only_advance"))
    if has(words, vocab.skill("stock")["asks"]):
        return say(SAY("staff_only_stock"))
    return None


HANDLERS = {
    Intent.ORDER: _order, Intent.MODIFY: _modify, Intent.REMOVE: removed, Intent.CONFIRM: _confirm,
    Intent.DENY: _deny, Intent.DONE: _confirm, Intent.STATUS: _status, Intent.CANCEL: _cancel,
    Intent.MENU: _menu, Intent.UNKNOWN: _unknown, Intent.UNSURE: _unsure,
    Intent.MANIPULATION: lambda vocab, ctx, p, turn: say(SAY("manipulation", help=SAY("help"))),
    Intent.OUT_OF_SCOPE: lambda vocab, ctx, p, turn: say(SAY("out_of_scope", help=SAY("help"))),
    Intent.GREETING: lambda vocab, ctx, p, turn: say(SAY("welcome") if p.topic == "thanks" else SAY("hello")),
}
