"""What one sentence or clause of a turn says, read apart from the rest: amounts of money, removals and what
they take off, names of things we do not sell, "same but …" after an item, a new count ("drop the muffins to 4"),
a heading before a colon and clauses that only explain."""

from __future__ import annotations

import re
from dataclasses import replace

from graph.offline.mention import Mention
from graph.offline.refer import numbered
from graph.offline.scan import Scan, counts, has, scan, tokenize
from graph.offline.vocab import Vocabulary

AMOUNTS = re.compile(r"[$£€]\s?\d+(?:\.\d+)?|\b\d+\.\d{1,2}\b|\b\d+\s?(?:bucks|dollars?|quid|pounds?|cents?|c)\b",
                     re.IGNORECASE)
"""Prices said in an order turn ("is that 3.75?", "$5 max"): amounts of money, never how many."""


def negated_item(vocab: Vocabulary, words: str, mentions: list[Mention]) -> bool:
    """ "no cookie", "actually no cookie": "no" right before an item takes it off; so does "not the latte" when it
    is the only item said ("I'm not a latte person, a mocha is fine" takes nothing off)."""
    tokens = [t for t in words.split() if t not in ("the", "a", "an", "any", "that")]
    alone = len([m for m in mentions if m.item_id or m.choices]) == 1
    return any((t == "no" or t == "not" and alone) and (hit := vocab.lookup(tokens, k + 1)) is not None
               and hit[1] in ("item", "choice") for k, t in enumerate(tokens[:-1]))


def removes(vocab: Vocabulary, words: str, scanned: Scan) -> bool:
    """A removal word, or "no" before an item, with something to take off: an item or a pointer into the cart
    ("remove the pastry", "drop the second one")."""
    o, mentions = vocab.skill("orders"), scanned.mentions
    pointing = has(words, o["cart_refs"] + o["ones"] + o["a_drink"]) or re.search(r"\bthe [a-z]+ one\b", words) or (
        scanned.category and has(words, ["the"])) or numbered(vocab, words) is not None
    return (has(words, o["remove"]) or negated_item(vocab, words, mentions)) and (
        any(m.item_id or m.choices for m in mentions) or bool(pointing))


def removes_in_a_sentence(vocab: Vocabulary, text: str) -> bool:
    """The removal and what it takes off are in one sentence: "Could you make it with soy milk, please? My doctor
    has me off dairy" takes nothing off."""
    said = sentences_of(text)
    return len(said) < 2 or any(removes(vocab, " ".join(tokenize(s)), scan(vocab, tokenize(AMOUNTS.sub(" ", s))))
                                for s in said)


def without_first(mentions: list[Mention], item_id: str | None) -> list[Mention]:
    at = next((k for k, m in enumerate(mentions) if m.item_id == item_id), None)
    return mentions if at is None else mentions[:at] + mentions[at + 1:]


def off_menu_name(vocab: Vocabulary, words: str, content: list[str]) -> bool:
    """An unknown word right after a size, milk or extra names something we do not sell ("a caramel frappuccino")."""
    o = vocab.skill("orders")
    modifiers = {ph.split()[-1] for ph in vocab.phrases_of("size", "milk", "extra") + o["hot"] + o["iced"]}  # the
    # word a modifier ends with ("cream on the top" ends with "top", not "the")
    tokens = words.split()
    return any(t in content and tokens[k - 1] in modifiers for k, t in enumerate(tokens) if k)


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;])\s+", text.strip()) if s.strip()]


def same_again(vocab: Vocabulary, text: str) -> str:
    """ "a medium cappuccino for me, and for Jo, same but decaf": one more of the item said before in the turn (its
    size and milk), with the change."""
    said = "|".join(re.escape(p) for p in vocab.skill("orders")["same_but"])
    found = re.search(rf"\b(?:{said})\b", text, re.IGNORECASE)
    before = scan(vocab, tokenize(text[:found.start()])).mentions if found else []
    last = next((m for m in reversed(before) if m.item_id), None)
    then = tokenize(text[found.end():])[:1] if found else []
    if found is None or last is None or last.item_id is None or (then and counts(vocab, then, 0)):
        return text  # ("two lattes, the same but one with oat": some of those)
    like = " ".join(w for w in (vocab.menu.items[last.item_id].lower(), last.size) if w)  # "another latte medium":
    milk = f" with {last.milk} milk" if last.milk else ""  # another one, not the one named again
    return f"{text[:found.start()]}another {like}{milk},{text[found.end():]}"


RECOUNT = re.compile(r"\b(?:drop|cut|bring|take|reduce|lower|bump|change|make|up)\b.*\bto (\d+|[a-z]+)\b")


def recounted_to(vocab: Vocabulary, words: str, mentions: list[Mention]) -> Mention | None:
    """ "can we drop the muffins to 4?": a new count for the item named."""
    found = RECOUNT.search(words)
    items = [m for m in mentions if m.item_id or m.choices]
    count = int(found[1]) if found and found[1].isdigit() else vocab.lexicon.numbers.get(found[1]) if found else None
    if count is None or len(items) != 1:
        return None
    return replace(items[0], quantity=count)


def without_heading(vocab: Vocabulary, text: str) -> str:
    """ "Need coffee for 7 people: 4 large drips, two americanos": drinks in general before a colon and the items
    after it are a heading, not an item; with what is said of them ("two large coffees: a latte and a mocha"), a
    group the items spell out."""
    head, colon, tail = text.partition(":")
    o = vocab.skill("orders")
    general = [w for w in tokenize(head) if w in o["coffee_words"] + o["a_drink"]]
    if not colon or not general or not any(m.item_id for m in scan(vocab, tokenize(tail)).mentions):
        return text
    if all(not (m.size or m.milk or m.extras or m.temperature) for m in scan(vocab, tokenize(head)).mentions):
        return tail
    return " ".join("drinks" if w in general else w for w in tokenize(head)) + ":" + tail


def without_asides(vocab: Vocabulary, text: str) -> str:
    """The text without clauses that only explain ("make it three, my colleague wants one too")."""
    clauses = re.split(r",\s+|\s[—–-]+\s|\s+(?=(?:because|cause|cuz|since|actually\s+my)\s)", text)
    kept = []
    for n, clause in enumerate(clauses):
        words = tokenize(clause)
        said = " ".join(words[1:] if words[:1] == ["actually"] else words)
        opens = f"{said} ".startswith(tuple(f"{a} " for a in vocab.skill("orders")["asides"]))
        if len(clauses) > 1 and (f"{said} ".startswith(tuple(f"{a} " for a in vocab.skill("orders")["past"])) or has(
                said, vocab.skill("orders")["had_already"])):
            continue  # "…, I've had about four coffees already today": what was had, not what is wanted
        if not n or not opens or any(m.item_id or m.choices or m.size or m.milk or m.extras or m.temperature
                                     for m in scan(vocab, words).mentions):
            kept.append(clause)
    return ", ".join(kept)
