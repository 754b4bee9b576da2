"""How a sentence asks: a request put as a question, the sentence of a turn that asks about an item, what a
question about the menu is about, and an off-topic aside beside a question about the menu."""

from __future__ import annotations

import re

from graph.offline.clauses import sentences_of
from graph.offline.mention import Mention
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
               for said in (" ".join(tokenize(s)) for s in sentences_of(text)))


def without_questions(vocab: Vocabulary, text: str) -> str:
    """ "a large chamomile then. and is the babyccino ok for a two-year-old?": a question about an item beside a
    sentence that asks for another is left out of the request (the item asked about is not ordered)."""
    said = sentences_of(text)

    def names(s: str) -> bool:
        return any(m.item_id or m.choices for m in scan(vocab, tokenize(s)).mentions)

    def about(s: str) -> bool:  # "is the babyccino ok …?", "what's in the mocha?" ("could the mocha be large?" asks
        words = without(" ".join(tokenize(s)), [*vocab.words("fillers"), "and", ","]).split()  # for it)
        return bool(words) and words[0] in vocab.skill("orders")["about_openers"] and not requesting(vocab, s)

    def asked(s: str) -> bool:
        return is_question(s, " ".join(tokenize(s))) and not requesting(vocab, s)

    asks = [s for s in said if asked(s) and about(s) and names(s)]
    if not asks or not any(names(s) and not asked(s) for s in said if s not in asks):
        return text  # (a question beside another question is still all asking: "sweeter than a caramel macchiato?")
    return " ".join(s for s in said if s not in asks)


def echoes_left_out(vocab: Vocabulary, text: str, answered: str, item_id: str) -> str:
    """ "Earl Grey and vanilla, I'm sold. A small one with oat" after the London Fog was described: a clause made only
    of two or more words of the answer just given, its items bare (no count, article or order word before them) and
    other than the one described (unless a price is said back too), says the answer back; it is left out of the
    request."""
    heard = set(tokenize(answered))
    clauses = re.split(r"(?<=[,.!?;])\s+", text.strip())
    return " ".join(c for c in clauses if not _said_back(vocab, tokenize(c), heard, item_id))


def _said_back(vocab: Vocabulary, tokens: list[str], heard: set[str], item_id: str) -> bool:
    leads = {*vocab.lexicon.numbers, *vocab.skill("orders")["order_verbs"], "a", "an", "the", "some", "more"}
    items = [(i, hit[2]) for i in range(len(tokens)) if (hit := vocab.lookup(tokens, i)) and hit[1] == "item"]
    said = [t for t in tokens if t.isalnum() and t not in vocab.words("function") + vocab.words("fillers")]
    priced = any(t.isdigit() for t in said)  # "8.95 for toast, wow": the price said back, even of the item asked about
    leads -= {"a", "an", "the"} if priced else set()  # ("5.75 for a sandwich, hmm")
    return bool(items) and len(said) >= 2 and set(said) <= heard and all(
        (item != item_id or priced) and (not i or tokens[i - 1] not in leads) for i, item in items)


def price_asked_again(vocab: Vocabulary, text: str, before: tuple[str, ...], item_id: str) -> str:
    """ "how much is a large mocha?" … "and the medium?", "and a medium iced matcha latte?": the price question
    again, of the size or item said now (the text unchanged when it is not that)."""
    words, o = " ".join(tokenize(text)), vocab.skill("orders")
    opener = next((w for w in sorted(o["asked_again"], key=len, reverse=True) if words.startswith(f"{w} ")), None)
    asked = [s for s in sentences_of(before[-1]) if is_question(s, " ".join(tokenize(s)))] if before else []
    if not (opener and text.rstrip().endswith("?") and asked and has(" ".join(tokenize(asked[-1])), o["menu_price"])):
        return text
    rest = words[len(opener):].strip(" ,")
    named = any(m.item_id or m.choices for m in scan(vocab, rest.split()).mentions)
    return f"how much is {rest}{'' if named else ' ' + vocab.menu.items[item_id].lower()}?"


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


def menu_topic(vocab: Vocabulary, words: str, question: bool, mentions: list[Mention], category: str | None,
               asking: str) -> str | None:
    """What a question about the menu asks about ("price", "sizes", "allergen", …), or None."""
    asked = without(words, vocab.item_phrases)  # "is the vegan oat cookie gluten free" asks about gluten
    milk_words = {w for ws in vocab.lexicon.milks.values() for phrase in ws for w in phrase.split()}
    named = [w for ws in vocab.lexicon.allergens.values() for w in ws if w not in milk_words]  # not "soy", "milk"
    for topic in ("milks", "caffeine", "vegan", "allergen", "price", "sizes", "about", "list"):
        if has(asked, vocab.skill("orders")[f"menu_{topic}"] + (named if topic == "allergen" else [])):
            return topic
    if question and any(m.milk for m in mentions) and not any(m.item_id for m in mentions):
        return "milks"
    if (asking.startswith(("is ", "are ", "does ", "do ", "has ")) or re.search(r"\b(?:what|which|why|where|how)\b",
                                                                                asking)) and any(
            m.item_id for m in mentions):
        return "about"  # "which beans is the cold brew steeped from?"
    changes = any(m.size or m.milk or m.extras or m.temperature for m in mentions)
    return "list" if question and category and not changes else None  # "could the tea be a large one?" asks for it
