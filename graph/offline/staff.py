"""The engine as router and as the specialists that have tools today (stock, order progress)."""

from __future__ import annotations

import re
from typing import Any

from langchain_core.messages import AIMessage

from graph.offline.answers import explain
from graph.offline.context import Context
from graph.offline.parse import Intent, parse
from graph.offline.reply import listing, say, use
from graph.offline.vocab import Vocabulary

BARISTA_INTENTS = {Intent.ORDER, Intent.MODIFY, Intent.REMOVE, Intent.MENU, Intent.STATUS, Intent.CANCEL,
                   Intent.CONFIRM, Intent.DENY, Intent.DONE, Intent.UNSURE, Intent.BALANCE, Intent.TRANSFER,
                   Intent.REDEEM, Intent.VOTE, Intent.PROPOSALS, Intent.PAY}


def choose_agent(vocab: Vocabulary, text: str, candidates: list[str]) -> str:
    intent = parse(vocab, text).intent
    wanted = ("inventory_manager" if intent == Intent.STOCK else "task_manager" if intent == Intent.ADVANCE
              else "barista" if intent in BARISTA_INTENTS else None)
    return wanted if wanted in candidates else ("barista" if "barista" in candidates else candidates[0])


CHANGES = {"restock": 1, "restocked": 1, "received": 1, "delivery": 1, "add": 1, "waste": -1, "wasted": -1,
           "write off": -1, "threw away": -1, "spilled": -1, "remove": -1}


def _delta(text: str) -> int | None:
    """A stock change the text asks for: +n for deliveries, -n for waste; None if it only asks."""
    sign = next((v for k, v in CHANGES.items() if re.search(rf"\b{k}\b", text.lower())), None)
    amount = re.search(r"\b(\d[\d,]*)\b", text)
    return sign * int(amount.group(1).replace(",", "")) if sign and amount else None


def _best(levels: list[dict[str, Any]], words: set[str]) -> list[dict[str, Any]]:
    scores = [(sum(w in f"{lv['ingredient_name']} {lv['ingredient_id']}".lower() for w in words), lv) for lv in levels]
    top = max((score for score, _ in scores), default=0)
    return [lv for score, lv in scores if score == top] if top else []


def inventory(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
    p = parse(vocab, ctx.text)
    if not ctx.calls:
        shop = p.shop or ctx.shop
        return use(turn, ("get_stock", {"location_id": shop} if shop else {}))
    last = ctx.calls[-1]
    if not last["ok"]:
        return say(explain(str(last["result"])))
    if last["name"] == "adjust_stock":
        lv = last["result"]
        return say(f"Recorded: {lv['ingredient_name']} at {lv['location_id']} is now {lv['quantity']:,} {lv['unit']}.")
    levels: list[dict[str, Any]] = last["result"]["levels"]
    words = {m.milk for m in p.mentions if m.milk} | {w for w in re.findall(r"[a-z]{3,}", ctx.text.lower())}
    hits = _best(levels, words - {"stock", "restock", "much", "how", "have", "the", "with", "from"})
    delta = _delta(ctx.text)
    if delta is not None:
        if len(hits) != 1:
            return say("Which ingredient, and at which shop? For example: \"restock 5000 ml oat milk at campus\".")
        hit = hits[0]
        return use(turn, ("adjust_stock", {"location_id": hit["location_id"], "ingredient_id": hit["ingredient_id"],
                                           "delta": delta, "reason": ctx.text[:200]}))
    shown = hits or sorted(levels, key=lambda lv: lv["quantity"])[:5]
    lead = "" if hits else "Lowest stock: "
    return say(lead + listing([f"{lv['ingredient_name']} at {lv['location_id']}: {lv['quantity']:,} {lv['unit']}"
                               for lv in shown]) + ".")


def task_manager(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
    p = parse(vocab, ctx.text)
    if ctx.calls:
        last = ctx.calls[-1]
        if not last["ok"]:
            return say(explain(str(last["result"])))
        return say(f"Order {last['result']['order_id']} is now {last['result']['state']}.")
    if p.intent == Intent.ADVANCE and p.order_id and p.to_state:
        return use(turn, ("advance_order", {"order_id": p.order_id, "to_state": p.to_state}))
    return say("Tell me the order number and its new state, e.g. \"mark order 12 ready\".")


def specialist(ctx: Context) -> AIMessage:
    title = ctx.system.splitlines()[0].lstrip("# ").strip() if ctx.system else "This specialist"
    return say(f"{title} here. The tools I need for that aren't available yet, so I can't do it for you now.")
