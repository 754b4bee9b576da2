"""The barista's money dialogue: the wallet, COFFEE transfers, redeeming points and DAO votes.

A transfer, a redeem or a vote is said back exactly and runs only on a clear yes in the next turn (policy
rule 3); anything else lets it lapse. The tools decide who may do what: a tool the person's role may not use
is not offered, and the engine says so rather than calling it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from langchain_core.messages import AIMessage

from graph.offline.context import ABOUT, Context
from graph.offline.money_parse import MoneyAsk, amended, support
from graph.offline.parse import SHORT, Intent, Parse, says_yes
from graph.offline.pending import Redeem, Transfer, Vote, VoteChoice
from graph.offline.reply import not_for, say, use
from graph.offline.scan import tokenize
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary

TOOLS = frozenset({"get_wallet", "redeem_points", "transfer_coffee", "list_proposals", "get_proposal", "cast_vote"})
ACTIONS = {"vote": "cast_vote", "transfer": "transfer_coffee", "redeem": "redeem_points"}
NEEDS = {"balance": "get_wallet", "transfer": "transfer_coffee", "redeem": "redeem_points", "vote": "cast_vote"}
SAY = Templates("money")
CENT = Decimal("0.01")
POINTS_PER_COFFEE = 100


def start(ctx: Context, ask: MoneyAsk, turn: int) -> AIMessage:
    tool = NEEDS.get(ask.kind)
    if tool and tool not in ctx.offered:
        return say(not_for(ctx, tool))
    return STARTS[ask.kind](ctx, ask, turn)


def _balance(ctx: Context, ask: MoneyAsk, turn: int) -> AIMessage:
    return use(turn, ("get_wallet", {}))


def _transfer(ctx: Context, ask: MoneyAsk, turn: int) -> AIMessage:
    if ask.source and not (ctx.principal and ask.source == ctx.principal.id):
        return say(SAY("not_anyone_elses"))
    if ask.amount is None or ask.recipient is None:
        return say(SAY("transfer_how"))
    if ask.amount <= 0 or ask.amount != ask.amount.quantize(CENT):
        return say(SAY("transfer_amount"))
    if ctx.principal and ask.recipient == ctx.principal.id:
        return say(SAY("transfer_self"))
    return use(turn, ("get_wallet", {}))


def _redeem(ctx: Context, ask: MoneyAsk, turn: int) -> AIMessage:
    if ask.points is not None and (ask.points < POINTS_PER_COFFEE or ask.points % POINTS_PER_COFFEE):
        return say(SAY("redeem_hundreds", per=POINTS_PER_COFFEE))
    return use(turn, ("get_wallet", {}))


def _proposal(ctx: Context, ask: MoneyAsk, turn: int) -> AIMessage:
    if ask.proposal is None:
        return use(turn, ("list_proposals", {}))
    return use(turn, ("get_proposal", {"proposal": ask.proposal}))


STARTS: dict[str, Callable[[Context, MoneyAsk, int], AIMessage]] = {
    "balance": _balance, "transfer": _transfer, "redeem": _redeem, "vote": _proposal, "proposals": _proposal}


def follow_up(vocab: Vocabulary, ctx: Context, p: Parse, ask: MoneyAsk | None, turn: int) -> AIMessage | None:
    """The turn after a money question: a clear yes acts, a new request is answered as usual (the question
    lapses), anything else — no, maybe, "sure?", silence-like noise — lapses it and says nothing happened.
    `ask`: the money request the words make, if any (then they are not a short answer)."""
    pending = ctx.pending
    said = None if ask else p.intent
    if isinstance(pending, VoteChoice):
        return _vote_choice(vocab, ctx, said, ask, pending)
    if not isinstance(pending, Vote | Transfer | Redeem):
        return None
    action = pending.action
    if said == Intent.CONFIRM or (says_yes(vocab, ctx.text) and _same(action, pending.args, ask)):
        return use(turn, (ACTIONS[action], pending.args))  # "yes", "Yes, redeem them.", "Yes, vote for it."
    changed = _changed(vocab, ctx, action, pending.args, turn)
    if changed:
        return changed
    return say(SAY(f"not_done_{action}")) if said in SHORT else None


def _same(action: str, args: dict, ask: MoneyAsk | None) -> bool:
    """Whether a request said with the yes only repeats the action asked about (nothing in it differs)."""
    if ask is None or ask.kind != action:
        return False
    if action == "vote":
        return ask.proposal in (None, args["proposal"]) and ask.support in (None, args["support"])
    if action == "redeem":
        return ask.points in (None, args["points"])
    return (ask.amount is None or ask.amount == Decimal(args["amount"])) and ask.recipient in (
        None, args["to_customer_id"]) and ask.source is None


def _changed(vocab: Vocabulary, ctx: Context, action: str, args: dict, turn: int) -> AIMessage | None:
    """A new amount in reply to a transfer or redeem question ("make that 1.5 COFFEE to bob instead"): the
    request is checked and said back again for a new yes."""
    amount, recipient, points = amended(vocab, ctx.text)
    if action == "transfer" and amount is not None:
        ask = MoneyAsk("transfer", amount=amount, recipient=recipient or args["to_customer_id"])
        checked = _transfer(ctx, ask, turn)
        if checked.tool_calls:
            checked.additional_kwargs[ABOUT] = {"ask": {"kind": "transfer", "amount": str(ask.amount),
                                                        "recipient": ask.recipient}}
        return checked
    if action == "redeem" and points is not None and amount is None:
        checked = _redeem(ctx, MoneyAsk("redeem", points=points), turn)
        if checked.tool_calls:
            checked.additional_kwargs[ABOUT] = {"ask": {"kind": "redeem", "points": points}}
        return checked
    return None


def _vote_choice(vocab: Vocabulary, ctx: Context, said: Intent | None, ask: MoneyAsk | None, pending: VoteChoice
                 ) -> AIMessage | None:
    """The answer to "for, against or abstain?"; a vote on another proposal is a new request."""
    fresh = said not in SHORT and not (ask and ask.kind == "vote" and ask.proposal in (None, pending.proposal))
    if fresh:
        return None
    choice = support(vocab, " ".join(tokenize(ctx.text)))
    if choice is None or said in (Intent.DENY, Intent.UNSURE):
        return say(SAY("not_done_vote"))
    return confirm_vote(pending.proposal, pending.title, choice)


def confirm_vote(number: int, title: str, choice: str) -> AIMessage:
    return say(SAY(f"confirm_vote_{choice}", number=number, title=title),
               Vote(args={"proposal": number, "support": choice}, title=title))
