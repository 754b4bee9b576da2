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

PAID = frozenset({"paid", "queued", "brewing", "ready", "collected"})


def answer(ctx: Context, turn: int) -> AIMessage:
    about = ctx.about or {}
    calls = {c["name"]: c for c in ctx.calls}
    if "pay_order" in calls:
        return _after_paying(calls["pay_order"], calls.get("get_wallet"), about, turn)
    failed = next((c for c in ctx.calls if not c["ok"]), None)
    if failed:
        if _code(failed) == "not_found" and failed["name"] == "get_order":
            return say(f"I couldn't find order {about['order_id']} among your orders, so nothing was charged.")
        return say(explain(failed["error"]))
    wallet = calls["get_wallet"]["result"]
    if "get_order" in calls:
        return _ask(calls["get_order"]["result"], wallet, about.get("method"))
    orders = calls["list_orders"]["result"]["orders"]
    if not orders:
        return say("You don't have a placed order waiting to be paid.")
    if len(orders) > 1:
        which = listing([f"{o['order_id']} ({dollars(o['total_cents'])})" for o in orders])
        return say(f"Orders {which} are waiting to be paid. Which one?",
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
        return say(f"Order {n} is {dollars(total)}. Pay from your balance ({dollars(balance)}) or with COFFEE "
                   f"({coffee(held)})?", PayMethod(order_id=n))
    way = method or ("coffee" if coffee_covers else "stored_value")  # the one way that can pay it
    if way == "coffee" and held is not None and coffee_covers:
        due = Decimal(total) / 100
        return say(f"Pay {coffee(due)} COFFEE ({dollars(total)}) for order {n}? You'll have {coffee(held - due)} "
                   "COFFEE left. Say yes to confirm.", _pending(n, way, total))
    if way == "stored_value" and balance >= total:
        return say(f"Pay {dollars(total)} for order {n} from your balance? You'll have {dollars(balance - total)} "
                   "left. Say yes to confirm.", _pending(n, way, total))
    return say(_short(way, n, total, wallet))


def _pending(order_id: int, method: str, total: int) -> Pay:
    return Pay(args={"order_id": order_id, "method": method}, amount_cents=total)


def _short(method: str, order_id: int, total: int, wallet: dict[str, Any]) -> str:
    if method == "stored_value":
        return (f"Your balance is {dollars(wallet['balance_cents'])}, short of {dollars(total)} for order "
                f"{order_id} — staff can top it up at the till.")
    held = _held(wallet)
    if held is None:
        return "COFFEE isn't available here right now, so I can't take payment in COFFEE."
    return f"You have {coffee(held)} COFFEE, short of {coffee(Decimal(total) / 100)} for order {order_id}."


def _not_payable(order: dict[str, Any]) -> str:
    n, state = order["order_id"], order["state"]
    if state == "draft":
        return f"Order {n} isn't placed yet, so there's nothing to pay."
    if state in PAID:
        return f"Order {n} is already paid" + ("." if state == "paid" else f" — it's {state}.")
    return f"Order {n} is {state}, so there's nothing to pay."


def _after_paying(paid: dict[str, Any], wallet: dict[str, Any] | None, about: dict[str, Any],
                  turn: int) -> AIMessage:
    if paid["ok"]:
        return say(_receipt(paid["result"]))
    if _code(paid) == "insufficient_funds":
        if wallet is None:  # read the wallet again, to say what is there rather than quote the error
            return use(turn, ("get_wallet", {}), about=about)
        if wallet["ok"]:
            return say(_short(about["method"], about["order_id"], about["amount_cents"], wallet["result"])
                       + " Nothing was charged.")
    return say(f"Sorry, I couldn't take that payment: {paid['error'].message}. Nothing was charged.")


def _receipt(p: dict[str, Any]) -> str:
    n, points = p["order_id"], p["points_earned"]
    if p["state"] == "captured":
        where = "in the queue" if p["order_state"] == "queued" else p["order_state"]
        earned = f"; you earned {points} point{'' if points == 1 else 's'}" if points else ""
        return f"Paid! Order {n} is {where}{earned}."
    if p["state"] == "pending":
        return f"Your payment for order {n} is sent; the order goes to the kitchen once it's confirmed."
    return f"The payment for order {n} is {p['state']}; the order is {p['order_state']}."
