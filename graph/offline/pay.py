"""Paying an order by chat: which order, which way (wallet balance or COFFEE), and a clear yes before pay_order.

The tool charges the order's own total; the engine says that amount and the way back ("Pay $4.50 for order 3
from your balance?") and calls pay_order only on a clear yes to exactly that in the next turn (policy rule 3).
Cards are not taken in chat: the engine has no card details to give, so it says where to pay by card instead.
"""

from __future__ import annotations

import re

from langchain_core.messages import AIMessage

from graph.offline.context import Context
from graph.offline.money_parse import MoneyAsk, chosen_method
from graph.offline.parse import SHORT, Intent, Parse, says_yes
from graph.offline.pending import Pay, PayMethod, PayOffer, PayWhich
from graph.offline.reply import not_for, say, use
from graph.offline.scan import tokenize
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary
from tools.principal import Role

SAY = Templates("payments")


def offer(ctx: Context, order_id: int) -> PayOffer | None:
    """After placing, a customer who may pay by chat is offered to (the offer itself pays nothing)."""
    customer = ctx.principal is not None and ctx.principal.role == Role.CUSTOMER
    return PayOffer(order_id=order_id) if customer and "pay_order" in ctx.offered else None


def start(ctx: Context, ask: MoneyAsk, turn: int) -> AIMessage:
    """Look up the order (the one named, else the placed ones) and the wallet; phase two asks for the yes."""
    if "pay_order" not in ctx.offered:
        return say(not_for(ctx, "pay_order"))
    if ctx.principal is None or ctx.principal.role != Role.CUSTOMER:
        return say(SAY("not_a_customer"))
    if ask.method == "card":
        return say(SAY("card"))
    lookup = (("get_order", {"order_id": ask.order_id}) if ask.order_id
              else ("list_orders", {"state": "placed", "limit": 10}))
    return use(turn, lookup, ("get_wallet", {}), about={"flow": "pay", "order_id": ask.order_id,
                                                         "method": ask.method})


def follow_up(vocab: Vocabulary, ctx: Context, p: Parse, ask: MoneyAsk | None, turn: int) -> AIMessage | None:
    """The turn after a payment question: a clear yes to "Pay $X for order N …?" pays; an answer to "which order"
    or "which way" carries on; a new payment request starts over from what was said before; anything short (no,
    maybe, "sure?") lapses the question; any other request is answered as usual."""
    pending = ctx.pending
    if not isinstance(pending, Pay | PayWhich | PayMethod | PayOffer):
        return None
    order_id, method = _said(pending)
    said = None if ask else p.intent
    if isinstance(pending, Pay) and _agrees(vocab, ctx, said, ask, order_id, method):
        about = {"flow": "pay", **pending.args, "amount_cents": pending.amount_cents}
        return use(turn, ("pay_order", pending.args), about=about)
    if ask and ask.kind == "pay":
        return start(ctx, MoneyAsk("pay", order_id=ask.order_id or order_id, method=ask.method or method), turn)
    answered = _answer(vocab, ctx, said, pending)
    if answered:
        return start(ctx, answered, turn)
    return say(SAY("not_done")) if said in SHORT else None


def _said(pending: Pay | PayWhich | PayMethod | PayOffer) -> tuple[int | None, str | None]:
    if isinstance(pending, Pay):
        return pending.args.get("order_id"), pending.args.get("method")
    return getattr(pending, "order_id", None), getattr(pending, "method", None)


def _agrees(vocab: Vocabulary, ctx: Context, said: Intent | None, ask: MoneyAsk | None, order_id: int | None,
            method: str | None) -> bool:
    """A plain yes, or a yes that repeats the payment ("yes, pay it in COFFEE") and names nothing else."""
    if said == Intent.CONFIRM:
        return True
    if ask is None or ask.kind not in ("pay", "balance") or not says_yes(vocab, ctx.text):
        return False
    named = ask.order_id
    way = ask.method or chosen_method(vocab, " ".join(tokenize(ctx.text)))
    return named in (None, order_id) and way in (None, method)


def _answer(vocab: Vocabulary, ctx: Context, said: Intent | None, pending: Pay | PayWhich | PayMethod | PayOffer
            ) -> MoneyAsk | None:
    """What an answer to "which order?", "balance or COFFEE?" or the offer after placing asks to pay."""
    words = " ".join(tokenize(ctx.text))
    if isinstance(pending, PayWhich):
        picked = {int(n) for n in re.findall(r"\d+", words)} & set(pending.orders)
        return MoneyAsk("pay", order_id=picked.pop(), method=pending.method) if len(picked) == 1 else None
    way = chosen_method(vocab, words)
    offered = isinstance(pending, PayOffer)
    if isinstance(pending, PayOffer | PayMethod) and (way or (offered and said == Intent.CONFIRM)):
        return MoneyAsk("pay", order_id=pending.order_id, method=way)
    return None
