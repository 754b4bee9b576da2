"""The offline engine's skills, by the names agents give them in their spec.toml (`skills = [...]`).

A skill answers one agent's turn: it reads the turn's text, what is pending and the tool results so far, and
either calls tools or words the answer. The engine picks an agent's skill by the agent, never by sniffing which
tools are bound. An agent with no skill says plainly that its tools are not available yet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage

from graph.offline import barista, staff
from graph.offline.context import Context
from graph.offline.reply import say
from graph.offline.vocab import Vocabulary

Skill = Callable[[Vocabulary, Context, int], AIMessage]

SKILLS: dict[str, Skill] = {
    "barista": barista.respond,
    "stock": staff.inventory,
    "kitchen": staff.task_manager,
}


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
