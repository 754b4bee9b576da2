"""The engine as router and as the specialists that have tools today (stock, order progress)."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from graph.offline.answers import _explain
from graph.offline.context import Context
from graph.offline.parse import Intent, parse
from graph.offline.reply import listing, say, use
from graph.offline.vocab import Vocabulary

BARISTA_INTENTS = {Intent.ORDER, Intent.MODIFY, Intent.REMOVE, Intent.MENU, Intent.STATUS, Intent.CANCEL,
                   Intent.CONFIRM, Intent.DENY, Intent.DONE}


def choose_agent(vocab: Vocabulary, text: str, candidates: list[str]) -> str:
    intent = parse(vocab, text).intent
    wanted = ("inventory_manager" if intent == Intent.STOCK else "task_manager" if intent == Intent.ADVANCE
              else "barista" if intent in BARISTA_INTENTS else None)
    return wanted if wanted in candidates else ("barista" if "barista" in candidates else candidates[0])


def inventory(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
    p = parse(vocab, ctx.text)
    if not ctx.calls:
        shop = p.shop or ctx.shop
        return use(turn, ("get_stock", {"location_id": shop} if shop else {}))
    if not ctx.calls[-1]["ok"]:
        return say(_explain(str(ctx.calls[-1]["result"])))
    levels: list[dict[str, Any]] = ctx.calls[-1]["result"]["levels"]
    words = {m.milk for m in p.mentions if m.milk} | {w for w in ctx.text.lower().split() if len(w) > 3}
    hits = [lv for lv in levels if any(w in lv["ingredient_name"].lower() or w in lv["ingredient_id"] for w in words)]
    shown = hits or sorted(levels, key=lambda lv: lv["quantity"])[:5]
    lead = "" if hits else "Lowest stock: "
    return say(lead + listing([f"{lv['ingredient_name']} at {lv['location_id']}: {lv['quantity']:,} {lv['unit']}"
                               for lv in shown]) + ".")


def task_manager(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
    p = parse(vocab, ctx.text)
    if ctx.calls:
        last = ctx.calls[-1]
        if not last["ok"]:
            return say(_explain(str(last["result"])))
        return say(f"Order {last['result']['order_id']} is now {last['result']['state']}.")
    if p.intent == Intent.ADVANCE and p.order_id and p.to_state:
        return use(turn, ("advance_order", {"order_id": p.order_id, "to_state": p.to_state}))
    return say("Tell me the order number and its new state, e.g. \"mark order 12 ready\".")


def specialist(ctx: Context) -> AIMessage:
    title = ctx.system.splitlines()[0].lstrip("# ").strip() if ctx.system else "This specialist"
    return say(f"{title} here. The tools I need for that aren't available yet, so I can't do it for you now.")
