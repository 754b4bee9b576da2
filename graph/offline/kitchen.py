"""The task manager's kitchen dialogue: what is waiting, the machines, and their commands (refunds: `refunds`).

Machine commands are staff operations in their own shop, like moving an order along, and not among the actions
policy rule 3 asks a yes for: a clear command (which machine, which drink) goes to the tool at once and the tool's
interlock answers for safety; an unclear one gets a question, never a guess. Maintenance is asked for at once too:
an agent's request waits for a human's approval before anything reaches the machine.
"""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.messages import AIMessage

from graph.offline import refunds
from graph.offline.context import Context
from graph.offline.kitchen_parse import KitchenAsk, kitchen_request, refill_amounts
from graph.offline.parse import SHORT, Parse, parse
from graph.offline.pending import KitchenShop, Refill
from graph.offline.reply import listing, say, use
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary

TOOLS = {"stop": "stop_brew", "descale": "descale_machine", "clear_fault": "clear_fault"}
SAY = Templates("kitchen")


def start(vocab: Vocabulary, ctx: Context, p: Parse, ask: KitchenAsk, turn: int) -> AIMessage:
    if ask.kind == "refund":
        return refunds.refund(ctx, ask, turn)
    if ask.kind == "drink_done":
        return use(turn, ("mark_drink_done", {"drink_id": ask.drink_id}))
    shop = p.shop or (ctx.principal.location_id if ctx.principal else None)
    if shop is None:
        return say(SAY("which_shop", shops=listing(list(vocab.menu.shops), "or")), KitchenShop(text=ctx.text))
    return STARTS[ask.kind](ctx, ask, shop, p, turn)


def _queue(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    return use(turn, ("get_kitchen_queue", {"location_id": shop}), about={"flow": "queue", "order_id": ask.order_id})


def _machines(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    if ask.machine_id:
        return use(turn, ("get_machine", {"location_id": shop, "machine_id": ask.machine_id}))
    return use(turn, ("list_machines", {"location_id": shop}), about={"flow": "machines", "only": list(ask.machines)})


def _which_machine(ask: KitchenAsk, example: str) -> AIMessage | None:
    """A question when the request does not name exactly one machine."""
    if len(ask.machines) > 1:
        return say(SAY("one_machine", machines=" or ".join(ask.machines)))
    return None if ask.machine_id else say(SAY("which_machine", example=example))


def _brew(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    asked = _which_machine(ask, "brew the next drink on m1")
    if asked:
        return asked
    if ask.drink_id:
        return use(turn, ("start_brew", {"location_id": shop, "machine_id": ask.machine_id, "drink_id": ask.drink_id}))
    items = sorted({m.item_id for m in p.mentions if m.item_id})
    return use(turn, ("get_kitchen_queue", {"location_id": shop}), about={
        "flow": "brew", "machine_id": ask.machine_id, "order_id": ask.order_id, "items": items})


def _command(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    tool = TOOLS[ask.kind]
    asked = _which_machine(ask, f"{ask.kind.replace('_', ' ')} m1")
    return asked or use(turn, (tool, {"location_id": shop, "machine_id": ask.machine_id}))


def _refill(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    asked = _which_machine(ask, "refill m1 with 2 l of water")
    if asked:
        return asked
    if not (ask.water_ml or ask.beans_g):
        return say(SAY("how_much_refill", machine=ask.machine_id),
                   Refill(location_id=shop, machine_id=ask.machine_id))
    return refill_call(shop, ask.machine_id or "", ask.water_ml, ask.beans_g, turn)


def refill_call(shop: str, machine: str, water: int | None, beans: int | None, turn: int) -> AIMessage:
    amounts = {k: v for k, v in (("water_ml", water), ("beans_g", beans)) if v}
    return use(turn, ("refill_machine", {"location_id": shop, "machine_id": machine, **amounts}))


def _maintenance(ctx: Context, ask: KitchenAsk, shop: str, p: Parse, turn: int) -> AIMessage:
    asked = _which_machine(ask, "put m1 into maintenance")
    return asked or use(turn, ("set_maintenance", {"location_id": shop, "machine_id": ask.machine_id,
                                                   "on": bool(ask.on)}))


STARTS: dict[str, Callable[[Context, KitchenAsk, str, Parse, int], AIMessage]] = {
    "queue": _queue, "machines": _machines, "brew": _brew, "stop": _command, "descale": _command,
    "clear_fault": _command, "refill": _refill, "maintenance": _maintenance}


def follow_up(vocab: Vocabulary, ctx: Context, p: Parse, heard: KitchenAsk | None, turn: int) -> AIMessage | None:
    """The turn after a question: the refund's (see `refunds`), "which shop?" or "how much did you put in?"; a new
    request is answered as usual; anything short lapses the question."""
    answered = refunds.follow_up(vocab, ctx, p, heard, turn)
    if answered:
        return answered
    pending = ctx.pending
    if isinstance(pending, KitchenShop) and p.shop and heard is None:  # "downtown" answers "which shop?"
        again = parse(vocab, pending.text, staff=True)
        again.shop = p.shop
        return start(vocab, ctx, again, kitchen_request(vocab, pending.text) or KitchenAsk("queue"), turn)
    if isinstance(pending, Refill):
        water, beans = refill_amounts(ctx.text)
        if water or beans:
            return refill_call(pending.location_id, pending.machine_id, water, beans, turn)
        return say(SAY("no_refill")) if heard is None and p.intent in SHORT else None
    return None


