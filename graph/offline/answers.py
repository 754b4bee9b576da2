"""Phase two of a turn: say what the tools did, in plain words, and ask for what comes next."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from graph.offline import pay
from graph.offline.context import Context
from graph.offline.parse import Intent, parse, tokenize
from graph.offline.pending import Considering, Place
from graph.offline.reply import dollars, listing, say, summary
from graph.offline.scan import has, without
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary
from tools.errors import ErrorBody

CART_TOOLS = {"create_cart", "add_order_line", "update_order_line", "remove_order_line", "quote_order"}

SAY = Templates("orders")


def answer(vocab: Vocabulary, ctx: Context) -> AIMessage:
    failed = [c for c in ctx.calls if not c["ok"]]
    if failed:
        return say(explain(failed[0]["error"]))
    last = ctx.calls[-1]
    name, result = last["name"], last["result"]
    if name in CART_TOOLS:
        heard = parse(vocab, ctx.text)  # "a dry cappuccino and a cortado": the cortado went in
        left_out = heard.unknown if heard.intent == Intent.ORDER else None
        return _cart(result, SAY("left_out", unknown=left_out) if left_out else "")
    if name == "place_order":
        placed = SAY("placed", order=result["order_id"], summary=summary(result))
        offer = pay.offer(ctx, result["order_id"])
        return say(placed + (pay.SAY("offer") if offer else ""), offer)
    if name == "cancel_order":
        back = SAY("cancelled_refund", total=dollars(result["total_cents"])) if result["state"] == "refunded" else ""
        return say(SAY("cancelled", order=result["order_id"], back=back))
    if name in ("get_order", "list_orders"):
        return say(order_status(result))
    if name == "get_menu_item" and (several := [c["result"] for c in ctx.calls if c["name"] == "get_menu_item"][:-1]):
        return _still_asking(ctx, " ".join(_about_item(vocab, ctx, r) for r in [*several, result]),
                             Considering(item_id=several[0]["id"]))  # "is it like a latte?": the flat white
    if name == "get_menu_item":
        size = next((m.size for m in parse(vocab, ctx.text).mentions if m.item_id == result["id"]), None)
        return _still_asking(ctx, _about_item(vocab, ctx, result), Considering(item_id=result["id"], size=size))
    if name == "list_menu_items":
        return _still_asking(ctx, _about_menu(vocab, ctx, result["items"]))
    return say(SAY("done"))


def _still_asking(ctx: Context, text: str, considering: Considering | None = None) -> AIMessage:
    """A question asked while "Shall I place it?" waits answers it and asks again, so a yes still places."""
    if isinstance(ctx.pending, Place):
        return say(SAY("still_asking", text=text), ctx.pending)
    return say(text, considering)


def explain(error: ErrorBody) -> str:
    if error.code == "out_of_stock":
        return SAY("out_of_stock", why=error.message)
    if error.code == "not_found":
        return SAY("not_found", why=error.message)
    return SAY("failed", why=error.message)


def _cart(order: dict[str, Any], before: str = "") -> AIMessage:
    if not order["lines"]:
        return say(before + SAY("empty"))
    return say(before + SAY("cart", summary=summary(order)), Place(order_id=order["order_id"]))


def order_status(result: dict[str, Any]) -> str:
    order = result if "order_id" in result else (result.get("orders") or [None])[0]
    if order is None:
        return SAY("no_orders")
    return SAY("status", order=order["order_id"], state=order["state"], summary=summary(order))


def _about_item(vocab: Vocabulary, ctx: Context, item: dict[str, Any]) -> str:
    topic, name = parse(vocab, ctx.text).topic, item["name"]
    if topic == "price":
        prices = ", ".join(SAY("price", price=dollars(p["price_cents"]), size=p["size"]) for p in item["prices"])
        return SAY("prices", name=name, prices=prices)
    if topic == "sizes":
        sizes = [SAY("size_price", price=dollars(p["price_cents"]), size=p["size"]) for p in item["prices"]]
        return SAY("sizes", name=name, sizes=listing(sizes))
    if topic == "allergen":
        return _allergens(vocab, ctx.text, name, item.get("allergens") or [])
    if topic == "vegan":
        if item["vegan"]:
            return SAY("vegan", name=name)
        plant = [m["name"] for m in item.get("milks", []) if m["vegan"]]
        tip = SAY("vegan_tip", milks=listing(plant, "or")) if plant and set(item["allergens"]) <= {"milk"} else ""
        return SAY("not_vegan", name=name, tip=tip)
    if topic == "caffeine":
        return SAY("caffeine", name=name) if item["caffeinated"] else SAY("no_caffeine", name=name)
    if topic != "milks":  # "about", or a question about the cart's item in words we do not know
        return SAY("description", name=name, description=item["description"])
    milks = [SAY("milk_price", name=m["name"], price=dollars(m["price_cents"])) if m["price_cents"]
             else SAY("milk", name=m["name"]) for m in item.get("milks", [])]
    return SAY("milks", milks=listing(milks)) if milks else SAY("no_milk", name=name)


def _allergens(vocab: Vocabulary, text: str, name: str, found: list[str]) -> str:
    """Answer the allergen asked about first ("does it have gluten?" -> yes or no), then all of them."""
    words = without(" ".join(tokenize(text)), vocab.item_phrases)  # "almond croissant" does not ask about nuts
    asked = [a for a, said in vocab.lexicon.allergens.items() if has(words, said)]
    everything = (SAY("contains", name=name, allergens=listing(_human(found))) if found
                  else SAY("no_allergens", name=name))
    if not asked:
        return everything
    present = [a for a in asked if a in found]
    if present:
        return SAY("allergen_yes", everything=everything)
    return SAY("allergen_no", name=name, asked=listing(_human(asked), "or"), everything=everything if found else "")


def _human(allergens: list[str]) -> list[str]:
    return [a.replace("_", " ") for a in allergens]


def _about_menu(vocab: Vocabulary, ctx: Context, items: list[dict[str, Any]]) -> str:
    topic = parse(vocab, ctx.text).topic
    names = [i["name"] for i in items]
    if not names:
        return SAY("nothing_matches")
    if topic == "vegan":
        return SAY("vegan_list", names=listing(names))
    if topic == "caffeine":
        return SAY("caffeine_free", names=listing(names))
    by_category: dict[str, list[str]] = {}
    for i in items:
        by_category.setdefault(i["category"], []).append(i["name"])
    return " ".join(SAY("category", category=c.capitalize(), names=listing(n)) for c, n in by_category.items())
