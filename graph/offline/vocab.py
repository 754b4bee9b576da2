"""Vocabulary: the grammar data plus every phrase the live menu gives a name to, with typo-tolerant lookup."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from difflib import get_close_matches
from importlib import resources
from typing import Any

from pydantic import BaseModel

Kind = str  # "item" | "size" | "milk" | "extra" | "shop" | "number"


class Lexicon(BaseModel):
    numbers: dict[str, int]
    sizes: dict[str, list[str]]
    milks: dict[str, list[str]]
    extras: dict[str, list[str]]
    aliases: dict[str, list[str]]
    words: dict[str, list[str]]
    manipulation: dict[str, list[str]]
    out_of_scope: dict[str, list[str]]


def load_lexicon() -> Lexicon:
    text = resources.files("graph.offline").joinpath("lexicon.toml").read_text(encoding="utf-8")
    return Lexicon.model_validate(tomllib.loads(text))


class MenuFacts(BaseModel):
    """What the engine needs to know about the menu, read through the menu tools."""

    items: dict[str, str]
    """Item id -> display name."""
    sizes: dict[str, list[str]]
    """Item id -> sizes it comes in."""
    milk_items: set[str]
    extra_items: set[str]
    shops: dict[str, str]
    """Shop id -> display name."""


def plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"


@dataclass
class Vocabulary:
    lexicon: Lexicon
    menu: MenuFacts
    phrases: dict[str, tuple[Kind, Any]] = field(default_factory=dict)
    longest: int = 1

    def __post_init__(self) -> None:
        for item_id, name in self.menu.items.items():
            words = name.lower().split()
            self._add("item", item_id, name.lower(), " ".join([*words[:-1], plural(words[-1])]),
                      item_id.replace("_", " "), *self.lexicon.aliases.get(item_id, []))
        for shop_id, name in self.menu.shops.items():
            self._add("shop", shop_id, shop_id, name.lower(), name.lower().removeprefix("go coffee "))
        for kind, table in (("size", self.lexicon.sizes), ("milk", self.lexicon.milks), ("extra", self.lexicon.extras)):
            for value, words in table.items():
                self._add(kind, value, *words)
        for word, number in self.lexicon.numbers.items():
            self._add("number", number, word)

    def _add(self, kind: Kind, value: Any, *phrases: str) -> None:
        for phrase in phrases:
            self.phrases.setdefault(phrase, (kind, value))
            self.longest = max(self.longest, len(phrase.split()))

    def lookup(self, tokens: list[str], start: int) -> tuple[int, Kind, Any] | None:
        """The longest phrase starting at `start`, exact first, then a close spelling of a menu item."""
        for n in range(min(self.longest, len(tokens) - start), 0, -1):
            phrase = " ".join(tokens[start:start + n])
            if phrase in self.phrases:
                return n, *self.phrases[phrase]
        if tokens[start] in self.lexicon.words["function"]:
            return None
        for n in range(min(3, len(tokens) - start), 0, -1):
            phrase = " ".join(tokens[start:start + n])
            if len(phrase) < 5:
                continue
            items = [p for p, (k, _) in self.phrases.items() if k == "item" and len(p.split()) == n]
            close = get_close_matches(phrase, items, n=1, cutoff=0.8)
            if close:
                return n, *self.phrases[close[0]]
        return None

    def words(self, name: str) -> list[str]:
        return self.lexicon.words[name]
