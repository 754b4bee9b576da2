"""Vocabulary: the grammar data plus every phrase the live menu gives a name to, with typo-tolerant lookup."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, cached_property
from importlib import resources
from typing import Any

from pydantic import BaseModel

Kind = str  # "item" | "size" | "milk" | "extra" | "shop" | "number"


class Lexicon(BaseModel):
    numbers: dict[str, int]
    sizes: dict[str, list[str]]
    milks: dict[str, list[str]]
    extras: dict[str, list[str]]
    categories: dict[str, list[str]]
    aliases: dict[str, list[str]]
    words: dict[str, list[str]]
    manipulation: dict[str, list[str]]
    out_of_scope: dict[str, list[str]]
    skills: dict[str, dict[str, list[str]]] = {}
    """Each skill's own words, from `words/<skill>.toml` beside the engine (a new skill adds a file, not a field)."""
    allergens: dict[str, list[str]] = {}
    shops: dict[str, list[str]] = {}
    """Other names people use for a shop, by its id (its own name and words are known from the store)."""


TYPO_KINDS = ("item", "milk", "extra")
CLOSE_WORDS = 4
"""The longest name a typo is looked for in (the menu's longest: "vanilla cream cold brew")."""
"""What a typo may name: menu items, milks and extras (sizes and shops are short everyday words)."""


def load_lexicon() -> Lexicon:
    shared = tomllib.loads(resources.files("graph.offline").joinpath("lexicon.toml").read_text(encoding="utf-8"))
    skills = {name: {k: v for k, v in table.items() if k != "say"} for name, table in skill_files().items()}
    return Lexicon.model_validate({**shared, "skills": skills})


@cache
def skill_files() -> dict[str, dict[str, Any]]:
    """Each skill's `words/<skill>.toml`: its words, and its sentences under `[say]` (read by `templates.py`)."""
    words = resources.files("graph.offline").joinpath("words")
    return {f.name.removesuffix(".toml"): tomllib.loads(f.read_text(encoding="utf-8"))
            for f in words.iterdir() if f.name.endswith(".toml")}


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
    categories: dict[str, str] = {}
    """Item id -> menu category ("a green tea … earl grey instead" swaps one tea for another)."""
    ingredients: dict[str, str] = {}
    """Ingredient id -> display name."""
    units: dict[str, str] = {}
    """Ingredient id -> the unit its stock is counted in (g, ml, pc)."""
    people: dict[str, str] = {}
    """Person id -> display name (the staff, once the store has them)."""
    zones: dict[str, str] = {}
    """Shop id -> its time zone: a person's "today" and "tomorrow" are the shop's."""


