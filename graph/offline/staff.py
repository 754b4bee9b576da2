"""The staff skills that answer in their own words: stock levels, and the kitchen (the queue, machines, refunds)."""

from __future__ import annotations

import re
from typing import Any

from langchain_core.messages import AIMessage

from graph.offline import kitchen, kitchen_answers
from graph.offline.answers import explain
from graph.offline.context import Context
from graph.offline.kitchen_parse import KitchenAsk, advance, kitchen_request
from graph.offline.parse import Intent, Parse, parse
from graph.offline.reply import listing, say, use
from graph.offline.scan import has, order_number, tokenize
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary

SAY = Templates("kitchen")
STOCK = Templates("stock")
COMMON = Templates("common")



class Stock:
    """The inventory manager's stock levels: the shop's lowest, or the ingredients named."""

    def recognises(self, vocab: Vocabulary, text: str) -> bool:
        return has(" ".join(tokenize(text)), vocab.skill("stock")["asks"])

    def reply(self, vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
        return inventory(vocab, ctx, turn)


class Kitchen:
    """The task manager's kitchen: the queue, the machines and their commands, refunds (see `kitchen`)."""

    def recognises(self, vocab: Vocabulary, text: str) -> bool:
        return kitchen_request(vocab, text) is not None or advance(vocab, " ".join(tokenize(text)), order_number(text)) is not None

    def reply(self, vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
        return task_manager(vocab, ctx, turn)


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
        return say(explain(last["error"]))
    levels: list[dict[str, Any]] = last["result"]["levels"]
    words = {m.milk for m in p.mentions if m.milk} | {w for w in re.findall(r"[a-z]{3,}", ctx.text.lower())}
    hits = _best(levels, words - {"stock", "restock", "much", "how", "have", "the", "with", "from"})
    shown = hits or sorted(levels, key=lambda lv: lv["quantity"])[:5]
    said = listing([STOCK("level", name=lv["ingredient_name"], shop=lv["location_id"], quantity=lv["quantity"],
                          unit=lv["unit"]) for lv in shown])
    return say(STOCK("levels", levels=said) if hits else STOCK("lowest", levels=said))


def task_manager(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
    if ctx.calls:
        return kitchen_answers.answer(vocab, ctx, turn)
    p = parse(vocab, ctx.text, staff=True)
    heard = None if p.intent in (Intent.MANIPULATION, Intent.OUT_OF_SCOPE) else kitchen_request(vocab, ctx.text)
    reply = kitchen.follow_up(vocab, ctx, p, heard, turn) or _task(vocab, ctx, p, heard, turn)
    missing = [c["name"] for c in reply.tool_calls if c["name"] not in ctx.offered]
    return say(SAY("not_here", tool=missing[0])) if missing else reply


def _task(vocab: Vocabulary, ctx: Context, p: Parse, heard: KitchenAsk | None, turn: int) -> AIMessage:
    if heard:
        return kitchen.start(vocab, ctx, p, heard, turn)
    if p.intent == Intent.STATUS and p.order_id:
        return use(turn, ("get_order", {"order_id": p.order_id}))
    if p.intent == Intent.MANIPULATION:
        return say(SAY("cannot_do", help=SAY("help")))
    if p.intent == Intent.CONFIRM:
        return say(SAY("nothing_for_yes", help=SAY("help")))
    if p.intent in (Intent.DENY, Intent.UNSURE):
        return say(SAY("nothing_changed"))
    return say(SAY("hello", help=SAY("help")) if p.intent == Intent.GREETING else SAY("help"))


def specialist(ctx: Context) -> AIMessage:
    title = ctx.system.splitlines()[0].lstrip("# ").strip() if ctx.system else "This specialist"
    return say(COMMON("no_tools_yet", title=title))
