"""Hearing a spoken turn: what a recogniser is given (the words this conversation may use) and what it says back
(the words, and whether it is sure enough to act on them; an unsure result is never guessed at)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import numpy as np

ANSWERS = ("yes", "no", "yes please", "no thanks", "that's right", "go ahead", "cancel", "small", "medium", "large",
           "oat milk", "whole milk", "skim milk", "almond milk", "soy milk", "iced", "hot", "decaf", "one", "two",
           "three", "four", "five", "six", "and", "with", "please", "thanks", "pay", "from my wallet", "balance",
           "card", "coffee", "what's on the menu", "my order", "where is my order", "at", "a", "an")
"""What customers say besides the menu and the shops, whatever the question."""
AGAIN = "Sorry, could you say that again?"


@dataclass(frozen=True)
class Hints:
    items: tuple[str, ...]
    """The menu's items, by name."""
    shops: tuple[str, ...] = ()
    """The shops, by name and id."""
    expected: tuple[str, ...] = ()
    """The answers the agent's last question offers (Yes/No, or its options)."""

    def phrases(self) -> tuple[str, ...]:
        """Everything worth listening for, the likeliest first."""
        return tuple(dict.fromkeys(p.lower() for p in (*self.expected, *self.items, *self.shops, *ANSWERS)))


@dataclass(frozen=True)
class Heard:
    text: str
    confidence: float
    """0–1: the recogniser's own measure (Whisper: the mean token probability)."""
    sure: bool


class Ears(Protocol):
    name: str

    def hear(self, samples: np.ndarray, hints: Hints) -> Heard:
        """Blocking (a worker thread calls it)."""
        ...


def spoken_numbers(text: str, hints: Hints) -> str:
    """"to"/"too"/"for" before a size or a menu word is the number ("to large lattes" → "two large lattes"):
    recognisers write the homophone. Not before a milk: "switch to almond milk"."""
    nouns = {w for p in (*hints.items, "small medium large iced") if "milk" not in p.lower() for w in p.lower().split()}
    nouns |= {f"{n}s" for n in nouns} | {f"{n}es" for n in nouns}

    def number(match: re.Match[str]) -> str:
        word, following = match.group(1), match.group(2)
        if following.lower().strip(".,!?") not in nouns:
            return match.group(0)
        return {"to": "two", "too": "two", "for": "four"}[word.lower()] + " " + following

    return re.sub(r"\b(to|too|for)\s+(\w+)", number, text, flags=re.IGNORECASE)
