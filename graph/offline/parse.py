"""Turn one utterance into an intent with item mentions. Deterministic: the same text always parses the same.

Attributes (quantity, size, milk, extras, hot/iced) before an item belong to it; after an item they belong to
it until a separator ("and", ",", "plus") or the next quantity; leftovers at the end go to the last item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from graph.offline.vocab import Vocabulary


class Intent(StrEnum):
    ORDER = "order"
    MODIFY = "modify"
    REMOVE = "remove"
    CONFIRM = "confirm"
    DENY = "deny"
    DONE = "done"
    STATUS = "status"
    CANCEL = "cancel"
    MENU = "menu"
    STOCK = "stock"
    ADVANCE = "advance"
    MANIPULATION = "manipulation"
    OUT_OF_SCOPE = "out_of_scope"
    GREETING = "greeting"
    UNKNOWN = "unknown"


@dataclass
class Mention:
    item_id: str | None = None
    quantity: int | None = None
    size: str | None = None
    milk: str | None = None
    extras: list[str] = field(default_factory=list)
    temperature: str | None = None

    def has_attributes(self) -> bool:
        return any([self.quantity, self.size, self.milk, self.extras, self.temperature])


@dataclass
class Parse:
    intent: Intent
    mentions: list[Mention] = field(default_factory=list)
    shop: str | None = None
    order_id: int | None = None
    topic: str | None = None
    to_state: str | None = None
    unknown: str | None = None
    every_line: bool = False
    category: str | None = None


SEPARATORS = {"and", ",", "plus", "&", "also", "then", "another"}
STATES = {"paid": "paid", "queued": "queued", "queue": "queued", "brewing": "brewing", "ready": "ready",
          "collected": "collected", "picked up": "collected", "refunded": "refunded", "refund": "refunded"}
QUESTION_START = ("what", "which", "how", "is", "are", "does", "do", "can", "any", "tell me")


def tokenize(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    text = re.sub(r"\bx\s?(\d+)\b|\b(\d+)\s?x\b", lambda m: f" {m.group(1) or m.group(2)} ", text)
    return re.findall(r"\d+|[a-z][a-z'\-]*|,|&", text)


def has(text: str, phrases: list[str]) -> bool:
    return any(re.search(rf"(?<![\w']){re.escape(p)}(?!\w)", text) for p in phrases)


def without(text: str, phrases: list[str]) -> str:
    """The text with every listed phrase taken out (longest first), e.g. multi-word fillers."""
    for p in sorted(phrases, key=len, reverse=True):
        text = re.sub(rf"(?<![\w']){re.escape(p)}(?!\w)", " ", text)
    return " ".join(text.split())


@dataclass
class _Scan:
    mentions: list[Mention] = field(default_factory=list)
    shop: str | None = None
    category: str | None = None
    leftovers: list[str] = field(default_factory=list)
    off_menu: str | None = None
    """Unknown words naming an item ("pumpkin spice latte"): something we do not make."""


def _scan(vocab: Vocabulary, tokens: list[str]) -> _Scan:
    out, pending = _Scan(), Mention()
    mentions = out.mentions
    attached = False  # attributes now go to the last item
    shared = False  # after "both" / "all": attributes go to every item
    qualifiers: list[str] = []  # unknown words right before the next token
    i = 0
    while i < len(tokens):
        token = tokens[i]
        found = vocab.lookup(tokens, i)
        if token.isdigit():
            found = None if i and tokens[i - 1] in ("order", "number") else (1, "number", int(token))
        if found is None:
            if token in SEPARATORS:
                attached = False
            elif token in ("both", "all", "each") and mentions:
                shared = True
            elif token in vocab.words("hot") or token in vocab.words("iced"):
                for target in _targets(mentions, pending, attached, shared):
                    target.temperature = "iced" if token in vocab.words("iced") else "hot"
            elif token not in vocab.words("function") and not token.isdigit():
                out.leftovers.append(token)
                if token not in vocab.words("fillers"):
                    qualifiers.append(token)
                    i += 1
                    continue
            qualifiers = []
            i += 1
            continue
        width, kind, value = found
        if kind == "item" and qualifiers and out.off_menu is None:
            out.off_menu = " ".join([*qualifiers, *tokens[i:i + width]])
        qualifiers = []
        if kind == "item":
            pending.item_id, attached = value, True
            mentions.append(pending)
            pending = Mention()
        elif kind in ("shop", "category"):
            setattr(out, kind, value)
        elif kind == "number":
            before_separator = i + 1 < len(tokens) and tokens[i + 1] in SEPARATORS
            if attached and mentions and mentions[-1].quantity is None and before_separator:  # "latte x2 and …"
                mentions[-1].quantity = value
            else:
                attached, pending.quantity = False, value
        else:
            for target in _targets(mentions, pending, attached, shared):
                if kind == "extra":
                    target.extras.append(value)
                else:
                    setattr(target, kind, value)
        i += width
    if pending.has_attributes():
        if mentions:
            _merge(mentions[-1], pending)
        else:
            mentions.append(pending)
    return out


def _targets(mentions: list[Mention], pending: Mention, attached: bool, shared: bool) -> list[Mention]:
    if shared and mentions:
        return mentions
    return [mentions[-1] if attached and mentions else pending]


def _merge(into: Mention, extra: Mention) -> None:
    into.quantity = into.quantity or extra.quantity
    into.size, into.milk = into.size or extra.size, into.milk or extra.milk
    into.temperature = into.temperature or extra.temperature
    into.extras += extra.extras


def parse(vocab: Vocabulary, text: str) -> Parse:
    words = " ".join(tokenize(text))
    scan = _scan(vocab, tokenize(text))
    mentions, leftovers = scan.mentions, scan.leftovers
    order_id = next((int(m) for m in re.findall(r"(?:order|#|number)\s*#?\s*(\d+)", words + " " + text.lower())), None)
    base = {"mentions": mentions, "shop": scan.shop, "order_id": order_id, "category": scan.category}
    w = vocab.words
    if has(words, vocab.lexicon.manipulation["phrases"]):
        return Parse(Intent.MANIPULATION, order_id=order_id)
    if has(words, vocab.lexicon.out_of_scope["phrases"]):
        return Parse(Intent.OUT_OF_SCOPE)
    if has(words, w("cancel_order")) and not has(words, ["cancel the"]) or (has(words, ["cancel"]) and order_id):
        return Parse(Intent.CANCEL, order_id=order_id)
    if has(words, w("status")):
        return Parse(Intent.STATUS, **base)
    state = next((s for word, s in STATES.items() if has(words, [word])), None)
    if order_id and state and has(words, ["mark", "move", "set", "advance", "to", "as", "has been", "start", "now"]):
        return Parse(Intent.ADVANCE, to_state=state, **base)
    if has(words, ["stock", "inventory", "restock", "do we have", "running low", "left in"]):
        return Parse(Intent.STOCK, **base)
    question = words.startswith(QUESTION_START) or text.strip().endswith("?")
    topic = _menu_topic(vocab, words, question, mentions, scan.category)
    if topic and (question or topic == "price" or not mentions):
        return Parse(Intent.MENU, topic=topic, **base)
    if has(words, w("remove")) and any(m.item_id for m in mentions):
        return Parse(Intent.REMOVE, **base)
    items = [m for m in mentions if m.item_id]
    if scan.off_menu:
        return Parse(Intent.UNKNOWN, unknown=scan.off_menu, **base)
    every = has(words, ["both", "all of them", "them all", "make them", "all", "each"])
    if every and len(items) > 1:
        return Parse(Intent.ORDER, **base)
    if (has(words, w("change")) or every) and mentions:
        return Parse(Intent.MODIFY, every_line=every, **base)
    if any(m.item_id for m in mentions):
        return Parse(Intent.ORDER, **base)
    return _short_answers(vocab, words, base, leftovers)


def _menu_topic(vocab: Vocabulary, words: str, question: bool, mentions: list[Mention], category: str | None
                ) -> str | None:
    for topic in ("milks", "caffeine", "vegan", "allergen", "price", "list"):
        if has(words, vocab.words(f"menu_{topic}")):
            return topic
    if question and any(m.milk for m in mentions) and not any(m.item_id for m in mentions):
        return "milks"
    return "list" if question and category else None


def _short_answers(vocab: Vocabulary, words: str, base: dict, leftovers: list[str]) -> Parse:
    w = vocab.words
    bare = without(words, [f for f in w("fillers") if f not in w("confirm")])
    if has(words, w("done")):
        return Parse(Intent.DONE, **base)
    if bare and any(bare == p or bare.startswith(p + " ") for p in w("deny")):
        return Parse(Intent.DENY, **base)
    if bare and any(bare == p or bare.startswith(p + " ") for p in w("confirm")):
        return Parse(Intent.CONFIRM, **base)
    content = [t for t in without(" ".join(leftovers), w("fillers")).split() if t not in w("fillers")]
    if content and not base["shop"]:
        return Parse(Intent.UNKNOWN, unknown=" ".join(content), **base)
    if base["mentions"] or base["shop"]:
        return Parse(Intent.MODIFY, **base)
    if not content and has(words, w("fillers")):
        return Parse(Intent.GREETING, **base)
    return Parse(Intent.UNKNOWN, unknown=" ".join(content) or None, **base)
