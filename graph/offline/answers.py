"""Phase two of a turn: say what the tools did, in plain words, and ask for what comes next."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from graph.offline import pay
from graph.offline.context import Context
from graph.offline.parse import parse, tokenize
from graph.offline.pending import Considering, Place
from graph.offline.reply import dollars, listing, say, summary
from graph.offline.scan import has, without
from graph.offline.vocab import Vocabulary
from tools.errors import ErrorBody

CART_TOOLS = {"create_cart", "add_order_line", "update_order_line", "remove_order_line", "quote_order"}


def answer(vocab: Vocabulary, ctx: Context) -> AIMessage:
    failed = [c for c in ctx.calls if not c["ok"]]
    if failed:
        return say(explain(failed[0]["error"]))
    last = ctx.calls[-1]
    name, result = last["name"], last["result"]
    if name in CART_TOOLS:
        return _cart(result)
    if name == "place_order":
        placed = f"Placed! Order {result['order_id']}: {summary(result)}. We'll start on it once it's paid."
        offer = pay.offer(ctx, result["order_id"])
        return say(placed + (pay.OFFER if offer else ""), offer)
    if name == "cancel_order":
        back = f" and its {dollars(result['total_cents'])} refunded to where it was paid from" \
            if result["state"] == "refunded" else ""
        return say(f"Done: order {result['order_id']} is cancelled{back}.")
    if name in ("get_order", "list_orders"):
        return say(order_status(result))
    if name == "get_menu_item":
        size = next((m.size for m in parse(vocab, ctx.text).mentions if m.item_id == result["id"]), None)
        return _still_asking(ctx, _about_item(vocab, ctx, result), Considering(item_id=result["id"], size=size))
    if name == "list_menu_items":
        return _still_asking(ctx, _about_menu(vocab, ctx, result["items"]))
    return say("Done.")


def _still_asking(ctx: Context, text: str, considering: Considering | None = None) -> AIMessage:
    """A question asked while "Shall I place it?" waits answers it and asks again, so a yes still places."""
    if isinstance(ctx.pending, Place):
        return say(f"{text} Shall I place your order?", ctx.pending)
    return say(text, considering)


def explain(error: ErrorBody) -> str:
    if error.code == "out_of_stock":
        return f"Sorry, {error.message}. Would you like something else instead?"
    if error.code == "not_found":
        return f"Sorry, I couldn't find that ({error.message})."
    return f"Sorry, that didn't work: {error.message}."


def _cart(order: dict[str, Any]) -> AIMessage:
    if not order["lines"]:
        return say("Your order is empty now. What would you like?")
    return say(f"Your order: {summary(order)}. Shall I place it?", Place(order_id=order["order_id"]))


def order_status(result: dict[str, Any]) -> str:
    order = result if "order_id" in result else (result.get("orders") or [None])[0]
    if order is None:
        return "You don't have any orders yet. What can I get you?"
    return f"Order {order['order_id']} is {order['state']}: {summary(order)}."


def _about_item(vocab: Vocabulary, ctx: Context, item: dict[str, Any]) -> str:
    topic, name = parse(vocab, ctx.text).topic, item["name"]
    if topic == "price":
        prices = ", ".join(f"{dollars(p['price_cents'])} {p['size']}" for p in item["prices"])
        return f"{name}: {prices}."
    if topic == "allergen":
        return _allergens(vocab, ctx.text, name, item.get("allergens") or [])
    if topic == "vegan":
        if item["vegan"]:
            return f"Yes, {name} is vegan."
        plant = [m["name"] for m in item.get("milks", []) if m["vegan"]]
        tip = f" Ask for {listing(plant)} and it can be." if plant and set(item["allergens"]) <= {"milk"} else ""
        return f"No, {name} isn't vegan as served.{tip}"
    if topic == "caffeine":
        return f"{name} {'has' if item['caffeinated'] else 'has no'} caffeine."
    if topic != "milks":  # "about", or a question about the cart's item in words we do not know
        return f"{name}: {item['description']}"
    milks = [f"{m['name']}" + (f" (+{dollars(m['price_cents'])})" if m["price_cents"] else "")
             for m in item.get("milks", [])]
    return f"We have {listing(milks)}." if milks else f"{name} isn't made with milk."


def _allergens(vocab: Vocabulary, text: str, name: str, found: list[str]) -> str:
    """Answer the allergen asked about first ("does it have gluten?" -> yes or no), then all of them."""
    words = without(" ".join(tokenize(text)), vocab.item_phrases)  # "almond croissant" does not ask about nuts
    asked = [a for a, said in vocab.lexicon.allergens.items() if has(words, said)]
    everything = f"{name} contains {listing(_human(found))}." if found else f"{name} has no listed allergens."
    if not asked:
        return everything
    present = [a for a in asked if a in found]
    if present:
        return f"Yes: {everything}"
    return f"No, {name} has no {listing(_human(asked), 'or')} listed. " + (everything if found else "")


def _human(allergens: list[str]) -> list[str]:
    return [a.replace("_", " ") for a in allergens]


def _about_menu(vocab: Vocabulary, ctx: Context, items: list[dict[str, Any]]) -> str:
    topic = parse(vocab, ctx.text).topic
    names = [i["name"] for i in items]
    if not names:
        return "Nothing on the menu matches that."
    if topic == "vegan":
        return f"Vegan as served: {listing(names)}."
    if topic == "caffeine":
        return f"Caffeine-free: {listing(names)}."
    by_category: dict[str, list[str]] = {}
    for i in items:
        by_category.setdefault(i["category"], []).append(i["name"])
    return " ".join(f"{c.capitalize()}: {listing(n)}." for c, n in by_category.items())
