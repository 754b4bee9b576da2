"""What words stand for before they are scanned: "one" after a question about an item ("how much is a cold
brew?" — "a small one then", "add two"), the start of a name and "one" ("the vegan oat ones"), and an item's words in
another order ("croissant of chocolate")."""

from __future__ import annotations

import re

from graph.offline.neighbours import phrase_at
from graph.offline.vocab import Vocabulary, plural_of

ENDS = r"(?=\s*(?:$|[,.!?]|\band\b|\btoo\b|\bas well\b|\bplease\b|\bpls\b|\bplz\b|\bthen\b|\bthanks\b|\bwith\b))"


def considered(vocab: Vocabulary, text: str, item_id: str, size: str | None = None) -> str:
    """The text with the item put where "one" / "ones" / a bare count stands for it (with the size asked about,
    when the count says none: "how much is a large mocha?" — "I'll get one")."""
    name = vocab.menu.items[item_id].lower()
    names = plural_of(name)
    counts = [n for n in vocab.lexicon.numbers if n not in ("a", "an")]
    sizes = [w for ws in vocab.lexicon.sizes.values() for w in ws if " " not in w]
    before = "|".join(re.escape(w) for w in [*counts, *sizes, "a", "an", "iced", "hot", "\\d+"])
    text = re.sub(rf"\b(?P<before>{before})\s+(?P<one>ones?)\b",
                  lambda m: f"{m['before']} {names if m['one'] == 'ones' or _many(vocab, m['before']) else name}",
                  text, flags=re.IGNORECASE)
    verbs, number = "|".join(vocab.skill("orders")["order_verbs"]), "|".join(re.escape(n) for n in [*counts, "\\d+"])
    if not _names_item(vocab, text):  # "fine. one of those and a muffin" ("two cortados, one of them with oat" is not)
        text = re.sub(rf"\b(?P<n>{number}) of (?:those|these|them|that|it)\b",
                      lambda m: f"{m['n']} {size + ' ' if size else ''}{names if _many(vocab, m['n']) else name}",
                      text, count=1, flags=re.IGNORECASE)
    text = re.sub(rf"^(?P<lead>\W*(?:(?:ok|okay|ha|oh|yes|great|nice|then|so)\W+)*)(?P<n>{number}){ENDS}",
                  lambda m: f"{m['lead']}{m['n']} {names if _many(vocab, m['n']) else name}", text,
                  flags=re.IGNORECASE)  # "Ha, nice. One please, with oat milk"
    return re.sub(rf"\b(?P<verb>{verbs})\s+(?P<n>{number}){ENDS}",
                  lambda m: f"{m['verb']} {m['n']} {size + ' ' if size else ''}"
                            f"{names if _many(vocab, m['n']) else name}",
                  text, flags=re.IGNORECASE)


def _names_item(vocab: Vocabulary, text: str) -> bool:
    """Whether an item is named before the first "of those", in its own sentence ("is the small drip under three
    bucks? ok I'll get one of those" names none)."""
    before = re.split(r"(?<=[.!?])\s+", text.lower().split(" of ")[0])[-1]
    tokens = re.findall(r"[a-z][a-z'\-]*", before)
    return any((found := vocab.lookup(tokens, i)) is not None and found[1] == "item" for i in range(len(tokens)))


def _many(vocab: Vocabulary, count: str) -> bool:
    said = count.lower()
    return int(said) > 1 if said.isdigit() else vocab.lexicon.numbers.get(said, 1) > 1


POINTERS = ("the", "those", "these", "that", "this")
ATTRIBUTES = ("size", "milk", "extra", "number", "shop")
HOMOPHONES = {"for": "four", "to": "two", "too": "two"}
OWNERS = ("the", "my", "our", "your", "his", "her", "their")
POSSESSIVES = ("his", "her", "their")
"""…of which these, before a cart's item, point at its line ("cream on her mocha")."""


def spoken(vocab: Vocabulary, tokens: list[str]) -> list[str]:
    """Words as speech-to-text writes them: "for everything bagels", "to large drip coffees" (a count before a plural
    item), "make it for" (four); "the little one" is a child, not a small size."""
    out = _without_phrases(tokens, vocab.skill("orders")["not_items"])
    for i, t in enumerate(out):
        if t in HOMOPHONES and (_plural_item_at(vocab, out, i + 1) or _make_it(out, i)):
            out[i] = HOMOPHONES[t]
        elif t == "little" and i and out[i - 1] in OWNERS and i + 1 < len(out) and out[i + 1] in ("one", "ones"):
            out[i:i + 2] = ["child", ""]
        elif (t.endswith("'s") or t in POSSESSIVES) and _item_at(vocab, out, i + 1):
            out[i] = "the"  # "Kim's cappuccino with skim", "cream on her mocha": the cart's line
        elif t in vocab.skill("orders")["owned"] and i + 1 < len(out) and out[i + 1] in ("with", "in", "as"):
            out[i] = "one"  # "two lattes, my husband takes his with oat and mine with skim": one each
    return [t for t in out if t]


