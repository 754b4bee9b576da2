"""Scan an utterance's tokens into item mentions, a shop and a category.

Attributes (quantity, size, milk, extras, hot/iced) before an item belong to it; after an item they belong to
it until a separator ("and", ",", "plus") or the next quantity; leftovers at the end go to the last item.
After "both" / "all", attributes go to every item. Unknown words right before an item name something off
the menu ("pumpkin spice latte").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from graph.offline.groups import grouped, spelled_out
from graph.offline.mention import SEPARATORS, Mention
from graph.offline.neighbours import (
    aimed,
    alone,
    before_of,
    denied,
    kind_again,
    measures,
    not_ordered,
    of_those,
    phrase_at,
    replaced,
    said_before,
    sizes_something_else,
)
from graph.offline.refer import named_in_part, reordered, spoken
from graph.offline.vocab import Vocabulary


def order_number(text: str) -> int | None:
    """The number said after "order", "number" or "#" ("order 12", "order #12", "#12")."""
    lower = text.lower()
    found = re.search(r"(?:order|#|number)\s*#?\s*(\d+)", " ".join(tokenize(lower)) + " " + lower)
    return int(found[1]) if found else None


@lru_cache(maxsize=8192)
def _word(phrase: str) -> re.Pattern[str]:
    """The phrase as whole words (compiled once: the engine's phrases outnumber `re`'s own cache of 512)."""
    return re.compile(rf"(?<![\w']){re.escape(phrase)}(?!\w)")


def has(text: str, phrases: list[str]) -> bool:
    return any(_word(p).search(text) for p in phrases)


def without(text: str, phrases: list[str]) -> str:
    """The text with every listed phrase taken out (longest first), e.g. multi-word fillers."""
    for p in sorted(phrases, key=len, reverse=True):
        text = _word(p).sub(" ", text)
    return " ".join(text.split())


APOSTROPHE_LESS = re.compile(r"\b(that|what|there|who|where|here)(s)\b|\b(?:(don|can|won|isn|aren|didn|doesn|wasn)(t)"
                             r"|(i)(m))\b")


def fold(text: str) -> str:
    """Without accents: "Chloé" is said "Chloe"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def tokenize(text: str) -> list[str]:
    text = re.sub(r"([a-z])\1{2,}", r"\1", text.lower().replace("’", "'"))  # "yesss", "lets gooo"
    text = re.sub(r"\bx\s?(\d+)\b|\b(\d+)\s?x\b", lambda m: f" {m.group(1) or m.group(2)} ", text)
    text = APOSTROPHE_LESS.sub(lambda m: "'".join(g for g in m.groups() if g), text)  # "thats it", "dont"
    text = re.sub(r"(?<=[a-z]) (?:n|'n'|'n) (?=[a-z])", " and ", text)  # "egg n cheese"
    text = re.sub(r"\bw/\s*|\bw\b(?!')", "with ", text)  # "one w/ skim", "one w oat"
    text = re.sub(r"(?:^|(?<=[\s,]))\d+\)\s|\bitem (?:one|two|three|four|five|six|\d+)\s*:", " , ", text)
    # "1) americano x2 2) …", "Item one: latte.": list numbers, not counts ("remove item one." is a line)
    text = re.sub(r"\s\+\s*|\s*\+\s", " plus ", text)  # "egg n cheese sandwich + med cappuccino"
    text = re.sub(r"\s[—–-]+\s|[—–/\n:;]", " , ", text)  # "two large chai lattes — no, two medium", "2 lattes / 1 mocha"
    text = re.sub(r"\bsize\s+(?=(?:small|medium|large)\b)|\bquantity\s+(?=\w)", "", text)  # "mocha, size medium",
    # "cookie, quantity two"
    return re.findall(r"\d+|[a-z][a-z'\-]*|,|&", text)


@dataclass
class Scan:
    mentions: list[Mention] = field(default_factory=list)
    shop: str | None = None
    category: str | None = None
    leftovers: list[str] = field(default_factory=list)
    off_menu: str | None = None
    """Unknown words naming an item ("pumpkin spice latte"): something we do not make."""
    off_menu_item: str | None = None
    """The item those words were said with ("latte")."""


