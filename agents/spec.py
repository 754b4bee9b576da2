"""Agent specs are data: each agent is a folder with `spec.toml` (who it serves, which tools, how to reach it)
and `prompt.md`; every prompt also carries the shared `policy.md`."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, Field

from tools.principal import Role


class AgentSpec(BaseModel):
    name: str = Field(pattern=r"^[a-z_]+$")
    title: str
    about: str = Field(default="", description="What it is about, in a few words, for \"Is this about shifts or "
                       "about stock?\" when a turn could be for either.")
    purpose: str = Field(description="One sentence: what the agent is for (also used to route ambiguous turns).")
    audience: frozenset[Role] = Field(description="Roles whose conversations may reach this agent.")
    tools: list[str] = Field(description="Tool allowlist; a caller still needs the role each tool demands.")
    model_tier: Literal["small", "large"] = "small"
    route_hints: list[str] = Field(default=[], description="Words or phrases typical of the turns this agent takes.")
    examples: list[str] = Field(default=[], description="Requests this agent should take, in people's words: the "
                                "router's classifier learns from them and the hints.")
    learned: list[str] = Field(default=[], description="Requests the router learned this agent takes, from "
                               "agents/routing_learned.toml (the routing tables' tuned part).")
    skills: list[str] = Field(default=[], description="The offline engine's skills this agent talks with (see "
                              "graph/offline/skills.py); none: it says its tools are not available yet.")
    prompt: str = ""


def _read(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


@cache
def load_agents() -> dict[str, AgentSpec]:
    """Every agent folder under `agents/`, keyed by name, with its prompt and the shared policy appended."""
    policy = _read("agents", "policy.md")
    learned = tomllib.loads(_read("agents", "routing_learned.toml"))["examples"]
    specs: dict[str, AgentSpec] = {}
    for entry in sorted(resources.files("agents").iterdir(), key=lambda e: e.name):
        if not entry.is_dir() or not entry.joinpath("spec.toml").is_file():
            continue
        spec = AgentSpec.model_validate(tomllib.loads(entry.joinpath("spec.toml").read_text(encoding="utf-8")))
        prompt = entry.joinpath("prompt.md").read_text(encoding="utf-8")
        specs[spec.name] = spec.model_copy(update={"prompt": f"{prompt.strip()}\n\n{policy.strip()}\n",
                                                   "learned": learned.get(spec.name, [])})
    return specs
