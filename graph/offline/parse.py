"""The orders skill's reading of one utterance: what it does to the cart (order, change, remove, yes, no…) with the
items it mentions. Deterministic: the same text always parses the same. Other skills read their own requests
(money_parse, kitchen_parse, the frames' slots); the short answers here (yes, no, unsure) serve them all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial

from graph.offline.asking import aside, asked_sentence, menu_topic, requesting, without_questions
from graph.offline.clauses import (
    AMOUNTS,
    negated_item,
    off_menu_name,
    recounted_to,
    removes,
    removes_in_a_sentence,
    same_again,
    sentences_of,
    without_asides,
    without_first,
    without_heading,
)
from graph.offline.groups import rest_as_one
from graph.offline.kitchen_parse import without_machines
from graph.offline.mention import Mention
from graph.offline.people import as_people, counted
from graph.offline.refer import of_its_kind
from graph.offline.scan import counts, has, is_question, order_number, scan, tokenize, without
from graph.offline.vocab import Vocabulary, plural_of
from graph.offline.yes_no import after, leads, says_yes, takes_back

__all__ = ["SHORT", "Intent", "Mention", "Parse", "parse", "says_yes", "tokenize"]


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
    MANIPULATION = "manipulation"
    OUT_OF_SCOPE = "out_of_scope"
    GREETING = "greeting"
    UNKNOWN = "unknown"
    UNSURE = "unsure"


@dataclass
class Parse:
    intent: Intent
    mentions: list[Mention] = field(default_factory=list)
    shop: str | None = None
    order_id: int | None = None
    topic: str | None = None
    unknown: str | None = None
    every_line: bool = False
    category: str | None = None
    replaces: list[Mention] = field(default_factory=list)
    """Items the customer takes back in the same breath ("I'll skip the bagel. An avocado toast then.")."""
    keeps_count: bool = False
    """The new item takes the count of the one it replaces ("make the americanos cold brews")."""


SHORT = frozenset({"confirm", "deny", "unsure", "unknown", "greeting", "done"})
"""Answers that are no request of their own."""


def parse(vocab: Vocabulary, text: str, staff: bool = False) -> Parse:
    """What the text asks; `staff`: machine names are not quantities, and staff may say some words a customer may
    not (the task manager's turns).

    Several sentences are read one by one first: a removal belongs to its own sentence ("OK, forget the name.
    Just the latte." removes nothing; "I'll skip the bagel. An avocado toast then." swaps one for the other)."""
    text = text if staff else _read_plainly(vocab, text)
    swapped = None if staff else _swap(vocab, text)
    whole = _parse(vocab, text, staff)
    if swapped and not _units(whole):  # "soy instead of oat in hers, so 2 with oat and 1 with soy": the units say it
        return swapped
    if staff or whole.intent not in (Intent.REMOVE, Intent.ORDER, Intent.MODIFY, Intent.MENU, Intent.UNKNOWN):
        return whole
    return _asked_last(vocab, text, whole) or _taken_back(vocab, text, whole) or whole


def _read_plainly(vocab: Vocabulary, text: str) -> str:
    """The text as the scanner reads it: without questions beside the request, "same but …" and lists of people
    said as items, without asides."""
    for step in (without_questions, same_again, counted, as_people, rest_as_one, without_heading,
                 without_asides):
        text = step(vocab, text)
    return text


def _units(p: Parse) -> bool:
    """Several counts of the cart's units, each with its own attributes ("2 with oat and 1 with soy")."""
    units = [m for m in p.mentions if not (m.item_id or m.choices)]
    return len(units) >= 2 and units == p.mentions and all(m.quantity for m in units)


QUESTION_CLAUSE = re.compile(r",\s*(?=(?:is|are|does|do|how|what|which|will|would)\b[^,]*\?\s*$)", re.IGNORECASE)


def _asked_last(vocab: Vocabulary, text: str, whole: Parse) -> Parse | None:
    """Thinking aloud and a request in one turn: "the whipped cream is dairy, isn't it? No whipped cream then",
    "can I get two americanos, both with a shot? how much does the shot add", "plus a banana bread, is that 3.75?".
    The request is done (the cart's summary then shows the prices asked about)."""
    said = [c for s in sentences_of(text) for c in QUESTION_CLAUSE.split(s) if c.strip()]
    if len(said) < 2 or whole.intent not in (Intent.MENU, Intent.UNKNOWN):
        return None
    for sentence in reversed(said):
        if is_question(sentence, " ".join(tokenize(sentence))) and not requesting(vocab, sentence):
            continue
        request = _parse(vocab, sentence)
        if len([m for m in request.mentions if m.item_id]) > 1 and has(" ".join(tokenize(sentence)), ["or"]):
            return None  # "caramel macchiato or a latte with caramel syrup, what's the difference?": weighed, not asked
            # for
        if request.intent in (Intent.ORDER, Intent.MODIFY, Intent.REMOVE) and not request.unknown:
            return request
    return None


def _taken_back(vocab: Vocabulary, text: str, whole: Parse) -> Parse | None:
    """A removal in its own sentence, or its own clause, beside an order: "I'll skip the bagel. An avocado toast
    then." and "drop the croissants, let's do six muffins" swap; "OK, forget the name. Just the latte." removes
    nothing."""
    if whole.intent not in (Intent.REMOVE, Intent.ORDER, Intent.MODIFY):
        return None
    sentences = [s for s in re.split(r"(?<=[.!;])\s+", text.strip()) if s.strip()]
    clauses = len(sentences) < 2 and whole.intent == Intent.REMOVE
    if clauses:
        sentences = [c for c in re.split(r",\s*", text.strip()) if c.strip()]
    if len(sentences) < 2:
        return None
    removals = [s for s in sentences if has(" ".join(tokenize(s)), vocab.skill("orders")["remove"]) or negated_item(
        vocab, " ".join(tokenize(s)), scan(vocab, tokenize(s)).mentions)]  # "no hot chocolate, a mocha instead"
    kept = [s for s in sentences if s not in removals]
    if not removals or not kept:
        return None
    taken = [m for s in removals for m in scan(vocab, tokenize(s)).mentions if m.item_id or m.choices]
    rest = _parse(vocab, " ".join(kept))
    kept_words = " ".join(tokenize(" ".join(kept)))
    if clauses and taken and (kept_words.startswith(tuple(vocab.skill("orders")["only_these"])) or has(
            kept_words, vocab.skill("orders")["enough"])):  # "skip the muffin, the banana bread is enough"
        return Parse(Intent.REMOVE, mentions=taken)  # "take off the latte, just the toast": the toast stays
    if clauses and not (any(m.quantity for m in rest.mentions) or has(kept_words, vocab.skill("orders")["adding"])):
        return None  # "remove the latte, and the muffin": both go
    if rest.intent == Intent.MODIFY and taken and any(m.item_id for m in rest.mentions) and has(
            kept_words, vocab.skill("orders")["adding"]):
        rest.intent = Intent.ORDER  # "…, give me a mocha instead": the item said is the order
    if rest.intent != Intent.ORDER:
        return None if taken else rest
    rest.replaces = taken
    return rest




SWAPS = re.compile(r"\b(?:instead of|rather than|in place of|not)\b")
EXCHANGES = re.compile(r"\b(?:swap|switch|change|replace|exchange|trade)\b(?: out)?(?P<taken>.*?)\b(?:for|with|to)\b"
                       r"(?P<wanted>.*)")


def _exchange(vocab: Vocabulary, words: str) -> Parse | None:
    """ "swap the americano for a mocha", "change it to a cappuccino": an order for what comes after, taking back
    what comes before (the cart's item "it" points at: a mention with no item), when the new side names an item."""
    found = EXCHANGES.search(words)
    if not found:
        return None
    wanted = _parse(vocab, found["wanted"])
    said = scan(vocab, tokenize(found["taken"])).mentions
    taken = [m for m in said if m.item_id or m.choices]
    if not taken and not any(m.item_id for m in wanted.mentions) and (
            gone := [e for m in said for e in m.extras]) and (new := [e for m in wanted.mentions for e in m.extras]):
        before = [w for m in scan(vocab, tokenize(words[:found.start()])).mentions for w in m.without]
        return Parse(Intent.MODIFY, mentions=[Mention(extras=new, without=[*before, *gone])])  # "no whip and swap
        # the vanilla for caramel"
    pointer = has(found["taken"], vocab.skill("orders")["cart_refs"] + vocab.skill("orders")["a_drink"]) or bool(
        scan(vocab, tokenize(found["taken"])).category)  # "swap the pastry for …"
    if len(taken) == 1 and taken[0].item_id and not any(m.item_id for m in wanted.mentions) and has(
            found["wanted"], vocab.skill("orders")["plain"]):  # "the chocolate croissant for a plain one"
        wanted = _parse(vocab, vocab.menu.items[taken[0].item_id].split()[-1])
    if wanted.intent not in (Intent.ORDER, Intent.MODIFY) or not any(m.item_id for m in wanted.mentions) or not (
            taken or pointer):
        return None
    return replace(wanted, intent=Intent.ORDER, replaces=taken or [Mention()])


MAKES = re.compile(r"\b(?:make|making|turn|turning)\s+(?P<rest>(?:the|those|these|my|both|all)\b.*)")


POINTED_MAKES = re.compile(r"\b(?:make|making|turn)\s+(?:it|that|this|them|mine)\s+(?:into\s+)?(?P<rest>.*)")


def _made_into(vocab: Vocabulary, words: str) -> Parse | None:
    """ "make the americanos cold brews instead": the cart's item named first becomes the one named after it,
    as many as there were; "make it a cappuccino": the cart's item "it" points at does."""
    pointed = POINTED_MAKES.search(words)
    first = vocab.lookup(pointed["rest"].split(), 0) if pointed and pointed["rest"] else None
    if first and first[1] in ("item", "choice") and pointed and pointed[0].split()[1] in ("that", "this"):
        pointed = None  # "make that coffee a large": "that" is the coffee's, not a pointer
    if pointed and not any(m.item_id or m.choices for m in scan(vocab, tokenize(words[:pointed.start()])).mentions):
        wanted = _parse(vocab, pointed["rest"])  # (after items in the same breath it corrects them instead)
        items = [m for m in wanted.mentions if m.item_id]
        if wanted.intent in (Intent.ORDER, Intent.MODIFY) and items and not any(m.quantity for m in items):
            # "make it two hot chocolates" / "make it 4 drips" is a new count instead
            return replace(wanted, intent=Intent.ORDER, replaces=[Mention()], keeps_count=True)
    found = MAKES.search(words)
    tokens = found["rest"].split() if found else []
    for k in range(2, len(tokens)):
        taken = [m for m in scan(vocab, tokens[:k]).mentions if m.item_id]
        if len(taken) > 1:
            return None
        if not taken or tokens[k] in ("and", ",", "with", "&", "plus"):
            continue
        clause = tokens[k:tokens.index(",", k)] if "," in tokens[k:] else tokens[k:]
        wanted = _parse(vocab, " ".join(clause))
        if wanted.intent in (Intent.ORDER, Intent.MODIFY) and any(m.item_id for m in wanted.mentions):
            return replace(wanted, intent=Intent.ORDER, replaces=taken, keeps_count=True)
    return None


def _swap(vocab: Vocabulary, text: str) -> Parse | None:
    """ "a banana bread instead of the muffin", "I meant a cappuccino, not an americano": an order for what comes
    first, taking back the items named after the swap word (only when both sides name items)."""
    words = " ".join(tokenize(text))
    first = " ".join(tokenize(re.split(r"[.!?;]", text)[0]))
    if exchanged := _exchange(vocab, words) or _made_into(vocab, first):
        return exchanged
    # "I'm not supposed to have nuts. Could I have a plain croissant instead of the almond one?": the swap word
    # that has items on both sides
    said = [" ".join(tokenize(s)) for s in sentences_of(text)]  # (each sentence on its own: "she's off sugar. make
    # hers an americano instead of the macchiato" takes nothing "off")
    return next((swapped for w in said for found in SWAPS.finditer(w) if (swapped := _swapped_at(vocab, w, found))),
                None)


def _swapped_at(vocab: Vocabulary, words: str, found: re.Match[str]) -> Parse | None:
    after, _, rest = words[found.end():].partition(" , ")  # "six cookies, not eight; the coffees are fine": "eight"
    before = words[:found.start()]
    if found[0] != "not" and not scan(vocab, tokenize(before)).mentions:
        after, before = (after, rest) if rest else _first_item_then_rest(vocab, after)  # "instead of the muffin(,)
        # a croissant": what is wanted comes after the first item
    wanted, said = _parse(vocab, before), scan(vocab, tokenize(after)).mentions
    taken = [m for m in said if m.item_id or m.choices]
    extras = [e for m in said for e in m.extras]
    items = [m for m in wanted.mentions if m.item_id or m.choices]
    if not taken and len(items) == 1 and items[0].item_id and (kin := of_its_kind(vocab, after, items[0].item_id)):
        taken, said, extras = [Mention(kin)], [], []
    if not taken and len(items) == 1 and items[0].quantity and after and counts(vocab, after.split(), 0):
        # "we only need six cookies, not eight": a new count
        return replace(wanted, intent=Intent.ORDER, mentions=items)
    recount = next((hit[2] for k in range(len(rest.split())) if (hit := vocab.lookup(rest.split(), k)) and hit[1] ==
                    "number"), None) if found[0] == "not" and not items and len(taken) == 1 else None
    if recount:  # "not three cookies, only two is enough"
        return Parse(Intent.ORDER, mentions=[replace(taken[0], quantity=recount)])
    if not taken and extras and len(items) == 1:
        wanted.mentions[0].without = extras  # "a normal flat white, not decaf"
        return replace(wanted, intent=Intent.ORDER)
    if not taken and extras and not items:  # "a normal one, not decaf", "vanilla instead of caramel": the cart's line
        return Parse(Intent.MODIFY, mentions=[Mention(extras=[e for m in wanted.mentions for e in m.extras],
                                                      without=extras)])
    change = next((m for m in wanted.mentions if m.size or m.milk or m.temperature), None)
    if not items and not taken and change and any(m.size or m.milk or m.temperature for m in said):
        return Parse(Intent.MODIFY, mentions=[change],  # "I meant oat not almond", "hot not iced": the lines
                     replaces=[m for m in said if m.size or m.milk])  # with almond
    if not items or not taken or wanted.intent not in (Intent.ORDER, Intent.MODIFY):
        return None
    wanted.intent = Intent.ORDER
    wanted.replaces = taken
    wanted.keeps_count = len(items) == 1 and not items[0].quantity and _plural(vocab, before,
                                                                               items[0].item_id)
    return wanted


def _first_item_then_rest(vocab: Vocabulary, words: str) -> tuple[str, str]:
    """ "the latte a cappuccino": the words up to the end of the first item named, and the rest."""
    tokens = words.split()
    for k in range(1, len(tokens)):
        if any(m.item_id or m.choices for m in scan(vocab, tokens[:k]).mentions) and any(
                m.item_id or m.choices for m in scan(vocab, tokens[k:]).mentions):
            return " ".join(tokens[:k]), " ".join(tokens[k:])
    return words, ""


def _plural(vocab: Vocabulary, words: str, item_id: str | None) -> bool:
    """ "blueberry muffins instead of the cookies": the item said in the plural, with no count (as many as there
    were)."""
    names = [ph for ph, (kind, v) in vocab.phrases.items() if kind == "item" and v == item_id and not ph.endswith("s")]
    return any(re.search(rf"\b{re.escape(plural_of(n))}\b", words) for n in names)


def _parse(vocab: Vocabulary, text: str, staff: bool = False) -> Parse:
    words = " ".join(tokenize(text))
    scanned = scan(vocab, tokenize(without_machines(text) if staff else AMOUNTS.sub(" ", text)))
    mentions, leftovers = scanned.mentions, scanned.leftovers
    order_id = order_number(text)
    found = partial(Parse, mentions=mentions, shop=scanned.shop, order_id=order_id, category=scanned.category)
    o = vocab.skill("orders")
    allowed = vocab.skill("kitchen")["staff_may_say"] if staff and order_id else []
    if has(words, [m for m in vocab.lexicon.manipulation["phrases"] if m not in allowed]):
        return Parse(Intent.MANIPULATION, order_id=order_id)
    if has(words, vocab.lexicon.out_of_scope["phrases"]) and not aside(vocab, text):
        return Parse(Intent.OUT_OF_SCOPE)
    asking = asked_sentence(vocab, text)
    question = (asking is not None if any(m.item_id for m in mentions) else is_question(text, words)) and not (
        requesting(vocab, asking or text))  # "could I trouble you for almond milk in that?" asks for it
    named_order = re.search(r"\bcancel (?:my|the|this|that) (?:(?!from\b|in\b|on\b|off\b)[a-z']+ ){0,3}order\b", words)
    if (has(words, o["cancel_order"]) and not has(words, ["cancel the"]) or (has(words, ["cancel"]) and order_id)
            or named_order):  # "cancel my mocha order" names an order, not a line
        return Parse(Intent.CANCEL, order_id=order_id)
    if has(words, o["hold_off"]) and not any(m.item_id or m.choices for m in mentions) or (
            has(words, o["give_up"]) and not any(m.item_id or m.choices or m.size or m.milk or m.extras or m.temperature
                                                 or (m.quantity and has(words, o["change"])) for m in mentions)):
        # ("forget it, I'll get one later"; "nvm make it 2" is a new count)
        return found(Intent.DENY)  # "hold off, don't place it": not now, and nothing taken off
    if has(words, o["status"]):
        return found(Intent.STATUS)
    topic = menu_topic(vocab, words, question, mentions, scanned.category, asking or "")
    if topic and (question or topic == "price" or not mentions):
        return found(Intent.MENU, topic=topic)
    if has(words, o["confirm_anywhere"]) and not takes_back(vocab, after(words, o["confirm_anywhere"])) and not any(
            m.item_id or m.choices or m.size or m.milk or m.extras or m.temperature or m.without for m in mentions):
        return found(Intent.CONFIRM)  # "…, I'd be grateful if you could place the order now", "fire it off"
    if recount := recounted_to(vocab, words, mentions):
        return found(Intent.MODIFY, mentions=[recount])
    if has(words, o["remove"]) and any(m.extras for m in mentions):  # "remove the extra shot from the mocha"
        return found(Intent.MODIFY, mentions=[replace(m, extras=[], without=m.extras) for m in mentions])
    if removes(vocab, words, scanned) and removes_in_a_sentence(vocab, text):
        return found(Intent.REMOVE)
    items = [m for m in mentions if m.item_id]
    if scanned.off_menu:  # "a dry cappuccino and a cortado": the cortado, and a word about what we do not make
        rest = without_first(mentions, scanned.off_menu_item)
        if not any(m.item_id or m.choices for m in rest) or is_question(text, words):
            return found(Intent.UNKNOWN, unknown=scanned.off_menu)
        return found(Intent.ORDER, mentions=rest, unknown=scanned.off_menu)
    every = has(words, o["every"])
    if every and len(items) > 1:
        return found(Intent.ORDER)
    if (has(words, o["change"]) or every) and mentions:
        return found(Intent.MODIFY, every_line=every)
    if any(m.item_id or m.choices for m in mentions):
        return found(Intent.ORDER)
    return _short_answers(vocab, text, words, found, leftovers)


def _short_answers(vocab: Vocabulary, text: str, words: str, found: partial[Parse], leftovers: list[str]) -> Parse:
    w, asked = vocab.words, text.strip().endswith("?")
    if any(has(" ".join(tokenize(s)), w("done")) and not s.strip().endswith("?") for s in sentences_of(text)):
        # "how big is that? is it a single or a double?" is not "that is it"
        return found(Intent.DONE)
    if has(words, w("later")):
        return found(Intent.DENY)  # "maybe later": nothing now
    changes = [m for m in found.keywords["mentions"] if m.size or m.milk or m.extras or m.temperature or m.without]
    if has(words, w("unsure")) and not changes:  # "perhaps a little vanilla syrup in it as well" asks for it
        return found(Intent.UNSURE)
    if changes and (requesting(vocab, words) or any(m.without for m in changes)):  # "could I trouble you for
        return found(Intent.MODIFY)  # almond milk in that?", "no whipped cream then"
    recounted = any(m.quantity and not m.item_id for m in found.keywords["mentions"])  # "no, three after all"
    if has(words, vocab.skill("orders")["keep"]) and not changes and not any(
            m.item_id or m.choices for m in found.keywords["mentions"]):  # "hm ok fine keep the shots": as it is,
        # not yet a yes to placing
        return found(Intent.UNSURE, topic="keep")
    if leads(vocab, words, "deny") and not changes and not recounted:  # "no, hot not iced" changes the cart instead
        return found(Intent.DENY)
    if leads(vocab, words, "confirm") and takes_back(vocab, words):  # "looks good, but wait - not yet"
        return found(Intent.UNSURE)
    if leads(vocab, words, "confirm") and not changes:  # "ok, with oat milk then" changes the cart instead
        return found(Intent.UNSURE if asked else Intent.CONFIRM)  # "sure?" asks; it does not agree
    said = sentences_of(text)
    if len(said) > 1 and not found.keywords["mentions"] and says_yes(vocab, said[-1]):
        return found(Intent.CONFIRM)  # "treat yourself, right? 😂 yes that's perfect"
    if has(words, w("thanks")) and not found.keywords["mentions"]:
        return found(Intent.GREETING, topic="thanks")
    spoken = w("fillers") + w("confirm") + w("unsure") + (w("deny") if recounted else [])  # "ok cool, large please":
    # the yes words are not the request
    left = set(leftovers)  # fillers are taken out of the whole text: "how's your day" has a function word in it
    content = [t for t in without(words, spoken).split() if t in left and t not in spoken]
    shop, mentions = found.keywords["shop"], found.keywords["mentions"]
    if content and not shop and (not changes or off_menu_name(vocab, words, content)):
        return found(Intent.UNKNOWN, unknown=" ".join(content))  # else the words around a change are talk:
    # "that's more than I need, go with medium" changes the size
    if mentions or shop:
        return found(Intent.MODIFY)
    if not content and has(words, w("fillers")):
        return found(Intent.GREETING)
    return found(Intent.UNKNOWN, unknown=" ".join(content) or None)
