"""What the words around a token say about it: a size under a negation ("I can't manage a big cup"), an attribute
aimed at an item named after it ("oat on the cortado"), a size alone between pauses, "the tea" for the tea said
before, "two of those", "one of the attendees"."""

from __future__ import annotations

from typing import Any

from graph.offline.mention import SEPARATORS, Mention
from graph.offline.vocab import Vocabulary


def aimed(vocab: Vocabulary, tokens: list[str], j: int, mentions: list[Mention]) -> Mention | None:
    """The item said before that an attribute names right after it ("oat on the cortado", "large for the tea")."""
    while j < len(tokens) and tokens[j] in ("milk", "please"):
        j += 1
    if j + 1 >= len(tokens) or tokens[j] not in ("on", "in", "for", "to"):
        return None
    j += 2 if tokens[j + 1] in ("the", "my", "that") else 1
    found = vocab.lookup(tokens, j) if j < len(tokens) else None
    if not found or found[1] != "item":
        return None
    return said_before(vocab, mentions, found[2])


def said_before(vocab: Vocabulary, mentions: list[Mention], item: str) -> Mention | None:
    """The mention an item named again points at: that item, or one whose name ends with its name ("the macchiato"
    after a caramel macchiato, when no plain macchiato was said)."""
    same = next((m for m in reversed(mentions) if m.item_id == item), None)
    name = f" {vocab.menu.items.get(item, item).lower()}"
    longer = [m for m in mentions if m.item_id and vocab.menu.items.get(m.item_id, "").lower().endswith(name)]
    return same or (longer[-1] if len({m.item_id for m in longer}) == 1 else None)


def alone(vocab: Vocabulary, tokens: list[str], i: int) -> bool:
    """A size or milk on its own between pauses belongs to the item before ("so your americano, medium, and …")."""
    found = vocab.lookup(tokens, i) if i < len(tokens) else None
    if not found or found[1] not in ("size", "milk"):
        return False
    after = i + found[0]
    return after == len(tokens) or tokens[after] in SEPARATORS


def of_those(tokens: list[str], i: int) -> bool:
    """ "two of those" with nothing said of them: a count for the item just named ("one of them with oat" splits)."""
    after = tokens[i + 3:i + 4]
    if i and tokens[i - 1] in ("on", "in", "for", "with", "to"):
        return False  # "whipped cream on two of them": some units
    return tokens[i + 1:i + 3] in (["of", "those"], ["of", "these"], ["of", "them"]) and after in ([], [","], ["and"],
                                                                                               ["please"], ["too"])


def before_of(tokens: list[str], i: int) -> int:
    """The position before "of the" / "of my" ending at `i` ("one of the attendees" counts attendees)."""
    k = i
    while k > 0 and tokens[k] in ("the", "my", "our", "your", "his", "her", "their", "those", "these", "us", "them"):
        k -= 1
    return k - 1 if k < i and tokens[k] == "of" else i


def kind_again(tokens: list[str], i: int, mentions: list[Mention], choice: Any) -> Mention | None:
    """ "an earl grey and a bagel, and the tea in a large": "the" and a kind point at the item of that kind said
    before."""
    if not i or tokens[i - 1] not in ("the", "that"):
        return None
    return next((m for m in reversed(mentions) if m.item_id in choice[0]), None)


def denied(vocab: Vocabulary, tokens: list[str], i: int) -> bool:
    """A size said under a negation in its clause ("not a big one", "I can't manage a big cup")."""
    for t in reversed(tokens[max(0, i - 4):i]):
        if t in SEPARATORS:
            return False
        if t in vocab.skill("orders")["negations"]:
            return True
    return False


def phrase_at(tokens: list[str], i: int, phrases: list[str]) -> list[str] | None:
    """The words of the first of the phrases that starts at token `i`, if one does."""
    return next((p.split() for p in phrases if tokens[i:i + len(p.split())] == p.split()), None)


def sizes_something_else(vocab: Vocabulary, tokens: list[str], i: int, width: int) -> bool:
    """ "the big table by the window", "a large group": after an article, the size word describes a word we do not
    sell ("make it small then", "two large drinks" are sizes)."""
    k = i + width
    if i == 0 or tokens[i - 1] not in ("a", "an", "the") or k >= len(tokens) or not tokens[k].isalpha() or (
            tokens[k] in SEPARATORS or tokens[k] in vocab.words("function") + vocab.words("fillers")
            + vocab.skill("orders")["a_drink"]):
        return False
    return vocab.lookup(tokens, k) is None and tokens[k] not in vocab.skill("orders")["size_nouns"]


def not_ordered(tokens: list[str], i: int, width: int, counted: bool) -> bool:
    """ "your croissants are the best": items praised, not asked for (no count, after "your", in the plural)."""
    return not counted and i > 0 and tokens[i - 1] == "your" and tokens[i + width - 1].endswith("s")


def measures(vocab: Vocabulary, tokens: list[str], i: int, width: int) -> bool:
    """ "a little vanilla syrup", "a little bit of caramel": how much of an extra, not the drink's size."""
    if " ".join(tokens[max(0, i - 1):i + width]) not in vocab.skill("orders")["measures"]:
        return False
    j = i + width + (2 if tokens[i + width:i + width + 2] == ["bit", "of"] else 0)
    after = vocab.lookup(tokens, j) if j < len(tokens) else None
    return after is not None and after[1] in ("extra", "milk")


def replaced(vocab: Vocabulary, tokens: list[str], i: int) -> bool:
    """An attribute right after "instead of" / "rather than": the one that goes ("almond instead of oat")."""
    return any(tokens[max(0, i - len(p.split())):i] == p.split() for p in vocab.skill("orders")["replaced_by"])
