"""Run the phrasing sets through the real graph (offline engine, in-process platform on a fresh SQLite store)
and report accuracy per part. Failures are listed for the tuned part only: the kept part is for reporting.

`python -m evals.language.measure [routing|orders] [--show-failures]`
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections import Counter
from pathlib import Path

from langchain_core.messages import HumanMessage
from langchain_core.runnables import RunnableConfig

from agents.spec import load_agents
from evals.language.data import Conversation, Line, Request, conversations, part_of, requests
from gocoffee.bootstrap import Running, build_platform, running
from gocoffee.settings import Settings
from graph.models import models
from graph.nodes import Nodes
from graph.offline.menu import menu_facts
from tools.orders.models import OrderList
from tools.principal import Principal

ASKED = "(asked which)"
SPEAKERS = {"customer": "customer:lang-{n}", "staff": "staff:s1@downtown", "manager": "manager:m1"}


async def route_one(nodes: Nodes, request: Request, n: int) -> str:
    who = Principal.parse(SPEAKERS[request.who].format(n=n))
    config: RunnableConfig = {"configurable": {"thread_id": f"lang-{n}", "principal": who.as_header()}}
    decided = await nodes.route({"messages": [HumanMessage(request.text)]}, config)
    return str(decided.get("active_agent") or ASKED)  # no agent: the router asked the person which they meant


async def routing(platform: Running, batch: str) -> list[tuple[Request, str]]:
    nodes = Nodes(load_agents(), platform.gateway, models("offline", platform.gateway))
    return [(r, await route_one(nodes, r, n)) for n, r in enumerate(requests(batch))]


async def final_order(platform: Running, who: Principal) -> tuple[bool, list[Line]] | None:
    listed = await platform.gateway.call("list_orders", {}, principal=who)
    assert isinstance(listed, OrderList)
    if not listed.orders:
        return None
    order = max(listed.orders, key=lambda o: o.order_id)
    lines = [Line(item_id=ln.item_id, size=ln.size, quantity=ln.quantity, milk=ln.milk, extras=ln.extras)
             for ln in order.lines]
    return order.state.value != "draft", lines


def same_order(expected: Conversation, got: tuple[bool, list[Line]] | None) -> bool:
    if got is None:
        return False
    placed, lines = got
    want: Counter[tuple[str, str, str | None, tuple[str, ...]]] = Counter()
    have: Counter[tuple[str, str, str | None, tuple[str, ...]]] = Counter()
    for ln in expected.line:
        want[ln.key()] += ln.quantity
    for ln in lines:
        have[ln.key()] += ln.quantity
    return placed == expected.placed and want == have


async def restock(platform: Running) -> None:
    """Enough of everything at downtown that hundreds of conversations never meet an empty shelf."""
    manager = Principal.parse("manager:language")
    for ingredient in (await menu_facts(platform.gateway)).ingredients:
        await platform.gateway.call("adjust_stock", {"location_id": "downtown", "ingredient_id": ingredient,
                                                     "delta": 1_000_000, "reason": "measure"}, principal=manager)


async def orders(platform: Running, batch: str, only: str = "") -> list[tuple[Conversation, str]]:
    await restock(platform)
    results = []
    for n, c in enumerate(conversations(batch)):
        if only not in c.id:
            continue
        who = Principal.parse(f"customer:talk-{n}@downtown")
        said = []
        for turn in c.turns:
            reply = await platform.chat().send(who, turn)
            said.append(f"  > {turn}\n  < {reply.text}")
        got = await final_order(platform, who)
        ok = same_order(c, got)
        results.append((c, "ok" if ok else "\n".join(said) + f"\n  got: {got}"))
    return results


def report(name: str, outcomes: list[tuple[str, bool, str]], show: bool) -> None:
    for part in ("tuned", "kept"):
        mine = [(ok, detail) for key, ok, detail in outcomes if part_of(key) == part]
        right, asked = sum(ok for ok, _ in mine), sum(ASKED in detail for ok, detail in mine if not ok)
        print(f"{name} {part:>5}: {right}/{len(mine)} = {right / max(len(mine), 1):.3f}"
              + (f" ({asked} more asked which agent was meant)" if asked else ""))
    if show:
        for key, ok, detail in outcomes:
            if not ok and part_of(key) == "tuned":
                print(f"- {key}\n{detail}")


async def main(which: str, show: bool, batch: str, only: str = "") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), kitchen=False, chain=False)
        async with running(build_platform(settings)) as platform:
            if which == "routing":
                routed = await routing(platform, batch)
                report("routing", [(r.text, got == r.agent, f"  {r.who}: expected {r.agent}, got {got}")
                                   for r, got in routed], show)
            else:
                talked = await orders(platform, batch, only)
                report("orders", [(c.id, detail == "ok", f"  [{c.family}]\n{detail}") for c, detail in talked], show)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("which", choices=["routing", "orders"])
    p.add_argument("--show-failures", action="store_true", help="list the tuned part's failures")
    p.add_argument("--batch", default="*", help='one batch by its file suffix ("", "_more", "_third"); default all')
    p.add_argument("--only", default="", help="orders: only the conversations whose id contains this")
    args = p.parse_args()
    asyncio.run(main(args.which, args.show_failures, args.batch, args.only))
