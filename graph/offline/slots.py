"""Typed slot readers: a capability field's value from a person's words, chosen by what the field names
(`tools.fields.Slot`, or the values of a `Literal` field), with the form the value is said back in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal, get_args, get_origin

from pydantic.fields import FieldInfo

from graph.offline.refund_parse import amount_cents
from graph.offline.scan import fold, order_number, tokenize
from graph.offline.title import title
from graph.offline.units import quantities
from graph.offline.vocab import Vocabulary
from graph.offline.when import read_date, read_minutes, read_times
from tools.fields import Slot
from tools.registry import Talk


@dataclass(frozen=True)
class Found:
    value: Any
    shown: str


@dataclass(frozen=True)
class Heard:
    """One utterance, as the readers need it."""

    text: str
    vocab: Vocabulary
    today: date

    @property
    def tokens(self) -> list[str]:
        return tokenize(self.text)


def slot_of(info: FieldInfo) -> Slot | None:
    """What the field names: its own metadata, or an optional field's (`ShopRef | None` keeps it inside)."""
    inner = [m for a in get_args(info.annotation) for m in getattr(a, "__metadata__", ())]
    return next((m for m in [*info.metadata, *inner] if isinstance(m, Slot)), None)


def choices_of(info: FieldInfo) -> tuple[str, ...]:
    """The values of a `Literal[...]` field (optional or not), else ()."""
    kinds = [info.annotation, *get_args(info.annotation)]
    return next((tuple(get_args(k)) for k in kinds if get_origin(k) is Literal), ())


def read(info: FieldInfo, heard: Heard, talk: Talk, args: dict[str, Any], before: Any = None) -> Found | None:
    """The field's value in `heard`, or None if the words do not name one; `before` is its value so far (a
    correction "sorry, 3 litres" keeps a removal a removal)."""
    options = choices_of(info)
    if options:
        return _choice(heard, options, talk)
    slot = slot_of(info)
    if slot is None:
        return None
    heard = _narrowed(heard, slot)
    if slot.kind == "amount":
        unit = heard.vocab.menu.units.get(args.get(slot.unit_of or "", ""), "pc")
        found = amount(heard, unit, talk.negative)
        if found and found.value > 0 and isinstance(before, int) and before < 0:
            return Found(-found.value, f"{-found.value:+,} {unit}")
        return found
    if slot.kind in ("title", "message"):  # a message keeps its days and times: they are what it says
        words = title(heard.text, heard.vocab, talk, when=slot.kind == "title")
        return Found(words, words) if words else None
    reader = READERS.get(slot.kind)
    return reader(heard) if reader else None


def _narrowed(heard: Heard, slot: Slot) -> Heard:
    """The words a positional slot reads: after its marker word (the last one said), or before it (the first)."""
    text = f" {heard.text.lower()} "
    if slot.after:
        cut = text.rfind(f" {slot.after} ")
        return replace(heard, text=text[cut + len(slot.after) + 2:] if cut >= 0 else "")
    if slot.before:
        cut = text.find(f" {slot.before} ")
        return replace(heard, text=text[:cut] if cut >= 0 else text)
    return heard


def _choice(heard: Heard, options: tuple[str, ...], talk: Talk) -> Found | None:
    words = " ".join(heard.tokens)
    hits = {o for o in options for w in talk.values.get(o, (o,)) if re.search(rf"\b{re.escape(w)}\b", words)}
    return Found(hits.pop(), "") if len(hits) == 1 else None


def shop(heard: Heard) -> Found | None:
    tokens = [t.removesuffix("'s") for t in heard.tokens]  # "downtown's order"
    for start in range(len(tokens)):
        hit = heard.vocab.lookup(tokens, start)
        if hit and hit[1] == "shop":
            return Found(hit[2], heard.vocab.menu.shops[hit[2]])
    return None


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def ingredient(heard: Heard) -> Found | None:
    """The ingredient whose name's words the text says most of (on a tie, one whose id is said whole: "croissants"
    is the croissant, not the almond croissant); None when that is not one ingredient."""
    said = {_stem(w) for w in heard.tokens}
    names = heard.vocab.menu.ingredients
    scores = {i: 2 * sum(_stem(w) in said for w in f"{n} {i.replace('_', ' ')}".lower().split())
              + all(_stem(w) in said for w in i.split("_")) for i, n in names.items()}
    best = max(scores.values(), default=0)
    winners = [i for i, s in scores.items() if s == best]
    if not best or len(winners) != 1:
        return None
    return Found(winners[0], names[winners[0]])


