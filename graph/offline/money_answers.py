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
from graph.offline.vocab import Vocabulary
from tools.errors import ErrorBody

DID = {"for": "voted FOR", "against": "voted AGAINST", "abstain": "ABSTAINED on"}
COULD_NOT = {"cast_vote": "cast that vote", "transfer_coffee": "send that", "redeem_points": "redeem those points"}
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
        return say(f"Done: you {DID[choice]} proposal {result['proposal']} '{result['title']}'. "
                   f"Votes now: {_tally(result)}.")
    if name == "transfer_coffee":
        return say(f"Sent {coffee(last['args']['amount'])} COFFEE to {last['args']['to_customer_id']}. "
                   f"You have {coffee(result['coffee'])} COFFEE left.")
    if name == "redeem_points":
        got = last["args"]["points"] // POINTS_PER_COFFEE
        return say(f"Done: {last['args']['points']} points are now {got} COFFEE. You have "
                   f"{coffee(result['coffee'])} COFFEE and {result['points']} points.")
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
    return f"Sorry, I couldn't {COULD_NOT[name]}: {error.message}. Nothing has changed."


def _tally(p: dict[str, Any]) -> str:
    return (f"{coffee(p['votes_for'])} for, {coffee(p['votes_against'])} against, "
            f"{coffee(p['votes_abstain'])} abstain")


def _wallet(ask: MoneyAsk, w: dict[str, Any], tokens: bool) -> AIMessage:
    """A balance leads with the stored value a customer pays with, unless the question is about COFFEE."""
    held = Decimal(str(w["coffee"])) if w.get("coffee") is not None else None
    if ask.kind == "transfer" and ask.amount is not None:
        if held is None:
            return say("COFFEE isn't available here right now, so I can't send any.")
        if held < ask.amount:
            return say(f"You have {coffee(held)} COFFEE, not enough to send {coffee(ask.amount)}.")
        args = {"to_customer_id": ask.recipient, "amount": coffee(ask.amount)}
        return say(f"Send {coffee(ask.amount)} COFFEE to {ask.recipient}? You'll have {coffee(held - ask.amount)} "
                   "COFFEE left. Say yes to confirm.", Transfer(args=args))
    if ask.kind == "redeem":
        return _redeem(ask, w["points"])
    stored = f"{dollars(w['balance_cents'])} stored value"
    if held is None:
        return say(f"You have {stored} and {w['points']} points.")
    if tokens:
        return say(f"You have {coffee(held)} COFFEE (and {w['points']} points, {stored}).")
    return say(f"You have {stored}, plus {coffee(held)} COFFEE and {w['points']} points.")


def _redeem(ask: MoneyAsk, have: int) -> AIMessage:
    points = ask.points if ask.points is not None else have // POINTS_PER_COFFEE * POINTS_PER_COFFEE
    if points == 0:
        return say(f"You have {have} points; you need at least {POINTS_PER_COFFEE} to redeem "
                   f"({POINTS_PER_COFFEE} points = 1 COFFEE).")
    if points > have:
        return say(f"You have {have} points, not enough to redeem {points}.")
    return say(f"Redeem {points} points for {points // POINTS_PER_COFFEE} COFFEE? You'll have {have - points} "
               "points left. Say yes to confirm.", Redeem(args={"points": points}))


def _proposal(ask: MoneyAsk, p: dict[str, Any]) -> AIMessage:
    named = f"proposal {p['proposal']} '{p['title']}'"
    if ask.kind != "vote":
        state = {"active": "open for voting", "pending": "not open for voting yet"}.get(p["state"], p["state"])
        about = f" {p['description']}" if p["description"] else ""
        return say(f"{named[0].upper()}{named[1:]} is {state}.{about} Votes: {_tally(p)} "
                   f"(quorum {coffee(p['quorum'])}).")
    if p["state"] == "pending":
        return say(f"Voting on {named} hasn't opened yet. Ask me again in a little while.")
    if p["state"] != "active":
        return say(f"Voting on {named} has closed: it is {p['state']}.")
    if ask.support is None:
        return say(f"{named[0].upper()}{named[1:]} is open. Do you vote for, against or abstain?",
                   VoteChoice(proposal=p["proposal"], title=p["title"]))
    return confirm_vote(p["proposal"], p["title"], ask.support)


def _listing(ask: MoneyAsk, proposals: list[dict[str, Any]]) -> str:
    open_ = [p for p in proposals if p["state"] in OPEN][:5]
    if not open_:
        return "No proposals are open right now."
    lines = "; ".join(f"{p['proposal']} '{p['title']}' ("
                      + (f"voting now: {_tally(p)}" if p["state"] == "active"
                         else "voting opens soon") + ")" for p in open_)
    which = ' Which would you like to vote on, and how? For example: "vote yes on proposal 3".'
    return f"Open proposals: {lines}." + (which if ask.kind == "vote" else "")
