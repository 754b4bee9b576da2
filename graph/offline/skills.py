"""The offline engine's skills, by the names agents give them in their spec.toml (`skills = [...]`).

A skill answers one agent's turn: it says whether the turn is for it (a request it serves, an answer to its own
question, its tool results), and then either calls tools or words the answer. An agent's skills are asked in the
order its spec lists them; the last one answers whatever no other claims. The engine picks a behaviour by the
agent, never by sniffing which tools are bound. An agent with no skill says plainly that its tools are not
available yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from langchain_core.messages import AIMessage

from graph.offline import barista, frame, staff
from graph.offline.context import Context
from graph.offline.reply import say
from graph.offline.vocab import Vocabulary

Respond = Callable[[Vocabulary, Context, int], AIMessage]


class Skill(Protocol):
    def claims(self, vocab: Vocabulary, ctx: Context) -> bool: ...

    def respond(self, vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage: ...


@dataclass(frozen=True)
class Answers:
    """A skill that claims every turn it is asked about (an agent's last, catch-all skill)."""

    respond: Respond

    def claims(self, vocab: Vocabulary, ctx: Context) -> bool:
        return True


SKILLS: dict[str, Skill] = {
    "barista": Answers(barista.respond),
    "stock": Answers(staff.inventory),
    "kitchen": Answers(staff.task_manager),
    "frames": frame,  # a module with claims() and respond() is a Skill
}


def choose(skills: list[Skill], vocab: Vocabulary, ctx: Context) -> Skill:
    """The first skill that claims the turn, else the last one."""
    return next((s for s in skills if s.claims(vocab, ctx)), skills[-1])


def what_i_can_do(tools: list[dict[str, Any]]) -> AIMessage:
    """The answer to "what can you do?", from the tools this conversation may use (their descriptions' first lines)."""
    if not tools:
        return say("The tools I need aren't available yet, so for now I can't do anything for you here.")
    things = [str(t.get("description") or t["name"]).splitlines()[0].rstrip(".") for t in tools]
    return say("Here's what I can do: " + "; ".join(t[:1].lower() + t[1:] for t in things) + ".")


def skill_named(name: str) -> Skill:
    if name not in SKILLS:
        raise KeyError(f"no offline skill {name!r}; there are: {', '.join(sorted(SKILLS))}")
    return SKILLS[name]