def product(heard: Heard) -> Found | None:
    """A menu item whose whole name is said (the longest such: "vanilla latte" over "latte"), else an ingredient."""
    said = {_stem(w) for w in heard.tokens}
    named = [(len(n.split()), i, n) for i, n in heard.vocab.menu.items.items()
             if all(_stem(w) in said for w in n.lower().split())]
    if named:
        _, item_id, name = max(named)
        return Found(item_id, name)
    return ingredient(heard)


def _amount_said(value: int, unit: str, signed: bool) -> str:
    """"+2,000 ml" where an amount may be a removal, else "2,000 ml" (pieces: "3")."""
    figure = f"{value:+,}" if signed else f"{value:,}"
    return figure if unit == "pc" and not signed else f"{figure} {unit}"


def amount(heard: Heard, unit: str, negative: tuple[str, ...] = ()) -> Found | None:
    """A quantity in `unit` ("5 litres" is 5000 ml); negative when a removal word is said ("wasted 2 l")."""
    words = " ".join(heard.tokens)
    sign = -1 if any(re.search(rf"\b{re.escape(w)}\b", words) for w in negative) else 1
    numbers = heard.vocab.lexicon.numbers
    digits = re.sub(r"[a-z][a-z-]*", lambda m: str(numbers.get(m[0], m[0])), heard.text.lower())  # "twelve litres"
    for figure, said, factor in quantities(digits):
        if (said or unit) == unit:  # a bare number is in the ingredient's own unit
            value = int(figure * factor) * sign
            return Found(value, _amount_said(value, unit, bool(negative)))
    number = next((n for t in heard.tokens if (n := heard.vocab.lexicon.numbers.get(t))), None)
    return Found(sign * number, _amount_said(sign * number, unit, bool(negative))) if number else None


def order(heard: Heard) -> Found | None:
    """An order number ("order 12", "#12"), or the one number said ("12 is ready")."""
    numbers = re.findall(r"\b\d+\b", heard.text)
    value = order_number(heard.text) or (int(numbers[0]) if len(numbers) == 1 else None)
    return Found(value, str(value)) if value else None


def person(heard: Heard) -> Found | None:
    said = {t.removesuffix("'s") for t in tokenize(fold(heard.text))}  # "Anna's Tuesday shift"
    hits = [(pid, name) for pid, name in heard.vocab.menu.people.items() if fold(name).lower().split()[0] in said]
    return Found(*hits[0]) if len(hits) == 1 else None


def number(heard: Heard) -> Found | None:
    """The one number said ("task 4 is done", "#4")."""
    numbers = re.findall(r"\b\d+\b", heard.text)
    return Found(int(numbers[0]), numbers[0]) if len(numbers) == 1 else None


def money(heard: Heard) -> Found | None:
    cents = amount_cents(heard.text)
    return Found(cents, f"${cents / 100:.2f}") if cents is not None else None


def _date(heard: Heard) -> Found | None:
    day = read_date(heard.text, heard.today)
    return Found(day, day.strftime("%a %-d %b")) if day else None


def _time(heard: Heard) -> Found | None:
    times = read_times(heard.text)
    return Found(times[0], times[0].strftime("%H:%M")) if times else None


def _duration(heard: Heard) -> Found | None:
    minutes = read_minutes(heard.text)
    return Found(minutes, f"{minutes} min") if minutes else None


def _text(heard: Heard) -> Found | None:
    text = heard.text.strip()
    return Found(text, text) if text else None


READERS: dict[str, Callable[[Heard], Found | None]] = {
    "shop": shop, "ingredient": ingredient, "order": order, "person": person, "money": money, "date": _date,
    "time": _time, "duration": _duration, "text": _text, "number": number, "product": product,
}
