"""People named together before what they want: "Gina, Hal and Ivy americanos", "Priya and Tom both want large iced
lattes", "my husband and I would each like a large latte" ask for as many as there are people. The list becomes
that count ("3 americanos"), and the scanner reads the rest as it reads any count."""

from __future__ import annotations

import re
from functools import cache

from graph.offline.vocab import Vocabulary

PERSON = r"(?:[A-Z][a-z]+|[Mm]y [a-z]+|I|me)"
PEOPLE = rf"(?P<people>{PERSON}(?:,\s*{PERSON})*,?\s+(?:and|&)\s+{PERSON})"


@cache
def _pattern(verbs: tuple[str, ...]) -> re.Pattern[str]:
    wanting = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    return re.compile(rf"(?<![\w']){PEOPLE}(?P<verbs>(?:\s+(?:{wanting}))*)\s+(?:(?:a|an|one)\s+)?(?P<next>[a-z]+)")


def counted(vocab: Vocabulary, text: str) -> str:
    """The text with each list of people before an order said as their count."""
    pattern = _pattern(tuple(vocab.skill("orders")["people_want"]))
    return pattern.sub(lambda m: _count(vocab, m), text)


def _count(vocab: Vocabulary, said: re.Match[str]) -> str:
    people = re.split(r",\s*|\s+(?:and|&)\s+", said["people"])
    if not all(_person(vocab, p) for p in people) or vocab.lookup([said["next"]], 0) is None:
        return said[0]
    return f"{len(people)} {said['next']}"


def _person(vocab: Vocabulary, said: str) -> bool:
    """Someone's name or "my husband" / "I" / "me": not a word of the menu or of every sentence ("Latte and Mocha")."""
    word = said.split()[-1].lower()
    if said in ("I", "me"):
        return True
    common = vocab.words("function") + vocab.words("fillers")
    return word not in common and vocab.lookup([word], 0) is None
