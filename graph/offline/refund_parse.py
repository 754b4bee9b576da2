"""A refund in staff's words: the amount ("$1.50", "2 dollars", "150 cents") and the reason, from the lexicon's
`words/refunds.toml` or, failing those, the words given as the reason."""

from __future__ import annotations

import re
from decimal import Decimal

from graph.offline.scan import has, tokenize, without
from graph.offline.vocab import Vocabulary


def amount_cents(text: str) -> int | None:
    """A dollar amount said in the text: "$1.50", "2 dollars", "150 cents" (in cents; "$0" is 0)."""
    low = text.lower()
    dollars = (re.search(r"\$\s*(\d+(?:\.\d{1,2})?)\b", low)
               or re.search(r"\b(\d+(?:\.\d{1,2})?)\s*(?:dollars?|usd|bucks)\b", low))
    if dollars:
        return int(Decimal(dollars.group(1)) * 100)
    cents = re.search(r"\b(\d+)\s*(?:cents?|c)\b", low)
    return int(cents.group(1)) if cents else None


def refund_reason(vocab: Vocabulary, text: str, *, whole: bool = False) -> str | None:
    """The reason a refund text gives: a known reason's short name, else the words after "because" (or the clause
    after the request); `whole`: the text is itself the reason (the answer to "what's the reason?")."""
    words = " ".join(tokenize(text))
    named = next((name for name, phrases in vocab.skill("refunds").items() if has(words, phrases)), None)
    if named:
        return named
    leads = "|".join(re.escape(w) for w in sorted(vocab.skill("kitchen")["reason_lead"], key=len, reverse=True))
    lead = re.search(rf"\b(?:{leads})(?:\s+|\s*:\s*)(.+)", text, re.IGNORECASE)
    if lead:
        return _clause(vocab, lead.group(1), 1)
    clauses = [text] if whole else re.split(r"\s*[:;,.!?]\s+|\s+-+\s+", text.strip())[1:]
    return next((c for c in (_clause(vocab, c, 1 if whole else 2) for c in clauses) if c), None)


def _clause(vocab: Vocabulary, text: str, least: int) -> str | None:
    """The text as a reason for the record, or None when it has fewer than `least` words beyond the request."""
    k, w = vocab.skill("kitchen"), vocab.lexicon.words
    clean = re.sub(r"\$\s*\d+(?:\.\d+)?|\b(?:order|number)\s*#?\s*\d+\b", " ", text)
    content = without(" ".join(tokenize(clean)), k["refund"] + k["refund_full"] + k["refund_partial"]
                      + w["fillers"] + w["confirm"] + w["deny"] + ["please", "it", "the", "a", "of", "on", "back"])
    if len([t for t in content.split() if not t.isdigit()]) < least:
        return None
    return text.strip().rstrip(".!?,;: ")[:200] or None
