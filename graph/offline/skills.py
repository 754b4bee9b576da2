"""The offline engine's skills, by the names agents give them in their spec.toml (`skills = [...]`).

A skill serves one kind of request. It says whether fresh words are a request of its own (`recognises`, which
the router also asks when its classifier is torn), and it answers a turn — its own request, an answer to its
own question, its own tool results — or returns None to leave the turn to the next skill. An agent's skills are
asked in the order its spec lists them; its last skill answers whatever no other took. The engine picks a
behaviour by the agent, never by sniffing which tools are bound. An agent with no skill says plainly that its
tools are not available yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from langchain_core.messages import AIMessage

from agents.spec import load_agents
from graph.offline import barista, frame
from graph.offline.context import Context
from graph.offline.money_skills import DAO, WALLET, Payments
from graph.offline.parse import SHORT, Intent, parse
from graph.offline.reply import not_understood, say
from graph.offline.staff import Kitchen, Stock
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary

SAY = Templates("common")


class Skill(Protocol):
    def recognises(self, vocab: Vocabulary, text: str) -> bool: ...

    def reply(self, vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage | None: ...


@dataclass(frozen=True)
class Orders:
    """The customer's cart and the menu: answers every turn it is asked about (the barista's last skill)."""

    respond: Callable[[Vocabulary, Context, int], AIMessage]

    def recognises(self, vocab: Vocabulary, text: str) -> bool:
        intent = parse(vocab, text).intent
        return intent not in SHORT and intent not in (Intent.GREETING, Intent.MANIPULATION, Intent.OUT_OF_SCOPE)

    def reply(self, vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
        return self.respond(vocab, ctx, turn)


SKILLS: dict[str, Skill] = {
    "payments": Payments(), "wallet": WALLET, "dao": DAO, "orders": Orders(barista.respond),
    "stock": Stock(), "kitchen": Kitchen(), "frames": frame,  # a module with recognises() and reply() is a Skill
}
ROUTING_ORDER = ("kitchen", "payments", "wallet", "dao", "stock", "orders")
"""Which skill's reading wins when the router asks and several recognise the words (the most specific first)."""


def answer(skills: list[Skill], vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
    """The first skill's answer that takes the turn."""
    for skill in skills:
        if (reply := skill.reply(vocab, ctx, turn)) is not None:
            return reply
    return not_understood(SAY("not_caught"))


def choose_agent(vocab: Vocabulary, text: str, candidates: list[str]) -> str | None:
    """The agent among `candidates` with a skill that recognises the words; None if none does (the router then
    asks the person, or falls back)."""
    specs = load_agents()
    for name in ROUTING_ORDER:
        owners = [a for a in candidates if a in specs and name in specs[a].skills]
        if owners and SKILLS[name].recognises(vocab, text):
            return owners[0]
    return None


def what_i_can_do(tools: list[dict[str, Any]]) -> AIMessage:
    """The answer to "what can you do?", from the tools this conversation may use (their descriptions' first lines)."""
    if not tools:
        return say(SAY("no_tools"))
    things = [str(t.get("description") or t["name"]).splitlines()[0].rstrip(".") for t in tools]
    return say(SAY("can_do", things="; ".join(t[:1].lower() + t[1:] for t in things)))


def skill_named(name: str) -> Skill:
    if name not in SKILLS:
        raise KeyError(f"no offline skill {name!r}; there are: {', '.join(sorted(SKILLS))}")
    return SKILLS[name]
