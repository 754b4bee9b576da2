"""Reply sentences as data: each skill's `[say]` table in `words/<skill>.toml`, filled with `str.format` fields."""

from __future__ import annotations

from string import Formatter
from typing import Any

from graph.offline.vocab import skill_files


def fields(template: str) -> set[str]:
    """The names a template fills in."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in Formatter().parse(template) if name}


class Templates:
    """One skill's sentences: `SAY("voted", choice="FOR", ...)`; a missing key or field is a KeyError at once."""

    def __init__(self, skill: str) -> None:
        self.skill = skill
        self.table: dict[str, str] = skill_files()[skill].get("say", {})

    def __call__(self, key: str, /, **values: Any) -> str:
        return self.table[key].format(**values)

    def keys(self) -> set[str]:
        return set(self.table)
