"""How a sentence asks: a request put as a question, the sentence of a turn that asks about an item, and an
off-topic aside beside a question about the menu."""

from __future__ import annotations

import re

from graph.offline.scan import has, is_question, scan, tokenize, without
from graph.offline.vocab import Vocabulary


def requesting(vocab: Vocabulary, text: str) -> bool:
    """A request put as a question ("can I get a mocha?", "would it be possible to have it with almond milk?"), not
    a question about the menu: a sentence that opens with a way of asking and a verb of getting."""
    o = vocab.skill("orders")
    asks = re.compile(r"^(?:(?!which|what|how|where|why|when)[a-z,']+ ){0,3}?(?:" + "|".join(o["request_openers"])
                      + r") (?:please )?(?:just )?(?:possibly )?(?:" + "|".join(o["request_verbs"]) + r")\b")
    passive = re.compile(r"^(?:[a-z,']+ ){0,2}?(?:can|could|would) (?:the|my|it|that|this|they|those|both)\b.*\bbe (?:"
                         + "|".join(o["request_passives"]) + r")\b")  # "can the macchiato be made with oat milk?"
    return any(asks.search(said) or passive.search(said)
               for said in (" ".join(tokenize(s)) for s in re.split(r"(?<=[.!?;])\s+", text.strip())))


def aside(vocab: Vocabulary, text: str) -> bool:
    """Off-topic words in a sentence of their own beside one about the menu ("What is a London Fog? It sounds like
    weather")."""
    sentences = [" ".join(tokenize(s)) for s in re.split(r"(?<=[.!?:])\s+", text.strip()) if s]
    off = [s for s in sentences if has(s, vocab.lexicon.out_of_scope["phrases"])]
    return len(off) < len(sentences) and not any(m.item_id for s in off for m in scan(vocab, s.split()).mentions)


def asked_sentence(vocab: Vocabulary, text: str) -> str | None:
    """The words of the sentence naming the last item, when that sentence asks ("Two cortados please" after a joke
    that asks something does not; "…what's a London Fog exactly? My friend raves about it." does)."""
    sentences = [s for s in re.split(r"(?<=[.!?:])\s+", text.strip()) if s]
    naming = [s for s in sentences if len(sentences) == 1 or any(m.item_id for m in scan(vocab, tokenize(s)).mentions)]
    asks_only = all(s.rstrip().endswith("?") for s in sentences)  # "is the iced mocha sweet? sweeter than a …?"
    last = (naming[0] if asks_only else naming[-1]) if naming else None
    bare = without(" ".join(tokenize(last)), vocab.words("fillers")).lstrip(", ") if last else ""  # "um whats in …"
    return bare if last and is_question(last, bare) else None