def scan(vocab: Vocabulary, tokens: list[str]) -> Scan:
    tokens = reordered(vocab, named_in_part(vocab, spoken(vocab, tokens)))
    out, pending = Scan(), Mention()
    mentions = out.mentions
    attached = False  # attributes now go to the last item
    shared = False  # after "both" / "all": attributes go to every item
    qualifiers: list[str] = []  # unknown words right before the next token
    correcting = False  # after "I mean" / "sorry": the next item or attribute replaces the one said before
    since_item: list[tuple[str, object]] = []  # attributes said after the last item
    i = 0
    while i < len(tokens):
        token = tokens[i]
        marker = _correction(vocab, tokens, i)
        if marker:  # with nothing said before, "sorry, I meant …" only leads in
            correcting, attached, i = bool(mentions), bool(mentions), i + marker
            continue
        found = vocab.lookup(tokens, i)
        if token.isdigit():
            found = None if i and tokens[i - 1] in ("order", "number") else (1, "number", int(token))
        if found and found[1] == "number" and i and tokens[i - 1] in vocab.skill("orders")["numbered"] + vocab.skill(
                "orders")["bounds"]:
            found = None  # "item one", "line 2": which line, not how many; "under ten": how much
        if found is None:
            if token in SEPARATORS:
                # "with skim, sorry, with oat" and "with oat and vanilla syrup": still the latte
                attached = attached and (correcting or _attribute_next(vocab, tokens, i + 1) or alone(vocab, tokens, i + 1))
                pending = _split_off(mentions, pending)  # "… one almond one oat, and a chai": the units end here
            elif token in ("both", "all", "each") and mentions:
                shared = True
                for target in mentions:  # "… , oat milk in both": what was said of the last one is for all
                    for kind, value in since_item:
                        _set(target, kind, value)
                    _merge_attributes(target, pending)
                pending = Mention(quantity=pending.quantity)
            elif pending.has_attributes() and not pending.item_id and grouped(vocab, token, pending):
                mentions.append(pending)  # "two oat milk drinks: …", "two smalls - …": spelled out below
                pending, attached = Mention(), True
            elif token in vocab.skill("orders")["hot"] or token in vocab.skill("orders")["iced"]:
                for target in _targets(mentions, pending, attached, shared):
                    target.temperature = "iced" if token in vocab.skill("orders")["iced"] else "hot"
            elif token not in vocab.words("function") and not token.isdigit():
                if pending.quantity and pending == Mention(quantity=pending.quantity) and counts(
                        vocab, tokens, before_of(tokens, i - 1)) and not phrase_at(
                        tokens, i, vocab.words("fillers")):  # "in Lisbon for two weeks", "one of the attendees": a
                    pending = Mention()  # count of something we do not sell ("three after all" is not one)
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
            out.off_menu, out.off_menu_item = " ".join([*qualifiers, *tokens[i:i + width]]), str(value)
        qualifiers = []
        if kind == "item" and pending.quantity and tokens[max(0, i - 2):i] == ["of", "the"] and mentions and (
                mentions[-1].item_id == value):  # "2 lattes, one of the lattes with almond milk": some of those
            i += width
            continue
        if kind == "item" and (tokens[max(0, i - 2):i] in (["nothing", "with"], ["anything", "without"]) or not_ordered(
                tokens, i, width, bool(pending.quantity))):
            i += width  # "nothing with coffee in it": what is not wanted
            continue
        if kind == "size" and ((denied(vocab, tokens, i) and not correcting) or measures(vocab, tokens, i, width)
                               or replaced(vocab, tokens, i) or sizes_something_else(vocab, tokens, i, width)):
            i += width  # "I can't manage a big cup": not the size wanted
            continue
        if (kind == "item" and (named := _named_again(vocab, tokens, i, mentions, value, pending))) or (
                kind == "choice" and (named := kind_again(tokens, i, mentions, value))):
            _merge_attributes(named, pending)  # "an americano and a latte, almond milk in the latte"
            mentions.remove(named)
            mentions.append(named)  # what is said next is of this one ("… both with oat. matcha large, chai small")
            pending, attached, shared, since_item = Mention(), True, False, []
            i += width
            continue
        if kind in ("item", "choice"):
            since_item = []
            if correcting and mentions:  # "an iced chai latte, er, actually an iced matcha latte"
                dropped = mentions.pop()
                pending.quantity = pending.quantity or dropped.quantity
            correcting = False
            if kind == "item":
                pending.item_id = value
            else:
                pending.choices, out.category = value
            attached = True
            mentions.append(pending)
            pending = Mention()
        elif kind in ("shop", "category"):
            setattr(out, kind, value)
        elif kind == "number" and shared and tokens[i - 1] in ("all", "the"):
            pass  # "a latte and a mocha, all three with soy": which ones, not how many
        elif kind == "number":
            ends = i + 1 == len(tokens) or tokens[i + 1] in SEPARATORS or tokens[i + 1] == "with"
            if correcting and mentions and _same_one(vocab, tokens, i + width):
                i += width  # "a small cappuccino, no wait, a large one": the same cappuccino, large
                continue
            if correcting and mentions:
                correcting = not _recount(mentions, value, ends)  # "two espressos, or actually three"
                if not correcting:
                    i += width
                    continue
            if mentions and mentions[-1].item_id and of_those(tokens, i):  # "a babyccino sounds perfect. two of those"
                mentions[-1].quantity = value
                i += width + 2
                continue
            if attached and mentions and mentions[-1].quantity is None and ends:  # "latte x2 and …", "latte x1 w/ …"
                mentions[-1].quantity = value
            else:
                pending = _split_off(mentions, pending)
                attached, pending.quantity = False, value
        elif kind == "extra" and (_negated(vocab, tokens, i) or replaced(vocab, tokens, i)):  # "no whip", "hold the
            # syrup", "vanilla instead of caramel"
            for target in _targets(mentions, pending, attached, shared):
                target.without += [str(value)]
        elif kind == "milk" and replaced(vocab, tokens, i):
            pass  # "almond instead of oat": the milk that goes
        else:
            named = aimed(vocab, tokens, i + width, mentions)  # "oat on the cortado"
            for target in [named] if named else _targets(mentions, pending, attached, shared):
                if correcting and kind == "extra" and target.extras:
                    target.extras.pop()  # "with vanilla, wait, caramel syrup"
                _set(target, kind, value)  # after a correction this replaces the earlier value
            since_item += [(kind, value)] if attached else []
            correcting = correcting and not attached  # "two lattes, no, one large mocha"
        i += width
    pending = _split_off(mentions, pending)
    if pending.has_attributes():
        if mentions and not _units_of_the_cart(mentions, pending):
            _merge(mentions[-1], pending)
        else:
            mentions.append(pending)
    out.mentions[:] = spelled_out(out.mentions)
    return out


