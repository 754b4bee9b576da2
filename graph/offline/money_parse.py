"""Money requests in a customer's words: the wallet, paying an order, COFFEE transfers, redeeming points, DAO votes
and proposals.

COFFEE the token shares its name with the drink, so a request is about money only when a money phrase
(lexicon `[money]`) is in it: "send 2 coffee to bob" names an amount and a recipient, "how many coffee do I
have" asks about the wallet, while "a large coffee" stays an order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from graph.offline.scan import has, tokenize, without
from graph.offline.vocab import Vocabulary

NAME = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"


@dataclass(frozen=True)
class MoneyAsk:
    kind: str
    """balance | pay | transfer | redeem | vote | proposals"""
    proposal: int | None = None
    support: str | None = None
    """for | against | abstain"""
    amount: Decimal | None = None
    recipient: str | None = None
    points: int | None = None
    order_id: int | None = None
    method: str | None = None
    """How to pay: stored_value | coffee | card"""
    subject: str | None = None
    """A vote's proposal named by what it is about ("the oat milk proposal"), when no number is given."""
    source: str | None = None
    """Whose COFFEE a transfer is to come from, when it names someone ("from alice's account")."""


def heard(vocab: Vocabulary, text: str) -> MoneyAsk | None:
    """The money skills' reading of a request (wallet, DAO, paying); None for none of theirs."""
    return money_ask(vocab, text, " ".join(tokenize(text)))


def money_ask(vocab: Vocabulary, text: str, words: str) -> MoneyAsk | None:
    m = vocab.skill("money")
    if has(words, m["vote"]):
        number = _proposal(words, loose=True)
        return MoneyAsk("vote", proposal=number, support=support(vocab, words),
                        subject=None if number or _asks(text, words) else _subject(vocab, words))
    if has(words, m["proposals"]):
        return MoneyAsk("proposals", proposal=_proposal(words, loose=False))
    if has(words, m["redeem"]) or (has(words, m["points"]) and has(words, m["convert"])):
        return MoneyAsk("redeem", points=_points(vocab, text.lower()))
    if has(words, m["transfer"]) and has(words, m["token"]):
        found = _transfer(vocab, text)
        if found:
            return found
    if has(words, m["pay"]) and not has(words, vocab.skill("orders")["menu_price"]):  # "how much to pay for a latte" asks
        return MoneyAsk("pay", order_id=_order(vocab, words), method=pay_method(vocab, words))
    return MoneyAsk("balance") if has(words, m["balance"]) else None


def pay_method(vocab: Vocabulary, words: str) -> str | None:
    m = vocab.skill("money")
    via = "|".join(re.escape(w) for w in m["pay_via"])
    tokens = "|".join(re.escape(t) for t in sorted(m["token"], key=len, reverse=True))
    if re.search(rf"\b(?:{via})\s+(?:(?:my|the|some|your)\s+)?(?:{tokens})\b", words):
        return "coffee"
    if has(words, m["pay_stored_value"]):
        return "stored_value"
    return "card" if has(words, m["pay_card"]) else None


def chosen_method(vocab: Vocabulary, words: str) -> str | None:
    """The way to pay when the words only answer "balance or COFFEE?": "coffee", "from my balance", "card"."""
    m, w = vocab.skill("money"), vocab.lexicon.words
    ways = m["token"] + m["pay_stored_value"] + m["pay_card"]
    if not has(words, ways) or without(words, ways + m["pay_via"] + w["fillers"] + w["confirm"] + m["pay"]
                                       + ["my", "the", "it", "please"]):
        return None
    return "coffee" if has(words, m["token"]) else pay_method(vocab, words)


def _order(vocab: Vocabulary, words: str) -> int | None:
    """The order a payment names; one named after "not" / "instead of" is the one it is not."""
    nots = "|".join(re.escape(n) for n in vocab.skill("money")["pay_not"])
    named = [(m.start(), int(m.group(1))) for m in re.finditer(r"\b(?:order|number)\s*(?:number\s*)?(\d+)", words)]
    meant = [n for at, n in named if not re.search(rf"\b(?:{nots})\s*$", words[:at])]
    return meant[0] if meant else None


def support(vocab: Vocabulary, words: str) -> str | None:
    """The vote a text asks for; "against" is checked before "for" ("vote no for now" is against)."""
    return next((choice for choice in ("abstain", "against", "for")
                 if has(words, vocab.skill("money")[f"support_{choice}"])), None)


def _asks(text: str, words: str) -> bool:
    """A question ("which proposals are open for voting?") names no proposal to vote on."""
    return text.rstrip().endswith("?") or words.startswith(("what ", "which ", "how ", "is ", "are ", "any ", "when "))


def _subject(vocab: Vocabulary, words: str) -> str | None:
    """What is left of a vote request once the voting words are gone: what the proposal is about."""
    m, w = vocab.skill("money"), vocab.lexicon.words
    noise = (m["vote"] + m["proposals"] + m["support_for"] + m["support_against"] + m["support_abstain"]
             + m["not_a_name"] + w["fillers"] + w["confirm"] + ["please", "as", "down", "put", "count", "its", "it's"])
    left = [t for t in without(words, noise).split() if t not in w["function"] and t[0].isalpha()]
    return " ".join(left) or None