def plural_of(phrase: str) -> str:
    """ "choc chip cookies" for the alias "choc chip cookie"."""
    *rest, last = phrase.split()
    return " ".join([*rest, plural(last)])


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
    _close: dict[tuple[str, ...], str | None] = field(default_factory=dict, repr=False, compare=False)
    """Typo matches found so far (the vocabulary does not change once built; the search is the engine's cost)."""

    def __post_init__(self) -> None:
        names = {i: n.lower().split() for i, n in self.menu.items.items()}
        heads = [w[-1] for w in names.values()] + [w[0] for w in names.values()]
        modifiers = {w for table in (self.lexicon.milks, self.lexicon.extras, self.lexicon.sizes)
                     for words in table.values() for w in words}
        for item_id, words in names.items():
            self._add("item", item_id, " ".join(words), " ".join([*words[:-1], plural(words[-1])]),
                      item_id.replace("_", " "), *self.lexicon.aliases.get(item_id, []),
                      *(plural_of(a) for a in self.lexicon.aliases.get(item_id, [])))
            head = words[-1]
            if len(words) > 1 and heads.count(head) == 1 and head not in modifiers:
                self._add("item", item_id, head, plural(head))  # "bagel" for Everything Bagel
        self._add_choices(names, modifiers)
        self._add_first_names(names, modifiers)
        for shop_id, name in self.menu.shops.items():
            words = [w for w in name.lower().split() if w not in ("go", "coffee")]
            self._add("shop", shop_id, shop_id, name.lower(), " ".join(words), *words,
                      *self.lexicon.shops.get(shop_id, []))
        for kind, table in (("size", self.lexicon.sizes), ("milk", self.lexicon.milks), ("extra", self.lexicon.extras),
                            ("category", self.lexicon.categories)):
            for value, words in table.items():
                self._add(kind, value, *words)
        for word, number in self.lexicon.numbers.items():
            self._add("number", number, word)

    def _add_choices(self, names: dict[str, list[str]], modifiers: set[str]) -> None:
        """A last word several items share ("tea", "cookie") names a choice between them, unless it already means
        something (an item, a size, a kitchen word)."""
        by_head: dict[str, list[str]] = {}
        for item_id, words in names.items():
            if len(words) > 1:
                by_head.setdefault(words[-1], []).append(item_id)
        lexicon_words = {w for table in (self.lexicon.words, self.skill("kitchen")) for ws in table.values() for w in ws}
        categories = {w: c for c, ws in self.lexicon.categories.items() for w in ws}
        for head, ids in by_head.items():
            if len(ids) < 2 or head in self.phrases or head in modifiers or head in lexicon_words:
                continue
            for word in (head, plural(head)):  # "what teas do you have" still asks about the category
                self.phrases[word] = ("choice", (tuple(ids), categories.get(word)))

    def _add_first_names(self, names: dict[str, list[str]], modifiers: set[str]) -> None:
        """ "a peppermint and a chamomile" after "two teas": the words before a shared last word name the item, when
        no other item's name has them and they are not a milk, size, extra or hot/iced word."""
        heads: dict[str, int] = {}
        for words in names.values():
            heads[words[-1]] = heads.get(words[-1], 0) + 1
        known = modifiers | {w for ws in self.lexicon.words.values() for p in ws for w in p.split()}
        for item_id, words in names.items():
            first = " ".join(words[:-1])
            elsewhere = any(f" {first} " in f" {' '.join(w)} " for i, w in names.items() if i != item_id)
            if len(words) > 1 and heads[words[-1]] > 1 and not elsewhere and not set(words[:-1]) & known:
                self._add("item", item_id, first)

    @cached_property
    def phrase_words(self) -> frozenset[str]:
        """Every word of every phrase ("earl", "fog"): a capitalised one is the menu's, not someone's name."""
        return frozenset(w for phrase in self.phrases for w in phrase.split())

    @cached_property
    def known_words(self) -> frozenset[str]:
        """Every word the engine knows, from the menu and every word list ("please", "place"): not a name."""
        lists = [*self.lexicon.words.values(), *(ws for skill in self.lexicon.skills.values() for ws in skill.values())]
        return self.phrase_words | {w for ws in lists for phrase in ws for w in phrase.split()}

    @cached_property
    def item_phrases(self) -> list[str]:
        return self.phrases_of("item")

    def phrases_of(self, *kinds: Kind) -> list[str]:
        """Every phrase of these kinds ("milk", "extra": the words that change a drink)."""
        return [p for p, (kind, _) in self.phrases.items() if kind in kinds]

    def _add(self, kind: Kind, value: Any, *phrases: str) -> None:
        for phrase in phrases:
            self.phrases.setdefault(phrase, (kind, value))
            self.longest = max(self.longest, len(phrase.split()))

    def lookup(self, tokens: list[str], start: int) -> tuple[int, Kind, Any] | None:
        """The longest phrase starting at `start`: exact, or a close spelling of a longer name ("vanilla cream cols
        brew" is the vanilla cream cold brew, not vanilla and a cold brew)."""
        exact = self._exact(tokens, start)
        if tokens[start] in self.lexicon.words["function"] or tokens[start] in self.lexicon.words["not_typos"] or (
                tokens[start].endswith("'s")):  # "Martha's" is someone, not a matcha
            return exact
        for n in range(min(CLOSE_WORDS, len(tokens) - start), exact[0] if exact else 0, -1):
            found = self._close_item(tokens[start:start + n])
            if found:
                return n, *self.phrases[found]
        return exact

    def _exact(self, tokens: list[str], start: int) -> tuple[int, Kind, Any] | None:
        for n in range(min(self.longest, len(tokens) - start), 0, -1):
            phrase = " ".join(tokens[start:start + n])
            if phrase in self.phrases:
                return n, *self.phrases[phrase]
        return None

    def _close_item(self, words: list[str]) -> str | None:
        """A menu item name within a typo of `words`: every word close to the name's word."""
        key = tuple(words)
        if key not in self._close:
            self._close[key] = self._closest(words)
        return self._close[key]

    def _closest(self, words: list[str]) -> str | None:
        if len(" ".join(words)) < 5:
            return None
        best, best_score = None, 0.0
        for phrase, (kind, _) in self.phrases.items():
            parts = phrase.split()
            if kind not in TYPO_KINDS or len(parts) != len(words):
                continue
            slipped = [typed for typed, part in zip(words, parts, strict=True) if typed != part]
            if any(typed in self.phrases for typed in slipped):
                continue  # a word that means something itself is not a slip ("soy latte" is not "shy latte")
            anchored = len(parts) > 1 and len(slipped) == 1
            scores = [_likeness(a, b) or _one_slip(a, b, anchored) for a, b in zip(words, parts, strict=True)]
            if min(scores) > 0 and sum(scores) > best_score:
                best, best_score = phrase, sum(scores)
        return best

    def words(self, name: str) -> list[str]:
        return self.lexicon.words[name]

    def skill(self, name: str) -> dict[str, list[str]]:
        """A skill's own words (`words/<name>.toml`)."""
        return self.lexicon.skills[name]


def _one_slip(typed: str, word: str, anchored: bool) -> float:
    """A short word one keystroke off ("oar" for "oat", "almong" for "almond"), counted only when the phrase's other
    words are exact ("oar milk"): alone, three letters one off are too many other words."""
    if not anchored or len(typed) < 3 or typed[0] != word[0] or abs(len(typed) - len(word)) > 1:
        return 0.0
    slips = sum(a != b for a, b in zip(typed, word, strict=False)) + abs(len(typed) - len(word))
    return 0.75 if slips == 1 else 0.0


def _likeness(typed: str, word: str) -> float:
    """How alike two words are, or 0 when too far apart to be a typo (first letters are rarely mistyped)."""
    matcher = SequenceMatcher(None, typed, word)
    if matcher.real_quick_ratio() < 0.8:  # an upper bound, from the lengths alone
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= 0.88 or (ratio >= 0.8 and typed[0] == word[0]) else 0.0
