"""Reply sentences as data: each skill's `[say]` table in `words/<skill>.toml`, filled with `str.format` fields."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from string import Formatter
from typing import Any


@cache
def _tables() -> dict[str, dict[str, str]]:
    words = resources.files("graph.offline").joinpath("words")
    found = {f.name.removesuffix(".toml"): tomllib.loads(f.read_text(encoding="utf-8"))
             for f in words.iterdir() if f.name.endswith(".toml")}
    return {skill: table.get("say", {}) for skill, table in found.items()}


def fields(template: str) -> set[str]:
    """The names a template fills in."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in Formatter().parse(template) if name}


class Templates:
    """One skill's sentences: `SAY("voted", choice="FOR", ...)`; a missing key or field is a KeyError at once."""

    def __init__(self, skill: str) -> None:
        self.skill = skill
        self.table = _tables()[skill]

    def __call__(self, key: str, /, **values: Any) -> str:
        return self.table[key].format(**values)

    def keys(self) -> set[str]:
        return set(self.table)