def counts(vocab: Vocabulary, tokens: list[str], i: int) -> bool:
    """Whether the token at `i` is a number."""
    found = vocab.lookup(tokens, i) if i >= 0 else None
    return tokens[i].isdigit() if i >= 0 and tokens[i].isdigit() else found is not None and found[1] == "number"


def _attribute_next(vocab: Vocabulary, tokens: list[str], i: int) -> bool:
    found = vocab.lookup(tokens, i) if i < len(tokens) and tokens[i - 1] == "and" else None
    return found is not None and found[1] in ("milk", "extra")


def _negated(vocab: Vocabulary, tokens: list[str], i: int) -> bool:
    before = [t for t in tokens[max(0, i - 2):i] if t != "the"]
    return bool(before) and before[-1] in vocab.skill("orders")["without"]


def _named_again(vocab: Vocabulary, tokens: list[str], i: int, mentions: list[Mention], item: object,
                 pending: Mention) -> Mention | None:
    """The item said before in this sentence, named again with no count ("the latte", "matcha large" after an iced
    matcha latte): the same one, not another."""
    if pending.quantity or (i and tokens[i - 1] in vocab.skill("orders")["new_one"]):
        return None
    again = next((m for m in reversed(mentions) if m.item_id in (item, f"iced_{item}")), None)
    definite = bool(i) and tokens[i - 1] in ("the", "that", "my")
    return again or (said_before(vocab, mentions, str(item)) if definite else None)


def _merge_attributes(into: Mention, said: Mention) -> None:
    into.size, into.milk = said.size or into.size, said.milk or into.milk
    into.temperature = said.temperature or into.temperature
    into.extras += [e for e in said.extras if e not in into.extras]


def _set(target: Mention, kind: str, value: object) -> None:
    if kind == "extra":
        target.extras += [] if value in target.extras else [str(value)]
    else:
        setattr(target, kind, value)


def _same_one(vocab: Vocabulary, tokens: list[str], j: int) -> bool:
    """A size or milk, then "one", at `j` ("… a large one"): the item just said, told again."""
    found = vocab.lookup(tokens, j) if j < len(tokens) else None
    return bool(found and found[1] in ("size", "milk") and tokens[j + found[0]:j + found[0] + 1] == ["one"])


