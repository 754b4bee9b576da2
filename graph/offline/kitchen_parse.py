"""Staff's kitchen requests in their words: the queue, the machines and their commands, and asking for a refund.

Understood for staff only (the task manager and the router ask for it): a customer's "refill" is a drink. A machine
is "m1" or "machine 2" and a command needs one; a question ("is m2 in maintenance?") asks about the machines and
commands nothing. Amounts come from the words ("1500 ml of water", "2 kg of beans"); a refund's amount and reason
are read by `refund_parse`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.offline.refund_parse import amount_cents, refund_reason
from graph.offline.scan import has, is_question, order_number, tokenize
from graph.offline.units import measured
from graph.offline.vocab import Vocabulary

LOOKS = frozenset({"queue", "machines"})
"""Kinds that only look; every other kind asks for something to be done."""
COMMANDS = ("stop", "clear_fault", "refill")
"""Commands whose words are common: they count only when a machine is named or the machines are spoken of."""


@dataclass(frozen=True)
class KitchenAsk:
    kind: str
    """queue | machines | brew | stop | descale | clear_fault | refill | maintenance | drink_done | refund"""
    machines: tuple[str, ...] = ()
    order_id: int | None = None
    drink_id: str | None = None
    next_drink: bool = False
    on: bool | None = None
    """maintenance: True takes the machine out of service, False brings it back."""
    water_ml: int | None = None
    beans_g: int | None = None
    amount_cents: int | None = None
    full: bool = False
    partial: bool = False
    reason: str | None = None

    @property
    def machine_id(self) -> str | None:
        return self.machines[0] if len(self.machines) == 1 else None


MACHINE = r"\b(m\d{1,3})\b|\bmachine\s+(?:number\s+|no\.?\s*|#\s*)?(\d{1,3})\b"


def machine_ids(text: str) -> tuple[str, ...]:
    """Machines named in the text, in order, once each: "m1", "machine m2", "machine 3" (= m3)."""
    found = [m.group(1) or f"m{m.group(2)}" for m in re.finditer(MACHINE, text.lower())]
    return tuple(dict.fromkeys(found))


def without_machines(text: str) -> str:
    """The text with its machine names taken out: their numbers are not quantities ("latte on m1")."""
    return re.sub(MACHINE, " machine ", text, flags=re.IGNORECASE)


def kitchen_ask(vocab: Vocabulary, text: str, words: str, order_id: int | None, question: bool) -> KitchenAsk | None:
    k = vocab.skill("kitchen")
    machines = machine_ids(text)
    asking = question and not any(words.startswith(o) for o in k["command_openers"])
    spoken_of = bool(machines) or has(words, k["machines"])
    if not asking:
        if has(words, k["refund"]):
            return refund_ask(vocab, text, order_id)
        kind = _command(k, words, spoken_of)
        if kind == "maintenance":
            return KitchenAsk(kind, machines, on=not has(words, k["maintenance_off"]))
        if kind == "refill":
            water, beans = refill_amounts(text)
            return KitchenAsk(kind, machines, water_ml=water, beans_g=beans)
        if kind:
            return KitchenAsk(kind, machines)
        drink = re.search(r"\b(\d+-\d+-\d+)\b", text)
        if drink and not machines and has(words, k["drink_done"]):
            return KitchenAsk("drink_done", drink_id=drink.group(1))
        nxt = has(words, k["next_drink"])
        if machines and has(words, k["brew"]) and (order_id or drink or nxt):
            return KitchenAsk("brew", machines, order_id=order_id, drink_id=drink.group(1) if drink else None,
                              next_drink=nxt and not order_id and not drink)
    if has(words, k["queue"]) and not machines:
        return KitchenAsk("queue", order_id=order_id)
    return KitchenAsk("machines", machines) if spoken_of else None


def _command(k: dict[str, list[str]], words: str, spoken_of: bool) -> str | None:
    if has(words, k["maintenance_off"] + k["maintenance_on"]):
        return "maintenance"
    if has(words, k["descale"]):
        return "descale"
    return next((kind for kind in COMMANDS if spoken_of and has(words, k[kind])), None)


def refill_amounts(text: str) -> tuple[int | None, int | None]:
    """Water in ml and beans in grams said in the text; the unit says which ("2 l", "500 g")."""
    return measured(text, "ml") or None, measured(text, "g") or None


def refund_ask(vocab: Vocabulary, text: str, order_id: int | None) -> KitchenAsk:
    k, words = vocab.skill("kitchen"), " ".join(tokenize(text))
    return KitchenAsk("refund", order_id=order_id, amount_cents=amount_cents(text),
                      full=has(words, k["refund_full"]), partial=has(words, k["refund_partial"]) or "%" in text,
                      reason=refund_reason(vocab, text))


STATES = {"paid": "paid", "queued": "queued", "queue": "queued", "brewing": "brewing", "ready": "ready",
          "collected": "collected", "picked up": "collected", "refunded": "refunded", "refund": "refunded"}


def kitchen_request(vocab: Vocabulary, text: str) -> KitchenAsk | None:
    """The kitchen skill's reading of a staff request; None for none of its own (moving an order along, "mark
    order 5 ready", belongs to the order's own capability)."""
    words = " ".join(tokenize(text))
    order_id = order_number(text)
    ask = kitchen_ask(vocab, text, words, order_id, is_question(text, words))
    return None if ask and ask.kind in LOOKS and advance(vocab, words, order_id) else ask


def advance(vocab: Vocabulary, words: str, order_id: int | None) -> str | None:
    """The state an order is to be moved to ("mark order 5 ready"), or None."""
    state = next((s for word, s in STATES.items() if has(words, [word])), None)
    moving = has(words, vocab.skill("kitchen")["advance"])
    return state if order_id and state and moving else None
