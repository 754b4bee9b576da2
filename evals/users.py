"""Simulated users: a scripted one that needs no model, and an LLM-played one when a model is configured.

Both see only the agent's replies and say one line at a time; `None` means the user is done.
"""

from __future__ import annotations

from typing import Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from evals.tasks import Task

STOP = "###STOP###"
MAX_LLM_TURNS = 12


class SimulatedUser(Protocol):
    name: str
    """Recorded with every run: which simulator (and model) played the user."""

    async def first(self) -> str: ...

    async def reply(self, agent_said: str) -> str | None: ...


class ScriptedUser:
    """Says the task's turns in order; a turn with `when` is said only if the agent's last reply matches."""

    name = "scripted"

    def __init__(self, task: Task) -> None:
        self._turns = list(task.turns)
        self._next = 0

    async def first(self) -> str:
        self._next = 1
        return self._turns[0].say

    async def reply(self, agent_said: str) -> str | None:
        heard = agent_said.lower()
        while self._next < len(self._turns):
            turn = self._turns[self._next]
            self._next += 1
            if not turn.when or any(w.lower() in heard for w in turn.when):
                return turn.say
        return None


def _prompt(task: Task) -> str:
    knows = "\n".join(f"- {k}: {v}" for k, v in task.user.knows.items()) or "- nothing beyond your goal"
    return (f"You are a customer talking to a coffee shop's assistant. {task.user.persona}\n"
            f"Your goal: {task.user.instruction}\nWhat you know:\n{knows}\n"
            "Say one short line at a time, as the customer. Do not invent facts you were not given. "
            f"When your goal is met, or cannot be met, reply exactly {STOP}.")


class LLMUser:
    """A model plays the user from the task's persona, instruction and knowledge (τ-bench's user simulator)."""

    def __init__(self, task: Task, model: BaseChatModel, model_name: str) -> None:
        self.name = f"llm:{model_name}"
        self._model = model
        self._history: list[BaseMessage] = [SystemMessage(_prompt(task))]
        self._turns = 0
        self._opening = task.turns[0].say

    async def first(self) -> str:
        self._history.append(AIMessage(self._opening))
        return self._opening

    async def reply(self, agent_said: str) -> str | None:
        self._turns += 1
        if self._turns > MAX_LLM_TURNS:
            return None
        self._history.append(HumanMessage(agent_said))
        answer = str((await self._model.ainvoke(self._history)).content).strip()
        self._history.append(AIMessage(answer))
        return None if STOP in answer or not answer else answer
