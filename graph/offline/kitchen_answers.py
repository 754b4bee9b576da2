"""Phase two of a task manager turn: say what the kitchen and payment tools answered, in plain words; pick the drink
a brew asked for from the queue; hand payments to `refunds`, which says a refund back. Everything said comes from the
tools' answers; a refused command is reported with the tool's own reason, and nothing is claimed that did not
happen."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from graph.offline import refunds
from graph.offline.answers import explain, order_status
from graph.offline.context import Context
from graph.offline.reply import say, use
from graph.offline.vocab import Vocabulary
from tools.errors import ErrorBody
from tools.kitchen.interlocks import LOW_WATER_ML, MIN_BEANS_G

SHOWN = 8
"""At most this many drinks in a queue answer."""
CANNOT = {"start_brew": "brew on", "stop_brew": "stop", "descale_machine": "descale", "clear_fault": "clear the fault on",
          "refill_machine": "record a refill of", "set_maintenance": "change maintenance on"}
FIXES = {"while descaling": "Wait for the descale to finish, or use another machine.",
         "while brewing": "Let the brew finish (or stop it) first.",
         "machine fault": "Fix the fault and clear it first.",
         "already has a drink": "Wait for it to finish, or use another machine.",
         "is offline": "Check that it is switched on and connected."}


def answer(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
    last = ctx.calls[-1]
    name, result, about = last["name"], last["result"], ctx.about or {}
    if not last["ok"]:
        return say(_refused(name, last["args"], last["error"]))
    if name == "get_kitchen_queue":
        return _pick(vocab, result, about, turn) if about.get("flow") == "brew" else say(_queue(vocab, result, about))
    if name in ("list_machines", "get_machine"):
        return say(_machines(result, about))
    if name == "list_payments":
        return refunds.say_back(result["payments"], about)
    if name == "refund_payment":
        return say(refunds.refunded(result, about))
    if name in ("get_order", "list_orders"):
        return say(order_status(result))
    if name == "advance_order":
        return say(f"Order {result['order_id']} is now {result['state']}.")
    if name == "mark_drink_done":
        return say(f"Drink {result['drink_id']} ({_drink(vocab, result)}, order {result['order_id']}) is marked made.")
    return say(_sent(name, last["args"], result, about))


def _refused(name: str, args: dict[str, Any], error: ErrorBody) -> str:
    code, message = error.code, error.message
    if code == "interlock" and name in CANNOT:
        reason = message.partition(": ")[2] or message
        fix = next((f" {text}" for key, text in FIXES.items() if key in reason), "")
        return f"I can't {CANNOT[name]} {args['machine_id']} right now: {reason}.{fix} Nothing was sent to the machine."
    if name == "refund_payment":
        return f"Sorry, that refund didn't go through: {message}. Nothing was refunded."
    if name == "list_payments":
        return f"Sorry, I can't refund order {args['order_id']}: {message}."
    return explain(error)


def _drink(vocab: Vocabulary, d: dict[str, Any]) -> str:
    name = vocab.menu.items.get(d["item_id"], d["item_id"].replace("_", " "))
    size = "" if d["size"] in ("regular", None) else f"{d['size']} "
    return f"{size}{name}" + (f" ({d['milk']} milk)" if d.get("milk") else "")


def _where(d: dict[str, Any]) -> str:
    if d["state"] == "queued":
        return f"flagged: {d['flag']}" if d.get("flag") else "queued"
    return f"{'brewing' if d['state'] == 'brewing' else 'sent'} on {d.get('machine_id')}"


def _queue(vocab: Vocabulary, queue: dict[str, Any], about: dict[str, Any]) -> str:
    shop, order = queue["location_id"], about.get("order_id")
    drinks = [d for d in queue["drinks"] if order in (None, d["order_id"])]
    if not drinks:
        return f"Nothing for order {order} is waiting at {shop}." if order else f"Nothing is waiting at {shop}."
    shown = "; ".join(f"order {d['order_id']}: {_drink(vocab, d)}, {_where(d)}" for d in drinks[:SHOWN])
    more = f"; and {len(drinks) - SHOWN} more" if len(drinks) > SHOWN else ""
    count = f"{len(drinks)} drink{'' if len(drinks) == 1 else 's'}"
    return f"Waiting at {shop} ({count}): {shown}{more}."


def _pick(vocab: Vocabulary, queue: dict[str, Any], about: dict[str, Any], turn: int) -> AIMessage:
    """The drink a brew request means: the first queued one of the order (and item) named, or the next in line."""
    order, items, machine = about.get("order_id"), about.get("items") or [], about["machine_id"]
    queued = [d for d in queue["drinks"] if d["state"] == "queued" and order in (None, d["order_id"])]
    fitting = [d for d in queued if not items or d["item_id"] in items]
    if not fitting:
        what = f"order {order}" + (f"'s {', '.join(vocab.menu.items.get(i, i) for i in items)}" if items else "")
        lead = f"No drink of {what} is" if order else "No drink is"
        return say(f"{lead} waiting in the queue at {queue['location_id']}, so I haven't started anything.")
    d = fitting[0]
    about = {"flow": "brew", "drink": f"{_drink(vocab, d)} for order {d['order_id']}",
             "more": len([x for x in queued if x["order_id"] == d["order_id"]]) - 1}
    return use(turn, ("start_brew", {"location_id": queue["location_id"], "machine_id": machine,
                                     "drink_id": d["drink_id"]}), about=about)


def _plain(code: str | None) -> str:
    return (code or "unknown").replace("_", " ")


def _machine(m: dict[str, Any]) -> str:
    status, name = m["status"], m["machine_id"]
    if status == "fault":
        line = f"{name} has a fault: {_plain(m.get('fault'))}"
    elif status == "heating":
        line = f"{name} is heating ({m['boiler_c']:.0f} °C)"
    elif status == "brewing" and m.get("drink_id"):
        line = f"{name} is brewing drink {m['drink_id']}"
    else:
        line = f"{name} is {'in maintenance' if status == 'maintenance' else status}"
    low = [f"low on water: {m['water_ml']} ml"] if m["water_ml"] < LOW_WATER_ML else []
    low += [f"low on beans: {m['beans_g']} g"] if m["beans_g"] < MIN_BEANS_G else []
    return line + (f" ({', '.join(low)})" if low and status != "offline" else "")


def _machines(result: dict[str, Any], about: dict[str, Any]) -> str:
    if "machine" in result:
        m, last = result["machine"], (result.get("recent_commands") or [None])[0]
        said = (f"{_machine(m)}. Water {m['water_ml']} ml, beans {m['beans_g']} g, {m['brews_since_descale']} brews "
                "since the last descale.")
        if last:
            accepted = last.get("accepted")  # tool results leave out empty fields
            outcome = ("refused: " + last.get("reason", "no reason given") if accepted is False
                       else "accepted" if accepted else "not confirmed by the machine yet")
            said += f" Last command: {_plain(last['kind'])}, {outcome}."
        return said
    machines = [m for m in result["machines"] if not about.get("only") or m["machine_id"] in about["only"]]
    if not machines:
        return "I don't see any machines there."
    shop = machines[0]["location_id"]
    return f"Machines at {shop}: " + "; ".join(_machine(m) for m in machines) + "."


def _sent(name: str, args: dict[str, Any], command: dict[str, Any], about: dict[str, Any]) -> str:
    m = command.get("machine_id") or args["machine_id"]
    if name == "start_brew":
        what = f"{about['drink']} (drink {args['drink_id']})" if about.get("drink") else f"drink {args['drink_id']}"
        more = about.get("more") or 0
        rest = f" {more} more of that order still queued." if more else ""
        return f"Sent {what} to {m} to brew.{rest}"
    if name == "stop_brew":
        back = f"; drink {command['drink_id']} goes back to the queue" if command.get("drink_id") else ""
        return f"Told {m} to stop{back}."
    if name == "descale_machine":
        return f"Descale sent to {m}; it can't brew until the cycle is done."
    if name == "clear_fault":
        return f"Sent {m} the command to clear its fault."
    if name == "refill_machine":
        added = [f"{args[k]} {unit}" + f" of {what}" for k, unit, what in (("water_ml", "ml", "water"),
                                                                       ("beans_g", "g", "beans")) if args.get(k)]
        return f"Recorded the refill of {m}: {' and '.join(added)}."
    if name == "set_maintenance":
        return f"{m} is going {'into maintenance' if args['on'] else 'back into service'}."
    return "Done."


