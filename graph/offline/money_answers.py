"""Phase two of a money turn: say what the wallet and DAO tools answered, or ask for the yes an action needs."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from langchain_core.messages import AIMessage
from pydantic import TypeAdapter

from graph.offline.answers import explain
from graph.offline.context import Context
from graph.offline.money import POINTS_PER_COFFEE, confirm_vote
from graph.offline.money_parse import MoneyAsk, heard, matching_proposal
from graph.offline.pending import Redeem, Transfer, VoteChoice
from graph.offline.reply import dollars, say
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary
from tools.errors import ErrorBody

SAY = Templates("money")
COULD_NOT = ("cast_vote", "transfer_coffee", "redeem_points")
OPEN = ("pending", "active")

ASK = TypeAdapter(MoneyAsk)
"""What an earlier step asked about, read back from the message that carried it."""


def answer(vocab: Vocabulary, ctx: Context) -> AIMessage:
    last = ctx.calls[-1]
    name, result = last["name"], last["result"]
    if not last["ok"]:
        return say(_refused(name, last["error"]))
    if name == "cast_vote":
        choice = last["args"]["support"]
        return say(SAY(f"voted_{choice}", number=result["proposal"], title=result["title"], tally=_tally(result)))
    if name == "transfer_coffee":
        return say(SAY("sent", amount=coffee(last["args"]["amount"]), to=last["args"]["to_customer_id"],
                       left=coffee(result["coffee"])))
    if name == "redeem_points":
        got = last["args"]["points"] // POINTS_PER_COFFEE
        return say(SAY("redeemed", points=last["args"]["points"], got=got, coffee=coffee(result["coffee"]),
                       left=result["points"]))
    said = (ctx.about or {}).get("ask")
    ask = ASK.validate_python(said) if said else heard(vocab, ctx.text) or MoneyAsk("balance")
    if name == "get_wallet":
        return _wallet(ask, result, tokens=bool(re.search(r"\bCOFFEE\b|\btokens?\b", ctx.text)))
    if name == "get_proposal":
        return _proposal(ask, result)
    named = matching_proposal(ask.subject, result["proposals"]) if ask.kind == "vote" and ask.subject else None
    if named:  # "vote yes on the oat milk proposal"
        return _proposal(ask, named)
    return say(_listing(ask, result["proposals"]))


def coffee(amount: Any) -> str:
    return f"{Decimal(str(amount)):.2f}"


def _refused(name: str, error: ErrorBody) -> str:
    if name not in COULD_NOT:
        return explain(error)
    return SAY("could_not", what=SAY(f"could_not_{name}"), why=error.message)


def _tally(p: dict[str, Any]) -> str:
    return SAY("tally", for_=coffee(p["votes_for"]), against=coffee(p["votes_against"]),
               abstain=coffee(p["votes_abstain"]))


def _wallet(ask: MoneyAsk, w: dict[str, Any], tokens: bool) -> AIMessage:
    """A balance leads with the stored value a customer pays with, unless the question is about COFFEE."""
    held = Decimal(str(w["coffee"])) if w.get("coffee") is not None else None
    if ask.kind == "transfer" and ask.amount is not None:
        if held is None:
            return say(SAY("no_token_here"))
        if held < ask.amount:
            return say(SAY("not_enough_to_send", held=coffee(held), amount=coffee(ask.amount)))
        args = {"to_customer_id": ask.recipient, "amount": coffee(ask.amount)}
        return say(SAY("confirm_transfer", amount=coffee(ask.amount), to=ask.recipient,
                       left=coffee(held - ask.amount)), Transfer(args=args))
    if ask.kind == "redeem":
        return _redeem(ask, w["points"])
    stored, points = dollars(w["balance_cents"]), w["points"]
    if held is None:
        return say(SAY("balance_no_token", stored=stored, points=points))
    if tokens:
        return say(SAY("balance_tokens", stored=stored, held=coffee(held), points=points))
    return say(SAY("balance", stored=stored, held=coffee(held), points=points))


def _redeem(ask: MoneyAsk, have: int) -> AIMessage:
    points = ask.points if ask.points is not None else have // POINTS_PER_COFFEE * POINTS_PER_COFFEE
    if points == 0:
        return say(SAY("redeem_too_few", have=have, per=POINTS_PER_COFFEE))
    if points > have:
        return say(SAY("redeem_not_enough", have=have, points=points))
    return say(SAY("confirm_redeem", points=points, got=points // POINTS_PER_COFFEE, left=have - points),
               Redeem(args={"points": points}))


def _proposal(ask: MoneyAsk, p: dict[str, Any]) -> AIMessage:
    named = {"number": p["proposal"], "title": p["title"]}
    if ask.kind != "vote":
        state = SAY(f"proposal_state_{p['state']}") if p["state"] in OPEN else p["state"]
        about = SAY("proposal_about", description=p["description"]) if p["description"] else ""
        return say(SAY("proposal", **named, state=state, about=about, tally=_tally(p), quorum=coffee(p["quorum"])))
    if p["state"] == "pending":
        return say(SAY("vote_not_open", **named))
    if p["state"] != "active":
        return say(SAY("vote_closed", **named, state=p["state"]))
    if ask.support is None:
        return say(SAY("vote_which_way", **named), VoteChoice(proposal=p["proposal"], title=p["title"]))
    return confirm_vote(p["proposal"], p["title"], ask.support)


def _listing(ask: MoneyAsk, proposals: list[dict[str, Any]]) -> str:
    open_ = [p for p in proposals if p["state"] in OPEN][:5]
    if not open_:
        return SAY("no_open_proposals")
    lines = "; ".join(SAY(f"open_proposal_{p['state']}", number=p["proposal"], title=p["title"], tally=_tally(p))
                      for p in open_)
    return SAY("open_proposals", lines=lines) + (SAY("which_proposal") if ask.kind == "vote" else "")
