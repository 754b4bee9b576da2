"""Phase two of paying by chat: from the order and the wallet, ask for the yes (or say why not); after pay_order,
report what the tool answered. Amounts come from the tools, never from the customer's words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from langchain_core.messages import AIMessage

from graph.offline.answers import explain
from graph.offline.context import Context
from graph.offline.money_answers import coffee
from graph.offline.pending import Pay, PayMethod, PayWhich
from graph.offline.reply import dollars, listing, say, use
from graph.offline.templates import Templates

SAY = Templates("payments")
PAID = frozenset({"paid", "queued", "brewing", "ready", "collected"})


def answer(ctx: Context, turn: int) -> AIMessage:
    about = ctx.about or {}
    calls = {c["name"]: c for c in ctx.calls}
    if "pay_order" in calls:
        return _after_paying(calls["pay_order"], calls.get("get_wallet"), about, turn)
    failed = next((c for c in ctx.calls if not c["ok"]), None)
    if failed:
        if _code(failed) == "not_found" and failed["name"] == "get_order":
            return say(SAY("not_yours", order=about["order_id"]))
        return say(explain(failed["error"]))
    wallet = calls["get_wallet"]["result"]
    if "get_order" in calls:
        return _ask(calls["get_order"]["result"], wallet, about.get("method"))
    orders = calls["list_orders"]["result"]["orders"]
    if not orders:
        return say(SAY("nothing_to_pay"))
    if len(orders) > 1:
        which = listing([SAY("which_order_line", order=o["order_id"], total=dollars(o["total_cents"])) for o in orders])
        return say(SAY("which_order", orders=which),
                   PayWhich(orders=[o["order_id"] for o in orders], method=about.get("method")))
    return _ask(orders[0], wallet, about.get("method"))


def _code(call: dict[str, Any]) -> str:
    return call["error"].code if call["error"] else ""


def _held(wallet: dict[str, Any]) -> Decimal | None:
    return Decimal(str(wallet["coffee"])) if wallet.get("coffee") is not None else None


def _ask(order: dict[str, Any], wallet: dict[str, Any], method: str | None) -> AIMessage:
    if order["state"] != "placed":
        return say(_not_payable(order))
    n, total, balance, held = order["order_id"], order["total_cents"], wallet["balance_cents"], _held(wallet)
    coffee_covers = held is not None and held * 100 >= total
    if method is None and coffee_covers and balance >= total:
        return say(SAY("which_way", order=n, total=dollars(total), balance=dollars(balance), held=coffee(held)),
                   PayMethod(order_id=n))
    way = method or ("coffee" if coffee_covers else "stored_value")  # the one way that can pay it
    if way == "coffee" and held is not None and coffee_covers:
        due = Decimal(total) / 100
        return say(SAY("confirm_coffee", due=coffee(due), total=dollars(total), order=n, left=coffee(held - due)),
                   _pending(n, way, total))
    if way == "stored_value" and balance >= total:
        return say(SAY("confirm_balance", total=dollars(total), order=n, left=dollars(balance - total)),
                   _pending(n, way, total))
    return say(_short(way, n, total, wallet))


def _pending(order_id: int, method: str, total: int) -> Pay:
    return Pay(args={"order_id": order_id, "method": method}, amount_cents=total)


def _short(method: str, order_id: int, total: int, wallet: dict[str, Any]) -> str:
    if method == "stored_value":
        return SAY("short_balance", balance=dollars(wallet["balance_cents"]), total=dollars(total), order=order_id)
    held = _held(wallet)
    if held is None:
        return SAY("no_token_here")
    return SAY("short_coffee", held=coffee(held), due=coffee(Decimal(total) / 100), order=order_id)


def _not_payable(order: dict[str, Any]) -> str:
    n, state = order["order_id"], order["state"]
    if state == "draft":
        return SAY("not_placed", order=n)
    if state in PAID:
        return SAY("already_paid", order=n) if state == "paid" else SAY("already_paid_and", order=n, state=state)
    return SAY("not_payable", order=n, state=state)


def _after_paying(paid: dict[str, Any], wallet: dict[str, Any] | None, about: dict[str, Any],
                  turn: int) -> AIMessage:
    if paid["ok"]:
        return say(_receipt(paid["result"]))
    if _code(paid) == "insufficient_funds":
        if wallet is None:  # read the wallet again, to say what is there rather than quote the error
            return use(turn, ("get_wallet", {}), about=about)
        if wallet["ok"]:
            return say(_short(about["method"], about["order_id"], about["amount_cents"], wallet["result"])
                       + SAY("nothing_charged"))
    return say(SAY("could_not", why=paid["error"].message))


def _receipt(p: dict[str, Any]) -> str:
    n, points = p["order_id"], p["points_earned"]
    if p["state"] == "captured":
        where = SAY("in_the_queue") if p["order_state"] == "queued" else p["order_state"]
        earned = (SAY("earned_one") if points == 1 else SAY("earned", points=points)) if points else ""
        return SAY("paid", order=n, where=where, earned=earned)
    if p["state"] == "pending":
        return SAY("pending", order=n)
    return SAY("payment_state", order=n, state=p["state"], order_state=p["order_state"])
