"""The barista's dialogue policy: what to do with a customer's words, given the cart and what is pending."""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any

from langchain_core.messages import AIMessage

from graph.offline import money, money_answers, pay, pay_answers
from graph.offline.answers import answer
from graph.offline.context import Context
from graph.offline.parse import Intent, Mention, Parse, parse, says_yes
from graph.offline.reply import not_for, say, summary, use
from graph.offline.vocab import Vocabulary

HELP = ("I can take your order, answer questions about the menu, check on an order, take payment for it, or help "
        "with your wallet.")


def respond(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
    if ctx.calls:
        if (ctx.about or {}).get("flow") == "pay":
            return pay_answers.answer(ctx, turn)
        tell = money_answers.answer if ctx.calls[-1]["name"] in money.TOOLS else answer
        return tell(vocab, ctx)
    p = parse(vocab, ctx.text)
    handler = HANDLERS.get(p.intent, _unknown)
    reply = (money.follow_up(vocab, ctx, p, turn) or pay.follow_up(vocab, ctx, p, turn)
             or handler(vocab, ctx, p, turn))
    missing = [c["name"] for c in reply.tool_calls if c["name"] not in ctx.offered]
    return say(not_for(ctx, missing[0])) if missing else reply


def _draft(ctx: Context) -> dict[str, Any] | None:
    return ctx.cart if ctx.cart and ctx.cart["state"] == "draft" else None


def _problem(vocab: Vocabulary, m: Mention) -> str | None:
    """Why the menu cannot make this mention, or None. Never guess: the customer is asked instead."""
    menu, name = vocab.menu, vocab.menu.items[m.item_id or ""]
    sizes = menu.sizes.get(m.item_id or "", [])
    if m.size and m.size not in sizes:
        return f"{name} comes in {', '.join(sizes)}, not {m.size}. Which would you like?"
    if m.milk and m.item_id not in menu.milk_items:
        return f"{name} isn't made with milk. Shall I leave the milk out?"
    if m.extras and m.item_id not in menu.extra_items:
        return f"{name} doesn't take extras. Would you like it plain?"
    if m.quantity is not None and not 1 <= m.quantity <= 20:
        return f"I can take 1 to 20 of an item per line, not {m.quantity}. How many would you like?"
    return None


def _resolve_temperature(vocab: Vocabulary, m: Mention) -> str | None:
    """Swap to the iced version of an item when asked for iced; a problem text if there is none."""
    if m.temperature != "iced" or not m.item_id or m.item_id.startswith("iced_") or m.item_id == "cold_brew":
        return None
    iced = f"iced_{m.item_id}"
    if iced in vocab.menu.items:
        m.item_id = iced
        return None
    return f"We only serve {vocab.menu.items[m.item_id]} hot. Would you like it hot, or something iced?"


def _line(m: Mention) -> dict[str, Any]:
    line: dict[str, Any] = {"item_id": m.item_id, "quantity": m.quantity or 1, "extras": m.extras}
    return line | {k: v for k, v in (("size", m.size), ("milk", m.milk)) if v}


def _order(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    if "create_cart" not in ctx.offered:
        return say(not_for(ctx, "create_cart"))
    items = [m for m in p.mentions if m.item_id]
    for m in items:
        problem = _resolve_temperature(vocab, m) or _problem(vocab, m)
        if problem:
            return say(problem)
    cart = _draft(ctx)
    if cart:
        return use(turn, *[("add_order_line", {"order_id": cart["order_id"], **_line(m)}) for m in items])
    shop = p.shop or ctx.shop
    if shop is None:
        shops = ", ".join(vocab.menu.shops.values())
        return say(f"Which shop shall I send it to: {shops}?", {"action": "order", "text": ctx.text})
    return use(turn, ("create_cart", {"location_id": shop, "lines": [_line(m) for m in items]}))


def _modify(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    if ctx.pending and ctx.pending.get("action") == "order" and p.shop:
        again = parse(vocab, ctx.pending["text"])
        again.shop = p.shop
        return _order(vocab, ctx, again, turn)
    cart = _draft(ctx)
    if cart is None or not cart["lines"]:
        return say("There's nothing in your order yet. What would you like?")
    change = p.mentions[0] if p.mentions else Mention()
    if change.item_id and all(ln["item_id"] != change.item_id for ln in cart["lines"]):
        return _order(vocab, ctx, p, turn)
    lines = [ln for ln in cart["lines"] if p.every_line or ln["item_id"] == change.item_id] or cart["lines"][-1:]
    calls = []
    for ln in lines:
        problem = _problem(vocab, Mention(ln["item_id"], change.quantity, change.size, change.milk, change.extras))
        if problem:
            return say(problem)
        args = {"order_id": cart["order_id"], "line_id": ln["line_id"], "size": change.size, "milk": change.milk,
                "quantity": change.quantity, "extras": (ln["extras"] + change.extras) if change.extras else None}
        calls.append(("update_order_line", {k: v for k, v in args.items() if v is not None}))
    return use(turn, *calls)


def _remove(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    cart = _draft(ctx)
    wanted = {m.item_id for m in p.mentions if m.item_id}
    lines = [ln for ln in (cart or {}).get("lines", []) if ln["item_id"] in wanted]
    if not cart or not lines:
        names = " or ".join(vocab.menu.items[i] for i in wanted)
        return say(f"There's no {names} in your order.")
    return use(turn, *[("remove_order_line", {"order_id": cart["order_id"], "line_id": ln["line_id"]})
                       for ln in lines])


def _confirm(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    action = (ctx.pending or {}).get("action")
    if action in ("place", "cancel"):
        tool = "place_order" if action == "place" else "cancel_order"
        return use(turn, (tool, {"order_id": ctx.pending["order_id"]}))  # type: ignore[index]
    cart = _draft(ctx)
    if cart and cart["lines"]:
        return say(f"Your order: {summary(cart)}. Shall I place it?", {"action": "place", "order_id": cart["order_id"]})
    return say("What would you like to order?")


def _deny(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    action = (ctx.pending or {}).get("action")
    if action == "place":
        return say("No problem, I haven't placed it. Would you like to change anything?")
    if action == "cancel":
        return say(f"OK, order {ctx.pending['order_id']} stays as it is.")  # type: ignore[index]
    return say("OK. What would you like?")


def _unsure(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    action = (ctx.pending or {}).get("action")
    if action in ("place", "cancel"):
        return say(f"I need a clear yes for that. {_deny(vocab, ctx, p, turn).content}")
    return _unknown(vocab, ctx, p, turn)


def _status(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    if p.order_id:
        return use(turn, ("get_order", {"order_id": p.order_id}))
    return use(turn, ("list_orders", {"limit": 1}))


def _cancel(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    asked = ctx.pending if ctx.pending and ctx.pending.get("action") == "cancel" else None
    if asked and says_yes(vocab, ctx.text) and p.order_id in (None, asked["order_id"]):  # "yes, cancel it"
        return use(turn, ("cancel_order", {"order_id": asked["order_id"]}))
    order_id = p.order_id or (ctx.cart["order_id"] if ctx.cart else None)
    if order_id is None:
        return say("Which order should I cancel? Please tell me its number.")
    return say(f"Shall I cancel order {order_id}?", {"action": "cancel", "order_id": order_id})


def _menu(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    item = next((m.item_id for m in p.mentions if m.item_id), None)
    if item and p.topic in ("price", "allergen", "vegan", "milks", "caffeine"):
        return use(turn, ("get_menu_item", {"item_id": item}))
    filters = {"vegan": {"vegan": True}, "caffeine": {"caffeine_free": True}}.get(p.topic or "", {})
    if p.topic == "milks":
        return use(turn, ("get_menu_item", {"item_id": "latte" if "latte" in vocab.menu.items else item}))
    return use(turn, ("list_menu_items", filters))


def _unknown(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    if not p.unknown:
        return say(f"Sorry, I didn't catch that. {HELP}")
    close = get_close_matches(p.unknown, [n.lower() for n in vocab.menu.items.values()], n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]}?" if close else " Would you like to see the menu?"
    return say(f"Sorry, we don't have \"{p.unknown}\" on the menu.{hint}")


def _fixed(text: str) -> Any:
    return lambda vocab, ctx, p, turn: say(text)


HANDLERS = {
    Intent.ORDER: _order, Intent.MODIFY: _modify, Intent.REMOVE: _remove, Intent.CONFIRM: _confirm,
    Intent.DENY: _deny, Intent.DONE: _confirm, Intent.STATUS: _status, Intent.CANCEL: _cancel,
    Intent.MENU: _menu, Intent.UNKNOWN: _unknown, Intent.UNSURE: _unsure,
    **{intent: money.start for intent in money.INTENTS}, Intent.PAY: pay.handle,
    Intent.MANIPULATION: _fixed(f"Sorry, I can't do that. {HELP}"),
    Intent.OUT_OF_SCOPE: _fixed(f"I can only help with Go Coffee. {HELP}"),
    Intent.GREETING: _fixed("Hi! What can I get you?"),
    Intent.STOCK: _fixed("I can't share stock levels, but I can tell you what's on the menu."),
    Intent.ADVANCE: _fixed("Only our staff can move an order along. I can tell you its status."),
}