def _without_phrases(tokens: list[str], phrases: list[str]) -> list[str]:
    """The tokens with each phrase replaced by "order" ("the coffee run" names no coffee)."""
    out, i = [], 0
    while i < len(tokens):
        hit = phrase_at(tokens, i, phrases)
        out.append("order" if hit else tokens[i])
        i += len(hit) if hit else 1
    return out


def _make_it(tokens: list[str], i: int) -> bool:
    """ "make it for" (four), said last or before a pause."""
    return i >= 2 and tokens[i - 2:i] == ["make", "it"] and (i + 1 == len(tokens) or tokens[i + 1] in (
        ",", "actually", "please", "then", "now"))


def _item_at(vocab: Vocabulary, tokens: list[str], i: int) -> bool:
    found = vocab.lookup(tokens, i) if i < len(tokens) else None
    return bool(found and found[1] in ("item", "choice"))


def _plural_item_at(vocab: Vocabulary, tokens: list[str], i: int) -> bool:
    if i < len(tokens) and vocab.phrases.get(tokens[i], ("", None))[0] == "size":
        i += 1
    found = vocab.lookup(tokens, i) if i < len(tokens) else None
    return bool(found and found[1] in ("item", "choice") and tokens[i + found[0] - 1].endswith("s"))


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
                    said = (plural_of(name) if out[j] == "ones" else name).split()
                    out[k:j + 1] = said
                    j = k + len(said) - 1
                    break
        j += 1
    return out


def _only_item_starting(vocab: Vocabulary, words: list[str], kind_of: str | None = None) -> str | None:
    """The one item whose name starts with the words (not a size or milk's words, unless the item is to be of the
    kind `kind_of` is)."""
    said = " ".join(words)
    if kind_of is None and vocab.phrases.get(said, ("", None))[0] in ATTRIBUTES:
        return None
    items = {v for phrase, (kind, v) in vocab.phrases.items() if kind == "item" and phrase.startswith(said + " ")
             and (kind_of is None or vocab.menu.categories.get(v) == vocab.menu.categories.get(kind_of))}
    return str(next(iter(items))) if len(items) == 1 else None


def of_its_kind(vocab: Vocabulary, words: str, instead_of: str) -> str | None:
    """ "a plain croissant instead of the almond one": a pastry for a pastry, so the almond croissant, though
    "almond" alone would be a milk."""
    found = re.search(r"\b(?:the|that|my)\s+([a-z]+(?: [a-z]+)?)\s+ones?\b", words)
    return _only_item_starting(vocab, found[1].split(), kind_of=instead_of) if found else None


def reordered(vocab: Vocabulary, tokens: list[str]) -> list[str]:
    """An item's words in another order: "croissant of chocolate", "chocolate hot" (a chocolate croissant, a hot
    chocolate), when only the other order names an item."""
    out, i = list(tokens), 0
    while i + 1 < len(out):
        if i + 2 < len(out) and out[i + 1] in ("of", "with") and (
                named := _one_word_first(vocab, out[i + 2], out[i], food_only=out[i + 1] == "with")):
            out[i:i + 3] = named  # "croissant of chocolate", "a muffin with blueberries" (a latte with vanilla is
            # a latte with vanilla syrup)
        elif (f"{out[i]} {out[i + 1]}" not in vocab.phrases and not _is_item(vocab, out[i])
              and _is_item(vocab, f"{out[i + 1]} {out[i]}")):  # "the mocha iced" is the mocha, made iced
            out[i:i + 2] = [out[i + 1], out[i]]
        i += 1
    return out


def _one_word_first(vocab: Vocabulary, first: str, then: str, food_only: bool) -> list[str] | None:
    """ "chocolate croissant" from "croissant" and "chocolate"; "blueberry muffin" from "muffin" and "blueberries"."""
    for word in dict.fromkeys((first, re.sub(r"ies$", "y", first), re.sub(r"s$", "", first))):
        found = vocab.phrases.get(f"{word} {then}")
        if found and found[0] == "item" and not (food_only and vocab.menu.sizes.get(found[1]) != ["regular"]):
            return [word, then]
        named = {i for i, n in vocab.menu.items.items() if n.lower().split()[0] == word and n.lower().split()[-1] == then}
        if food_only and len(named) == 1 and vocab.menu.sizes.get(next(iter(named))) == ["regular"]:
            return vocab.menu.items[next(iter(named))].lower().split()  # "a cookie with chocolate"
    return None


def _is_item(vocab: Vocabulary, phrase: str) -> bool:
    return vocab.phrases.get(phrase, ("", None))[0] == "item"


def numbered(vocab: Vocabulary, words: str) -> int | None:
    """ "remove item one", "line 2 with oat": the cart line by its number, from 0 (None: no line is numbered)."""
    tokens = words.split()
    for k, t in enumerate(tokens[:-1]):
        if t in vocab.skill("orders")["numbered"]:
            after = tokens[k + 1]
            n = int(after) if after.isdigit() else vocab.lexicon.numbers.get(after) if after not in ("a", "an") else None
            if n:
                return n - 1
    return None
