"""The task manager's kitchen and refund dialogue: what is waiting, the machines and their commands, refunds.

Machine commands are staff operations in their own shop, like moving an order along, and not among the actions
policy rule 3 asks a yes for: a clear command (which machine, which drink) goes to the tool at once, and the tool's
interlock answers for safety; an unclear one gets a question, never a guess. Maintenance is asked for at once too:
an agent's request waits for a human's approval before anything reaches the machine. A refund is said back (order,
amount, reason, where the money goes) and asked for only on a clear yes in the next turn (rule 3); it then waits for
a human's approval as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, replace
from decimal import Decimal
from typing import Any

from langchain_core.messages import AIMessage

from graph.offline.context import Context
from graph.offline.kitchen_parse import KitchenAsk, amount_cents, refill_amounts, refund_reason
from graph.offline.parse import Intent, Parse, says_yes
from graph.offline.reply import say, use
from graph.offline.vocab import Vocabulary

SHORT = frozenset({Intent.CONFIRM, Intent.DENY, Intent.UNSURE, Intent.UNKNOWN, Intent.GREETING, Intent.DONE})
ANSWERS = frozenset({Intent.UNKNOWN, Intent.CONFIRM, Intent.GREETING, Intent.ORDER, Intent.MODIFY, Intent.REMOVE,
                     Intent.MENU})
"""What an answer to "which order / how much / why?" parses as ("her latte was cold" names a latte)."""
NO_REFUND = "OK, I haven't asked for a refund."
TOOLS = {"stop": "stop_brew", "descale": "descale_machine", "clear_fault": "clear_fault"}


def start(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage:
    ask = p.kitchen or KitchenAsk("queue")
    if ask.kind == "refund":
        return refund(ctx, ask, turn)
    shop = p.shop or (ctx.principal.location_id if ctx.principal else None)
    if shop is None:
        return say(f"Which shop: {', '.join(vocab.menu.shops)}?")
    return STARTS[ask.kind](ctx, ask, shop, p, turn)


def _queue(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    return use(turn, ("get_kitchen_queue", {"location_id": shop}), about={"flow": "queue", "order_id": ask.order_id})


def _machines(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    if ask.machine_id:
        return use(turn, ("get_machine", {"location_id": shop, "machine_id": ask.machine_id}))
    return use(turn, ("list_machines", {"location_id": shop}), about={"flow": "machines", "only": list(ask.machines)})


def _which_machine(ask: KitchenAsk, example: str) -> AIMessage | None:
    """A question when the request does not name exactly one machine."""
    if len(ask.machines) > 1:
        return say(f"One machine at a time, please: which one, {' or '.join(ask.machines)}?")
    return None if ask.machine_id else say(f'Which machine? Please name it, e.g. "{example}".')


def _brew(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    asked = _which_machine(ask, "brew the next drink on m1")
    if asked:
        return asked
    if ask.drink_id:
        return use(turn, ("start_brew", {"location_id": shop, "machine_id": ask.machine_id, "drink_id": ask.drink_id}))
    items = sorted({m.item_id for m in p.mentions if m.item_id})
    return use(turn, ("get_kitchen_queue", {"location_id": shop}), about={
        "flow": "brew", "machine_id": ask.machine_id, "order_id": ask.order_id, "items": items})


def _command(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    tool = TOOLS[ask.kind]
    asked = _which_machine(ask, f"{ask.kind.replace('_', ' ')} m1")
    return asked or use(turn, (tool, {"location_id": shop, "machine_id": ask.machine_id}))


def _refill(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    asked = _which_machine(ask, "refill m1 with 2 l of water")
    if asked:
        return asked
    if not (ask.water_ml or ask.beans_g):
        return say(f"How much did you put into {ask.machine_id}: water in ml and/or beans in grams?",
                   {"action": "refill", "location_id": shop, "machine_id": ask.machine_id})
    return refill_call(shop, ask.machine_id or "", ask.water_ml, ask.beans_g, turn)


def refill_call(shop: str, machine: str, water: int | None, beans: int | None, turn: int) -> AIMessage:
    amounts = {k: v for k, v in (("water_ml", water), ("beans_g", beans)) if v}
    return use(turn, ("refill_machine", {"location_id": shop, "machine_id": machine, **amounts}))


def _maintenance(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    asked = _which_machine(ask, "put m1 into maintenance")
    return asked or use(turn, ("set_maintenance", {"location_id": shop, "machine_id": ask.machine_id,
                                                   "on": bool(ask.on)}))


STARTS: dict[str, Callable[[Context, KitchenAsk, str, Parse, int], AIMessage]] = {
    "queue": _queue, "machines": _machines, "brew": _brew, "stop": _command, "descale": _command,
    "clear_fault": _command, "refill": _refill, "maintenance": _maintenance}


def refund(ctx: Context, ask: KitchenAsk, turn: int) -> AIMessage:
    """Look up the order's payment first (which also says whether this shop may refund it); phase two asks."""
    if ask.order_id is None:
        return say("Which order should I refund? Please tell me its number.", _asking(ask, "order"))
    if ask.partial and ask.amount_cents is None:
        return say(f"How much of order {ask.order_id} should I refund?", _asking(ask, "amount"))
    return use(turn, ("list_payments", {"order_id": ask.order_id}), about={"flow": "refund", **asdict(ask)})


