"""A task's title from a request: the words left once the request's own words are taken out ("assign cleaning
the grinder to Ben before close" is "cleaning the grinder"): the capability's asks and values, people, shops, days
and times, and glue words at either end."""

from __future__ import annotations

import re
from collections.abc import Iterable

from graph.offline.scan import fold
from graph.offline.vocab import Vocabulary
from tools.registry import Talk

CLOCK = r"\d{1,2}(?::\d{2}\s*(?:am|pm)?|\s*(?:am|pm))"
"""A time of day: "3pm", "15:00", "3:30 pm" (a bare number is part of the task: "descale machine 2")."""


def _alternatives(phrases: Iterable[str]) -> str:
    return "|".join(re.escape(p) for p in sorted({p.lower() for p in phrases if p}, key=len, reverse=True))


def title(text: str, vocab: Vocabulary, talk: Talk, when: bool = True) -> str | None:
    """`when`: days and times go too (a task's due time is a field of its own)."""
    words = vocab.skill("frames")
    lead = rf"(?:\b(?:{_alternatives(words['title_lead'])})\s+)*"
    said = f" {fold(text).lower().strip()} "
    asks = _alternatives(talk.asks)
    if asks:
        said = re.sub(rf"\b(?:{asks})\b", " ", said)
    people = [fold(n).split()[0] for n in vocab.menu.people.values()]
    shops = [*vocab.menu.shops.values(), *vocab.menu.shops]
    values = [w for ws in talk.values.values() for w in ws]
    for phrases in (people, shops, values, words["title_when"] if when else []):
        if phrases:
            said = re.sub(rf"{lead}\b(?:{_alternatives(phrases)})(?:'s)?\b", " ", said)
    if when:
        said = re.sub(rf"{lead}\b(?:{CLOCK})(?=\W)", " ", said)
    glue = _alternatives([*words["title_glue"], *([] if when else words["message_glue"])])
    said = re.sub(r"\s+", " ", re.sub(r"[^\w' -]", " ", said)).strip()
    while (trimmed := re.sub(rf"^(?:{glue})\b\s*|\s*\b(?:{glue})$", "", said)) != said:
        said = trimmed.strip()
    if not when:
        said = re.sub(rf"^(?:{_alternatives(words['message_you'])})\b", "your", said)
    return said[:1].upper() + said[1:] if len(said) >= 2 else None
