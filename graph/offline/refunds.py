"""Staff refunds by chat: which order, how much, why; the refund said back and asked for only on a clear yes.

The order's payments are read first (which also says whether this shop may refund it and how much is left); the
refund is then said back — order, amount, where the money goes, reason — and refund_payment is called only on a clear
yes in the next turn (policy rule 3). An agent's refund always waits for a human's approval (a manager's above the
limit): the graph pauses, and the answer after the decision says what the tool did.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from decimal import Decimal
from typing import Any, Literal

from langchain_core.messages import AIMessage

from graph.offline.context import Context
from graph.offline.kitchen_parse import KitchenAsk
from graph.offline.parse import SHORT, Intent, Parse, says_yes
from graph.offline.pending import Refund, RefundAsk
from graph.offline.refund_parse import amount_cents, refund_reason
from graph.offline.reply import dollars, say, use
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary

ANSWERS = frozenset({Intent.UNKNOWN, Intent.CONFIRM, Intent.GREETING, Intent.ORDER, Intent.MODIFY, Intent.REMOVE,
                     Intent.MENU})
"""What an answer to "which order / how much / why?" parses as ("her latte was cold" names a latte)."""
SAY = Templates("refunds")
WHERE = ("stored_value", "card", "coffee")


def refund(ctx: Context, ask: KitchenAsk, turn: int) -> AIMessage:
    """Look up the order's payment first (which also says whether this shop may refund it); phase two asks."""
    if ask.order_id is None:
        return say(SAY("which_order"), _asking(ask, "order"))
    if (ask.partial and ask.amount_cents is None) or ask.amount_cents == 0:
        return say(SAY("how_much", order=ask.order_id),
                   _asking(replace(ask, amount_cents=None), "amount"))
    return use(turn, ("list_payments", {"order_id": ask.order_id}), about={"flow": "refund", **asdict(ask)})


def _asking(ask: KitchenAsk, need: Literal["order", "amount", "reason"]) -> RefundAsk:
    return RefundAsk(need=need, ask=asdict(ask))


def follow_up(vocab: Vocabulary, ctx: Context, p: Parse, heard: KitchenAsk | None, turn: int) -> AIMessage | None:
    """The turn after a refund question: a clear yes asks for the refund said back; an answer to "which order /
    how much / why?" carries on; a new request is answered as usual; anything short lapses the question.
    `heard`: the kitchen request the words make, if any (then they are not a short answer)."""
    pending = ctx.pending
    said = None if heard else p.intent
    if isinstance(pending, RefundAsk):
        return _refund_answer(vocab, ctx, said, heard, pending, turn)
    if not isinstance(pending, Refund):
        return None
    again = heard is not None and heard.kind == "refund" and heard.order_id in (
        None, pending.args["order_id"])  # "yes, refund it"
    if said == Intent.CONFIRM or (again and says_yes(vocab, ctx.text)):
        return use(turn, ("refund_payment", pending.args), about={"flow": "refund",
                                                                  "before_cents": pending.before_cents})
    if said == Intent.UNSURE:
        return say(SAY("need_clear_yes"))
    return say(SAY("no_refund")) if said in SHORT else None


def _refund_answer(vocab: Vocabulary, ctx: Context, said: Intent | None, heard: KitchenAsk | None, pending: RefundAsk,
                   turn: int) -> AIMessage | None:
    ask = KitchenAsk(**{**pending.ask, "machines": tuple(pending.ask["machines"])})
    if heard and heard.kind == "refund":  # said again, more fully: what is said now wins
        fuller = {k: v for k, v in asdict(heard).items() if v not in (None, False, ())}
        return refund(ctx, replace(ask, **fuller), turn)
    if said in (Intent.DENY, Intent.UNSURE, Intent.DONE):
        return say(SAY("no_refund"))
    if said not in ANSWERS:
        return None  # another request: the question lapses
    need = pending.need
    if need == "order":
        numbers = re.findall(r"\d+", ctx.text)
        if len(numbers) != 1:
            return say(SAY("which_order_again"), pending)
        return refund(ctx, replace(ask, order_id=int(numbers[0])), turn)
    if need == "amount":
        cents = amount_cents(ctx.text) or _plain_dollars(ctx.text)
        return refund(ctx, replace(ask, amount_cents=cents), turn) if cents else say(SAY("how_much_again"), pending)
    reason = refund_reason(vocab, ctx.text, whole=True)
    return refund(ctx, replace(ask, reason=reason), turn) if reason else say(SAY("why"), pending)


def _plain_dollars(text: str) -> int | None:
    """A bare number given as the answer to "how much?" ("1.50") is dollars."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d{1,2})?)\s*\.?\s*", text)
    return int(Decimal(found.group(1)) * 100) if found else None


def say_back(payments: list[dict[str, Any]], about: dict[str, Any]) -> AIMessage:
    """From the order's payments: the refund said back with a request for a yes, or why it can't be done."""
    n, asked = about["order_id"], about.get("amount_cents")
    paid = [p for p in payments if p["state"] == "captured"]
    if not paid:
        done = any(p["state"] == "refunded" for p in payments)
        return say(SAY("refunded_in_full", order=n) if done else SAY("no_payment", order=n))
    p = paid[-1]
    left = p["amount_cents"] - p["refunded_cents"]
    if asked is not None and asked > left:
        return say(SAY("only_left", left=dollars(left), order=n, asked=dollars(asked)), RefundAsk(need="amount", ask={**_ask(about), "amount_cents": None}))
    full = asked is None or asked == left
    reason = about.get("reason")
    shown: int = left if asked is None or full else asked
    if not reason:
        return say(SAY("why_amount", amount=dollars(shown), order=n),
                   RefundAsk(need="reason", ask=_ask(about)))
    args = {"order_id": n, **({} if full else {"amount_cents": asked}), "reason": reason}
    before = SAY("already_refunded", amount=dollars(p["refunded_cents"])) if p["refunded_cents"] else ""
    return say(SAY("confirm", all=SAY("confirm_all") if full else "", amount=dollars(shown), order=n,
                   paid=dollars(p["amount_cents"]), before=before, where=_where(p), reason=reason),
               Refund(args=args, before_cents=p["refunded_cents"]))


def _ask(about: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in about.items() if k != "flow"}


def refunded(p: dict[str, Any], about: dict[str, Any]) -> str:
    """What the refund did, from the payment as the tool returned it (a human may have edited the amount)."""
    n, now = p["order_id"], p["refunded_cents"] - about.get("before_cents", 0)
    if p["state"] != "refunded":
        tail = SAY("left_to_refund", left=dollars(p["amount_cents"] - p["refunded_cents"]))
    elif p["order_state"] == "refunded":
        tail = SAY("fully_refunded", order=n)
    else:
        tail = SAY("payment_back", state=p["order_state"])
    return SAY("refunded", amount=dollars(now), order=n, where=_where(p), tail=tail)


def _where(p: dict[str, Any]) -> str:
    return SAY(f"where_{p['provider']}") if p["provider"] in WHERE else SAY("where_other")