def _same_kind_again(vocab: Vocabulary, tokens: list[str], j: int) -> bool:
    """Only a size at `j`, to the end of the clause."""
    found = vocab.lookup(tokens, j) if j < len(tokens) else None
    return bool(found and found[1] == "size" and tokens[j + found[0]:j + found[0] + 1] in ([], [","], ["please"]))


def _recount(mentions: list[Mention], count: int, alone: bool) -> bool:
    """A count said as a correction: alone, it replaces the last item's count ("two espressos, or actually three");
    before more words, it takes back the units just split off ("two with caramel, no, just one with caramel").
    Whether the count was used up here."""
    last = mentions[-1]
    if last.part_of_group:
        whole = next((m for m in reversed(mentions[:-1]) if m.item_id == last.item_id and not m.part_of_group), None)
        if whole:
            whole.quantity = (whole.quantity or 1) + (last.quantity or 1)
            mentions.pop()
        return False
    if alone and last.item_id:
        last.quantity = count
        return True
    return False


def _correction(vocab: Vocabulary, tokens: list[str], i: int) -> int:
    """How many tokens a correction marker ("I mean", "sorry") at `i` spans, or 0."""
    if tokens[i] == "no" and 0 < i < len(tokens) - 1 and tokens[i - 1] == "," and tokens[i + 1] == ",":
        return 1  # "two with caramel, no, just one"
    if tokens[i] == "no" and i and tokens[i - 1] == "," and _same_kind_again(vocab, tokens, i + 1):
        return 1  # "sm americano, no md"
    if tokens[i] == "actually" and i and (tokens[i - 1] in ("and", "but", "oh", "so", "hmm") or "no" in tokens[
            max(0, i - 4):i]):
        return 0  # "take the muffin off, and actually only one croissant", "no banana bread actually": not instead
    for phrase in vocab.skill("orders")["corrections"]:
        words = phrase.split()
        if tokens[i:i + len(words)] == words:
            return len(words)
    return 0


def _split_off(mentions: list[Mention], part: Mention) -> Mention:
    """ "two lattes, one with oat": some units of the last item get their own line with what is said of them;
    the rest keep the item's own attributes. Returns the mention to go on filling."""
    last = next((m for m in reversed(mentions) if not m.part_of_group), None)
    differs = any([part.size, part.milk, part.extras, part.temperature])
    if part.quantity and differs and not part.item_id and not any(m.item_id or m.choices for m in mentions):
        mentions.append(part)  # "one of them with oat, the other with skim": units of what is in the cart
        return Mention()
    if not (last and last.item_id and part.quantity and differs and not part.item_id
            and mentions[-1].item_id == last.item_id and (last.quantity or 1) >= part.quantity):
        return part
    if (last.quantity or 1) == part.quantity:  # "… one almond one oat": the last units are the rest
        if last is mentions[-1]:
            return part
        _merge_attributes(last, part)
        return Mention()
    last.quantity = (last.quantity or 1) - part.quantity
    mentions.append(Mention(last.item_id, part.quantity, part.size or last.size, part.milk or last.milk,
                            [*last.extras, *part.extras], part.temperature or last.temperature, part_of_group=True))
    return Mention()


def _targets(mentions: list[Mention], pending: Mention, attached: bool, shared: bool) -> list[Mention]:
    if shared and mentions:
        return mentions
    return [mentions[-1] if attached and mentions else pending]


def _units_of_the_cart(mentions: list[Mention], rest: Mention) -> bool:
    """ "one of them with oat, the other with skim": the rest of the units, with another value of the same kind."""
    last = mentions[-1]
    return not any(m.item_id or m.choices for m in mentions) and bool(last.quantity) and bool(
        (last.milk and rest.milk) or (last.size and rest.size))


def _merge(into: Mention, extra: Mention) -> None:
    into.quantity = into.quantity or extra.quantity
    into.size, into.milk = into.size or extra.size, into.milk or extra.milk
    into.temperature = into.temperature or extra.temperature
    into.extras += [e for e in extra.extras if e not in into.extras]


QUESTION_START = ("what", "what's", "whats", "which", "how", "is", "are", "does", "do you", "do they", "do we", "do i ",
                  "do u ", "can", "any", "tell me")


def is_question(text: str, words: str) -> bool:
    """Whether the text asks (a question word first, or a question mark)."""
    if re.match(r"do (?:the|that|this|my|it) ", words):  # "do the latte with normal milk instead" asks for it
        return "?" in text or bool(re.search(r"\b(?:have|come|contain|taste|cost)\b", words))
    return words.startswith(QUESTION_START) or "?" in text