def matching_proposal(subject: str, proposals: list[dict]) -> dict | None:
    """The one proposal whose title shares the most words with `subject`, or None when none or several do."""
    said = set(subject.split())
    scores = [(len(said & set(re.findall(r"[a-z0-9']+", p["title"].lower()))), p) for p in proposals]
    best = max((n for n, _ in scores), default=0)
    winners = [p for n, p in scores if n == best]
    return winners[0] if best and len(winners) == 1 else None


def amended(vocab: Vocabulary, text: str) -> tuple[Decimal | None, str | None, int | None]:
    """A changed amount in reply to "Send 2 COFFEE to bob?" or "Redeem 300 points?" ("make that 1.5 COFFEE to bob
    instead of 2", "make it 200 points"): the new COFFEE amount and recipient, or points."""
    tokens = "|".join(re.escape(t) for t in sorted(vocab.skill("money")["token"], key=len, reverse=True))
    amount = re.search(rf"{_quantity(vocab)}\s+(?:{tokens})\b", text, re.IGNORECASE)
    to = re.search(rf"\bto\s+({NAME})", text[amount.end():] if amount else "", re.IGNORECASE)
    name = to.group(1).rstrip(".-") if to else None
    if name and name.lower() in vocab.skill("money")["not_a_name"]:
        name = None
    points = re.search(rf"{_quantity(vocab)}\s*(?:points?|pts)\b", text, re.IGNORECASE)
    return (_number(vocab, amount.group(1).lower()) if amount else None, name,
            int(n) if points and (n := _number(vocab, points.group(1).lower())) is not None else None)


def _proposal(words: str, loose: bool) -> int | None:
    named = re.search(r"\b(?:proposal|prop|number|no)\s*(\d+)\b", words)
    if named:
        return int(named.group(1))
    numbers = re.findall(r"\b\d+\b", words)
    return int(numbers[0]) if loose and len(numbers) == 1 else None


def _number(vocab: Vocabulary, word: str) -> Decimal | None:
    if word in vocab.lexicon.numbers:
        return Decimal(vocab.lexicon.numbers[word])
    try:
        return Decimal(word)
    except InvalidOperation:
        return None


def _quantity(vocab: Vocabulary) -> str:
    spelled = "|".join(re.escape(w) for w in sorted(vocab.lexicon.numbers, key=len, reverse=True))
    return rf"(?<![\w.])(\d+(?:\.\d+)?|{spelled})(?!\w)"


def _points(vocab: Vocabulary, text: str) -> int | None:
    number = _quantity(vocab)
    for pattern, scale in ((rf"{number}\s*(?:points?|pts)\b", 1), (rf"{number}\s*(?:coffee|coffees|tokens?)\b", 100),
                           (rf"{number}", 1)):
        found = re.search(pattern, text)
        value = _number(vocab, found.group(1)) if found else None
        if value is not None:
            return int(value * scale) if value == value.to_integral_value() else None
    return None


def _transfer(vocab: Vocabulary, text: str) -> MoneyAsk | None:
    """`send 2 coffee to bob` / `send bob 2 coffee`: an amount of COFFEE and a customer id (case kept)."""
    tokens = "|".join(re.escape(t) for t in sorted(vocab.skill("money")["token"], key=len, reverse=True))
    verbs = "|".join(re.escape(v) for v in vocab.skill("money")["transfer"])
    number = _quantity(vocab)
    amount = re.search(rf"{number}\s+(?:{tokens})\b", text, re.IGNORECASE)
    token = amount or re.search(rf"\b(?:{tokens})\b", text, re.IGNORECASE)
    after = token.end() if token else 0
    to = re.search(rf"\bto\s+({NAME})", text[after:], re.IGNORECASE)
    before = re.search(rf"\b(?:{verbs})\s+({NAME})\s+{number}\s+(?:{tokens})\b", text, re.IGNORECASE)
    name = (to.group(1) if to else before.group(1) if before else "").rstrip(".-")
    if _names_a_shop(vocab, name):
        return None  # "send 2 coffees to harbor" orders drinks
    if name.lower() in vocab.skill("money")["not_a_name"] or name.isdigit():
        name = ""
    plain_drink = amount is None and not re.search(r"\btokens?\b", text, re.IGNORECASE)
    if plain_drink or (amount is None and not name):
        return None  # "send a coffee to table 4" is an order, not a transfer
    value = _number(vocab, amount.group(1).lower()) if amount else None
    return MoneyAsk("transfer", amount=value, recipient=name or None, source=_source(vocab, text))


def _source(vocab: Vocabulary, text: str) -> str | None:
    """Someone named as where the COFFEE comes from ("from alice's account", "out of bob's wallet")."""
    found = re.search(rf"\b(?:from|out of|off)\s+({NAME}?)(?:'s?\b|\s+(?:account|wallet)\b)", text, re.IGNORECASE)
    name = found.group(1) if found else ""
    return name if name and name.lower() not in vocab.skill("money")["not_a_name"] else None


def _names_a_shop(vocab: Vocabulary, name: str) -> bool:
    shops = {w for sid, title in vocab.menu.shops.items() for w in [sid, *title.lower().split()]}
    return name.lower() in shops - {"go", "coffee"}
