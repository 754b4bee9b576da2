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
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary
from tools.errors import ErrorBody
from tools.kitchen.interlocks import LOW_WATER_ML, MIN_BEANS_G

SAY = Templates("kitchen")
SHOWN = 8
"""At most this many drinks in a queue answer."""
CANNOT = ("start_brew", "stop_brew", "descale_machine", "clear_fault", "refill_machine", "set_maintenance")
FIXES = {"while descaling": "descaling", "while brewing": "brewing", "machine fault": "fault",
         "already has a drink": "busy", "is offline": "offline"}


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
        return say(SAY("advanced", order=result["order_id"], state=result["state"]))
    if name == "mark_drink_done":
        return say(SAY("drink_made", drink=result["drink_id"], what=_drink(vocab, result), order=result["order_id"]))
    return say(_sent(name, last["args"], result, about))


def _refused(name: str, args: dict[str, Any], error: ErrorBody) -> str:
    code, message = error.code, error.message
    if code == "interlock" and name in CANNOT:
        reason = message.partition(": ")[2] or message
        fix = next((SAY(f"fix_{key}") for said, key in FIXES.items() if said in reason), "")
        return SAY("cannot", what=SAY(f"cannot_{name}"), machine=args["machine_id"], reason=reason, fix=fix)
    if name == "refund_payment":
        return SAY("refund_refused", why=message)
    if name == "list_payments":
        return SAY("refund_lookup_refused", order=args["order_id"], why=message)
    return explain(error)


def _drink(vocab: Vocabulary, d: dict[str, Any]) -> str:
    name = vocab.menu.items.get(d["item_id"], d["item_id"].replace("_", " "))
    size = "" if d["size"] in ("regular", None) else SAY("drink_size", size=d["size"])
    if d.get("milk"):
        return SAY("drink_milk", size=size, name=name, milk=d["milk"])
    return SAY("drink", size=size, name=name)


def _where(d: dict[str, Any]) -> str:
    if d["state"] == "queued":
        return SAY("flagged", flag=d["flag"]) if d.get("flag") else SAY("queued")
    if d["state"] == "brewing":
        return SAY("brewing_on", machine=d.get("machine_id"))
    return SAY("sent_on", machine=d.get("machine_id"))


def _queue(vocab: Vocabulary, queue: dict[str, Any], about: dict[str, Any]) -> str:
    shop, order = queue["location_id"], about.get("order_id")
    drinks = [d for d in queue["drinks"] if order in (None, d["order_id"])]
    if not drinks:
        return SAY("nothing_for_order", order=order, shop=shop) if order else SAY("nothing_waiting", shop=shop)
    shown = "; ".join(SAY("queue_line", order=d["order_id"], drink=_drink(vocab, d), where=_where(d))
                      for d in drinks[:SHOWN])
    more = SAY("queue_more", more=len(drinks) - SHOWN) if len(drinks) > SHOWN else ""
    count = SAY("one_drink") if len(drinks) == 1 else SAY("drinks", count=len(drinks))
    return SAY("queue", shop=shop, count=count, shown=shown, more=more)


def _pick(vocab: Vocabulary, queue: dict[str, Any], about: dict[str, Any], turn: int) -> AIMessage:
    """The drink a brew request means: the first queued one of the order (and item) named, or the next in line."""
    order, items, machine = about.get("order_id"), about.get("items") or [], about["machine_id"]
    queued = [d for d in queue["drinks"] if d["state"] == "queued" and order in (None, d["order_id"])]
    fitting = [d for d in queued if not items or d["item_id"] in items]
    if not fitting:
        what = (SAY("order_items", order=order, items=", ".join(vocab.menu.items.get(i, i) for i in items)) if items
                else SAY("order_ref", order=order))
        if order:
            return say(SAY("no_drink_of", what=what, shop=queue["location_id"]))
        return say(SAY("no_drink", shop=queue["location_id"]))
    d = fitting[0]
    about = {"flow": "brew", "drink": SAY("drink_for_order", drink=_drink(vocab, d), order=d["order_id"]),
             "more": len([x for x in queued if x["order_id"] == d["order_id"]]) - 1}
    return use(turn, ("start_brew", {"location_id": queue["location_id"], "machine_id": machine,
                                     "drink_id": d["drink_id"]}), about=about)


def _plain(code: str | None) -> str:
    return (code or "unknown").replace("_", " ")


def _machine(m: dict[str, Any]) -> str:
    status, name = m["status"], m["machine_id"]
    if status == "fault":
        line = SAY("fault", machine=name, fault=_plain(m.get("fault")))
    elif status == "heating":
        line = SAY("heating", machine=name, celsius=m["boiler_c"])
    elif status == "brewing" and m.get("drink_id"):
        line = SAY("brewing", machine=name, drink=m["drink_id"])
    elif status == "maintenance":
        line = SAY("in_maintenance", machine=name)
    else:
        line = SAY("status", machine=name, status=status)
    low = [SAY("low_water", ml=m["water_ml"])] if m["water_ml"] < LOW_WATER_ML else []
    low += [SAY("low_beans", grams=m["beans_g"])] if m["beans_g"] < MIN_BEANS_G else []
    return SAY("machine_notes", line=line, notes=", ".join(low)) if low and status != "offline" else line


def _machines(result: dict[str, Any], about: dict[str, Any]) -> str:
    if "machine" in result:
        m, last = result["machine"], (result.get("recent_commands") or [None])[0]
        said = SAY("machine_detail", line=_machine(m), ml=m["water_ml"], grams=m["beans_g"],
                   brews=m["brews_since_descale"])
        if last:
            accepted = last.get("accepted")  # tool results leave out empty fields
            outcome = (SAY("command_refused", reason=last.get("reason", "no reason given")) if accepted is False
                       else SAY("command_accepted") if accepted else SAY("command_unconfirmed"))
            said += SAY("last_command", kind=_plain(last["kind"]), outcome=outcome)
        return said
    machines = [m for m in result["machines"] if not about.get("only") or m["machine_id"] in about["only"]]
    if not machines:
        return SAY("no_machines")
    return SAY("machines", shop=machines[0]["location_id"], lines="; ".join(_machine(m) for m in machines))


def _sent(name: str, args: dict[str, Any], command: dict[str, Any], about: dict[str, Any]) -> str:
    m = command.get("machine_id") or args["machine_id"]
    if name == "start_brew":
        what = (SAY("sent_brew_drink", drink=about["drink"], id=args["drink_id"]) if about.get("drink")
                else SAY("sent_brew_id", id=args["drink_id"]))
        more = about.get("more") or 0
        return SAY("sent_brew", what=what, machine=m, rest=SAY("still_queued", more=more) if more else "")
    if name == "stop_brew":
        back = SAY("back_to_queue", drink=command["drink_id"]) if command.get("drink_id") else ""
        return SAY("stopped", machine=m, back=back)
    if name == "descale_machine":
        return SAY("descaling", machine=m)
    if name == "clear_fault":
        return SAY("fault_cleared", machine=m)
    if name == "refill_machine":
        added = ([SAY("refill_water", ml=args["water_ml"])] if args.get("water_ml") else []) + (
            [SAY("refill_beans", grams=args["beans_g"])] if args.get("beans_g") else [])
        return SAY("refilled", machine=m, added=" and ".join(added))
    if name == "set_maintenance":
        return SAY("into_maintenance", machine=m) if args["on"] else SAY("back_in_service", machine=m)
    return SAY("done")
