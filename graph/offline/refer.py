"""What "one" stands for after a question about an item: "how much is a cold brew?" — "a small one then",
"add two", "two large ones" are that item."""

from __future__ import annotations

import re

from graph.offline.vocab import Vocabulary, plural

VERBS = ("add", "get", "take", "have", "grab", "want", "need", "order", "do", "try")
ENDS = r"(?=\s*(?:$|[,.!?]|\band\b|\btoo\b|\bas well\b|\bplease\b|\bpls\b|\bplz\b|\bthen\b|\bthanks\b))"


def considered(vocab: Vocabulary, text: str, item_id: str, size: str | None = None) -> str:
    """The text with the item put where "one" / "ones" / a bare count stands for it (with the size asked about,
    when the count says none: "how much is a large mocha?" — "I'll get one")."""
    name = vocab.menu.items[item_id].lower()
    *rest, last = name.split()
    names = " ".join([*rest, plural(last)])
    counts = [n for n in vocab.lexicon.numbers if n not in ("a", "an")]
    sizes = [w for ws in vocab.lexicon.sizes.values() for w in ws if " " not in w]
    before = "|".join(re.escape(w) for w in [*counts, *sizes, "a", "an", "iced", "hot", "\\d+"])
    text = re.sub(rf"\b(?P<before>{before})\s+(?P<one>ones?)\b",
                  lambda m: f"{m['before']} {names if m['one'] == 'ones' or _many(vocab, m['before']) else name}",
                  text, flags=re.IGNORECASE)
    verbs, number = "|".join(VERBS), "|".join(re.escape(n) for n in [*counts, "\\d+"])
    return re.sub(rf"\b(?P<verb>{verbs})\s+(?P<n>{number}){ENDS}",
                  lambda m: f"{m['verb']} {m['n']} {size + ' ' if size else ''}"
                            f"{names if _many(vocab, m['n']) else name}",
                  text, flags=re.IGNORECASE)


def _many(vocab: Vocabulary, count: str) -> bool:
    said = count.lower()
    return int(said) > 1 if said.isdigit() else vocab.lexicon.numbers.get(said, 1) > 1


POINTERS = ("the", "those", "these", "that", "this")
ATTRIBUTES = ("size", "milk", "extra", "number", "shop")


def named_in_part(vocab: Vocabulary, tokens: list[str]) -> list[str]:
    """ "two of the vegan oat ones", "is the vanilla cream one sweet?": the start of one item's name, then "one",
    is that item (only when no other item's name starts so, and the words are not a size or milk: "the oat one" is
    the line with oat milk)."""
    out, j = list(tokens), 0
    while j < len(out):
        if out[j] in ("one", "ones"):
            for k in range(max(1, j - 3), j):
                item = _only_item_starting(vocab, out[k:j]) if out[k - 1] in POINTERS else None
                if item:
                    name = vocab.menu.items[item].lower()
                    *rest, last = name.split()
                    out[k:j + 1] = [*rest, plural(last) if out[j] == "ones" else last]
                    j = k + len(rest)
                    break
        j += 1
    return out


def _only_item_starting(vocab: Vocabulary, words: list[str]) -> str | None:
    said = " ".join(words)
    if vocab.phrases.get(said, ("", None))[0] in ATTRIBUTES:
        return None
    items = {v for phrase, (kind, v) in vocab.phrases.items() if kind == "item" and phrase.startswith(said + " ")}
    return str(next(iter(items))) if len(items) == 1 else None
