"""The barista's money skills: the wallet (balance, sending COFFEE, redeeming points), the DAO (proposals and
votes) and paying an order. Each answers its own requests (`money_parse`), follow-ups to its own questions and its
own tool results, and leaves every other turn to the next skill."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.messages import AIMessage

from graph.offline import money, money_answers, pay, pay_answers
from graph.offline.context import Context
from graph.offline.money_parse import MoneyAsk, heard
from graph.offline.parse import Intent, Parse, parse
from graph.offline.pending import Pay, PayMethod, PayOffer, PayWhich, Redeem, Transfer, Vote, VoteChoice
from graph.offline.vocab import Vocabulary

REFUSED = frozenset({Intent.MANIPULATION, Intent.OUT_OF_SCOPE})


@dataclass(frozen=True)
class Money:
    """The wallet or the DAO: the request kinds it starts, the questions it asks, the tools whose results it words."""

    kinds: frozenset[str]
    asks: tuple[type, ...]
    tools: frozenset[str]

    def recognises(self, vocab: Vocabulary, text: str) -> bool:
        return _recognised(vocab, text, self.kinds)

    def reply(self, vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage | None:
        if ctx.calls:
            mine = ctx.calls[-1]["name"] in self.tools and (ctx.about or {}).get("flow") != "pay"
            return money_answers.answer(vocab, ctx) if mine else None
        return _own_turn(vocab, ctx, turn, self.kinds, self.asks, money.follow_up, money.start)


class Payments:
    """Paying an order by chat (see `pay`)."""

    kinds = frozenset({"pay"})

    def recognises(self, vocab: Vocabulary, text: str) -> bool:
        return _recognised(vocab, text, self.kinds)

    def reply(self, vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage | None:
        if ctx.calls:
            return pay_answers.answer(ctx, turn) if (ctx.about or {}).get("flow") == "pay" else None
        return _own_turn(vocab, ctx, turn, self.kinds, (Pay, PayWhich, PayMethod, PayOffer), pay.follow_up, pay.start)


FollowUp = Callable[[Vocabulary, Context, Parse, MoneyAsk | None, int], AIMessage | None]
Start = Callable[[Context, MoneyAsk, int], AIMessage]


def _recognised(vocab: Vocabulary, text: str, kinds: frozenset[str]) -> bool:
    ask = heard(vocab, text)
    return ask is not None and ask.kind in kinds


def _own_turn(vocab: Vocabulary, ctx: Context, turn: int, kinds: frozenset[str], asks: tuple[type, ...],
              follow_up: FollowUp, start: Start) -> AIMessage | None:
    """An answer to this skill's own question, else its own fresh request, else None (parsed only when it is one)."""
    ask, asked = heard(vocab, ctx.text), isinstance(ctx.pending, asks)
    fresh = ask is not None and ask.kind in kinds
    if not (asked or fresh):
        return None
    p = parse(vocab, ctx.text)
    if asked and (answered := follow_up(vocab, ctx, p, ask, turn)):
        return answered
    return start(ctx, ask, turn) if ask and fresh and p.intent not in REFUSED else None


WALLET = Money(frozenset({"balance", "transfer", "redeem"}), (Transfer, Redeem),
               frozenset({"get_wallet", "redeem_points", "transfer_coffee"}))
DAO = Money(frozenset({"vote", "proposals"}), (Vote, VoteChoice), frozenset({"list_proposals", "get_proposal",
                                                                           "cast_vote"}))
