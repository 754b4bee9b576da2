"""Words for several items at once: "two oat milk drinks: a flat white and a chai latte", "two large teas: a
peppermint and a chamomile", "three cookies with chocolate chips" — a group said first, then spelled out by the
items named after it."""

from __future__ import annotations

import re

from graph.offline.mention import Mention
from graph.offline.vocab import Vocabulary


def grouped(vocab: Vocabulary, token: str, pending: Mention) -> bool:
    """A word for drinks in general ("drinks", "smalls"): the mention becomes a group of every drink that comes in
    sizes, which the items named next spell out."""
    size = vocab.lookup([token.removesuffix("s")], 0) if token.endswith("s") else None
    if token not in vocab.skill("orders")["drink_groups"] and not (size and size[1] == "size"):
        return False
    if size:
        pending.size = str(size[2])
    pending.choices = tuple(i for i, sizes in vocab.menu.sizes.items() if len(sizes) > 1)
    return True


def spelled_out(mentions: list[Mention]) -> list[Mention]:
    """ "two large teas: a peppermint and a chamomile": a word for several items, then the items themselves — the
    items, each with what was said of the group (size, milk, extras, hot or iced); the group word goes."""
    kept: list[Mention] = []
    group: Mention | None = None
    used: list[Mention] = []
    spelled: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.choices and not m.item_id:
            group = m
        elif group is not None and m.item_id in group.choices:
            m.size, m.milk = m.size or group.size, m.milk or group.milk
            m.temperature, m.extras = m.temperature or group.temperature, [*group.extras, *m.extras]
            used.append(group)
            spelled.setdefault(id(group), [group]).append(m)
        else:
            group = None
        kept.append(m)
    for g, *items in spelled.values():  # "three cookies with chocolate chips": one item spells out the count too
        if len(items) == 1:
            items[0].quantity = items[0].quantity or g.quantity
    return [m for m in kept if not any(m is g for g in used)]


def rest_as_one(vocab: Vocabulary, text: str) -> str:
    """ "three flat whites, two of them with an extra shot and the third decaf": after some units split off, "the
    third", "the last one" is the one unit left."""
    split = re.search(r"\bof (?:them|those)\b", text, flags=re.IGNORECASE)
    if not split:
        return text
    said = "|".join(re.escape(w) for w in vocab.skill("orders")["last_unit"])
    rest = re.sub(rf"\bthe (?:{said})(?: one)?\b", "one", text[split.end():], flags=re.IGNORECASE)
    return text[:split.end()] + rest
