"""People in an order. Named together before what they want ("Gina, Hal and Ivy americanos", "Priya and Tom both
want large iced lattes", "my husband and I would each like a large latte"), they ask for as many as there are
people: the list becomes that count ("3 americanos"). Named with one item in an earlier turn ("a cappuccino for
Ollie"), they stand for that item later ("Ollie's out at a client, drop his": the cappuccino)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from graph.offline.scan import scan, tokenize
from graph.offline.vocab import Vocabulary, plural_of

NAME = re.compile(r"\b[A-Z][a-z]+\b")
ONE_FOR = re.compile(r"\bone (?:is )?for\b", re.IGNORECASE)
CLAUSES = re.compile(r"[,;.!?]|\band\b(?!\s+[A-Z][a-z])")  # "Ana and Raj want lattes" is one clause
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
    return word not in common and word not in vocab.phrase_words


def as_people(vocab: Vocabulary, text: str) -> str:
    """The text with a capitalised word inside a sentence that is no word of the menu said as "someone": a name, not
    a typo of an item ("Chris and Mel already got coffee" names no chai)."""
    known = vocab.known_words

    def person(m: re.Match[str]) -> str:
        opens = not text[:m.start()].strip() or text[:m.start()].rstrip().endswith((".", "!", "?", ":"))
        after = text[m.end():].split()[:1]
        does = bool(after) and after[0] in vocab.skill("orders")["person_does"]
        return m[0] if (opens and not does) or m[0].lower() in known else "someone"
    return NAME.sub(person, text)


def whose(vocab: Vocabulary, text: str, earlier: Sequence[str]) -> str:
    """The text with a person named earlier with one item, named again with "'s", "his" or "hers", said as that
    item ("take hers off" after "Priya an americano" and "Priya's gone home": "take the americano off"); when the
    item was for several people ("Ana and Raj want lattes"), as one of them ("oat in his latte": in one of the
    lattes)."""
    owners = _owners(vocab, earlier)
    named = {n for n in NAME.findall(text) if n in owners}
    if len(named) != 1:
        return text
    name = named.pop()
    item_id, shared = owners[name]
    said = vocab.menu.items[item_id].lower()
    item = f"one of the {plural_of(said)}" if shared else f"the {said}"
    owned = "|".join(vocab.skill("orders")["theirs"])
    if shared:
        phrases = "|".join(re.escape(ph) for ph, (kind, v) in vocab.phrases.items() if kind == "item" and v == item_id)
        text = re.sub(rf"\b(?:{owned}|{name}'s)\s+(?:{phrases})\b", item, text)
    text = re.sub(rf"\b{name}'s(?:\s+(?:{'|'.join(vocab.skill('orders')['owned_things'])}))?\b(?!\s+[a-z]+ing\b)",
                  lambda m: m[0] if _item_next(vocab, text, m.end()) else item, text)
    return re.sub(rf"\b(?:{owned})\b", lambda m: m[0] if _item_next(vocab, text, m.end()) else item, text)


def _owners(vocab: Vocabulary, earlier: Sequence[str]) -> dict[str, tuple[str, bool]]:
    """Who had which item, and whether with others: a clause naming people and one item ("a latte for Ben",
    "Priya an americano", "Ana and Raj want lattes")."""
    owners: dict[str, tuple[str, bool]] = {}
    for said in earlier:
        last = None  # the item of the clause before: "two cortados, one for me and one for Priya"
        for clause in CLAUSES.split(said):
            names = [n for n in NAME.findall(clause) if _person(vocab, n)]
            items = {m.item_id for m in scan(vocab, tokenize(as_people(vocab, clause))).mentions if m.item_id}
            if names and len(items) == 1:
                owners |= dict.fromkeys(names, (next(iter(items)), len(names) > 1))
            elif names and not items and last and ONE_FOR.search(clause):
                owners |= dict.fromkeys(names, (last, True))
            last = next(iter(items)) if len(items) == 1 else last
    return owners


def _item_next(vocab: Vocabulary, text: str, at: int) -> bool:
    """Whether what comes right after `at` is owned, not the owner's item: an item or an attribute ("her mocha",
    "his with oat"), or a word we do not know ("her brother")."""
    after = tokenize(text[at:])[:1]
    found = vocab.lookup(after, 0) if after else None
    return bool(after and (after[0] in ("with", "in", "as") or found is not None or (
        after[0].isalpha() and after[0] not in vocab.words("function") + vocab.skill("orders")["remove"])))
