"""The task format: data files (TOML) under evals/suites, one suite per file, validated by these models.

A task gives the user (who they are, what they want, what they know), how the scripted user talks, the store
it starts from (setup actions), and how success is judged: the expected actions (replayed on a fresh store to
compute the target state) and/or explicit assertions, phrases the agent must say, actions it must not take.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tools.errors import NotFound
from tools.principal import Principal

Json = dict[str, Any]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Action(Strict):
    """A tool call: made by the agent, replayed for the target state, or run in setup."""

    tool: str
    args: Json = {}
    who: str | None = Field(default=None, description="role:id[@shop]; default the task's user.")


class MachineReport(Strict):
    """Setup only: a coffee machine reports this state (as it would over MQTT)."""

    location_id: str
    machine_id: str
    status: str = "idle"
    fault: str | None = None
    water_ml: int = 2000
    beans_g: int = 1000
    boiler_c: float = 93.0
    brews_since_descale: int = 0


class Turn(Strict):
    """One thing the scripted user says. With `when`, only if the agent's last reply contains one of those
    phrases (case-insensitive); otherwise the turn is skipped."""

    say: str
    when: list[str] = []


class User(Strict):
    principal: str = Field(description="Who the user is, role:id[@shop], e.g. customer:c1@downtown.")
    persona: str = Field(default="", description="How they talk and behave (for the LLM-simulated user).")
    instruction: str = Field(description="What they want, in the task writer's words.")
    knows: Json = Field(default={}, description="Facts the user can give when asked (order numbers, names).")

    @property
    def who(self) -> Principal:
        return Principal.parse(self.principal)


class Check(Strict):
    """An explicit assertion: call a read tool after the conversation and compare one field."""

    tool: str
    args: Json = {}
    who: str | None = None
    path: str = Field(description="Dotted path into the result, e.g. 'state' or 'orders.0.total_cents'.")
    equals: Any = None
    length: int | None = None


class Task(Strict):
    id: str = Field(pattern=r"^[a-z0-9_\-]+$")
    domain: str
    description: str = ""
    user: User
    turns: list[Turn] = Field(min_length=1, description="The scripted user's lines, in order.")
    setup: list[Action] = []
    machines: list[MachineReport] = []
    chain: bool = Field(default=False, description="Needs the embedded EVM (COFFEE, DAO).")
    expected_actions: list[Action] | None = Field(default=None, description="Replayed on a fresh store to get the "
                                                  "target state; [] means nothing may change; None: no state check.")
    checks: list[Check] = []
    required_phrases: list[str | list[str]] = Field(default=[], description="Each must be said (a list: any one "
                                                    "of its phrases), case-insensitive.")
    forbidden_phrases: list[str] = Field(default=[], description="Must never be said (leaked data, false claims).")
    forbidden_actions: list[str] = Field(default=[], description="Tools the agent must not call successfully "
                                         "(nor ask a human to approve).")

    @model_validator(mode="after")
    def _judged_somehow(self) -> Task:
        criteria = (self.checks, self.required_phrases, self.forbidden_phrases, self.forbidden_actions)
        if self.expected_actions is None and not any(criteria):
            raise ValueError(f"task {self.id} has no success criterion")
        return self


class Suite(Strict):
    name: str
    description: str
    tasks: list[Task]

    @model_validator(mode="after")
    def _unique_ids(self) -> Suite:
        ids = [t.id for t in self.tasks]
        if len(ids) != len(set(ids)):
            raise ValueError(f"suite {self.name} repeats task ids")
        return self


ALIASES = {"ordering": "orders"}
"""Earlier names of suites, still accepted."""


def suite_names() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in resources.files("evals.suites").iterdir()
                  if p.name.endswith(".toml"))


@cache
def load_suite(name: str) -> Suite:
    """A shipped suite by name (evals/suites/<name>.toml), or any suite file by path."""
    if name.endswith(".toml"):
        return Suite.model_validate(tomllib.loads(Path(name).read_text(encoding="utf-8")))
    name = ALIASES.get(name, name)
    if name not in suite_names():
        raise NotFound(f"no suite {name!r}; there are: {', '.join(suite_names())}", suite=name)
    text = resources.files("evals.suites").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return Suite.model_validate(tomllib.loads(text))