def _asking(ask: KitchenAsk, need: str) -> dict[str, Any]:
    return {"action": "refund_ask", "need": need, "ask": asdict(ask)}


def follow_up(vocab: Vocabulary, ctx: Context, p: Parse, turn: int) -> AIMessage | None:
    """The turn after a question: a clear yes asks for the refund said back; an answer to "which order / how much /
    why / how much did you put in" carries on; a new request is answered as usual; anything else lapses it."""
    pending = ctx.pending or {}
    action = pending.get("action")
    if action == "refund":
        if p.intent == Intent.CONFIRM or (says_yes(vocab, ctx.text) and p.kitchen and p.kitchen.kind == "refund"
                                          and p.kitchen.order_id in (None, pending["args"]["order_id"])):
            return use(turn, ("refund_payment", pending["args"]),
                       about={"flow": "refund", "shown_cents": pending["shown_cents"]})
        if p.intent == Intent.UNSURE:
            return say(f"I need a clear yes for that. {NO_REFUND}")
        return say(NO_REFUND) if p.intent in SHORT else None
    if action == "refund_ask":
        return _refund_answer(vocab, ctx, p, pending, turn)
    if action == "refill":
        water, beans = refill_amounts(ctx.text)
        if water or beans:
            return refill_call(pending["location_id"], pending["machine_id"], water, beans, turn)
        return say("OK, I haven't recorded a refill.") if p.intent in SHORT else None
    return None


def _refund_answer(vocab: Vocabulary, ctx: Context, p: Parse, pending: dict[str, Any], turn: int) -> AIMessage | None:
    ask = KitchenAsk(**{**pending["ask"], "machines": tuple(pending["ask"]["machines"])})
    if p.kitchen and p.kitchen.kind == "refund":  # said again, more fully: what is said now wins
        said = {k: v for k, v in asdict(p.kitchen).items() if v not in (None, False, ())}
        return refund(ctx, replace(ask, **said), turn)
    if p.intent in (Intent.DENY, Intent.UNSURE, Intent.DONE):
        return say(NO_REFUND)
    if p.intent not in ANSWERS:
        return None  # another request: the question lapses
    need = pending["need"]
    if need == "order":
        numbers = re.findall(r"\d+", ctx.text)
        if len(numbers) != 1:
            return say("Which order? Please tell me just its number.", pending)
        return refund(ctx, replace(ask, order_id=int(numbers[0])), turn)
    if need == "amount":
        cents = amount_cents(ctx.text) or _plain_dollars(ctx.text)
        return refund(ctx, replace(ask, amount_cents=cents), turn) if cents else say(
            'How much? For example "$1.50".', pending)
    reason = refund_reason(vocab, ctx.text, whole=True)
    return refund(ctx, replace(ask, reason=reason), turn) if reason else say(
        "What's the reason for the refund? It goes on the record.", pending)


def _plain_dollars(text: str) -> int | None:
    """A bare number given as the answer to "how much?" ("1.50") is dollars."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d{1,2})?)\s*\.?\s*", text)
    return int(Decimal(found.group(1)) * 100) or None if found else None
