"""Yes and no: whether a turn begins with a yes or a no, and whether a yes is taken back."""

from __future__ import annotations

import re

from graph.offline.scan import has, tokenize, without
from graph.offline.vocab import Vocabulary


def leads(vocab: Vocabulary, words: str, kind: str) -> bool:
    """Whether the words begin with a yes (kind "confirm") or a no ("deny"), fillers aside."""
    w = vocab.words
    bare = without(words, [f for f in w("fillers") if f not in w("confirm")]).lstrip(",& ")  # "cheers, place it"
    return bool(bare) and any(bare == p or bare.startswith(p + " ") for p in w(kind))


def says_yes(vocab: Vocabulary, text: str) -> bool:
    """A text that begins with a clear yes ("yes, pay it"), not unsure, not asking ("sure?") and not taken back
    ("ok, but wait")."""
    words = " ".join(tokenize(text))
    return (leads(vocab, words, "confirm") and not has(words, vocab.words("unsure")) and not text.strip().endswith("?")
            and not takes_back(vocab, words))


def after(words: str, phrases: list[str]) -> str:
    """The words after the first of the phrases ("wait, which is sweeter? … go ahead and place it": the yes comes
    after the wait, so the wait does not take it back)."""
    ends = [m.end() for p in phrases for m in re.finditer(rf"\b{re.escape(p)}\b", words)]
    return words[min(ends):] if ends else words


def takes_back(vocab: Vocabulary, words: str) -> bool:
    """A no after the yes: "looks good, but wait", "yes … not yet" (a bare "no" inside, as in "no problem", is not)."""
    return has(words, [d for d in vocab.words("deny") if d not in ("no", "n")])
