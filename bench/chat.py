"""Chat-turn benchmark: one offline-engine turn through the real graph (in-process, SQLite) vs the same graph
driven by a scripted model that makes the same tool calls with no language work, so the engine's own cost shows.

Each conversation is a new customer: "a large latte with oat milk" (route, create_cart, answer) then "yes"
(route, place_order, answer). Reported per turn: median and p95 latency for each brain and the ratio offline :
scripted, and where an offline turn's time goes (the engine's own work, tool calls through the gateway). Rounds alternate between the brains; nothing is asserted.
A third brain, the scripted model with checkpoints in memory, shows what writing checkpoints to SQLite costs.

Run `.venv/bin/python -m bench.chat [--conversations N]`; JSON in bench/results/chat-*.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import Field

from gocoffee.bootstrap import Running, build_platform, running
from gocoffee.settings import Settings
from graph.app import Conversations, build_graph
from graph.checkpoint import open_checkpointer
from graph.offline.build import offline_model
from graph.offline.model import OfflineChatModel
from tools.principal import Principal, Role

RESULTS = Path(__file__).resolve().parent / "results"
TURNS = ("a large latte with oat milk", "yes")
LINE = {"item_id": "latte", "size": "large", "milk": "oat"}


class ScriptedModel(BaseChatModel):
    """Routes every turn to the barista, orders a latte on the first turn and places it on "yes"."""

    tools: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-bench"

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedModel:
        return self.model_copy(update={"tools": [convert_to_openai_tool(t)["function"]["name"] for t in tools]})

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._step(messages))])

    def _step(self, messages: list[BaseMessage]) -> AIMessage:
        last = messages[-1]
        if "route_to" in self.tools:
            return _calls(("route_to", {"agent": "barista"}))
        if isinstance(last, ToolMessage):
            return AIMessage(content="Done.")
        if isinstance(last, HumanMessage) and str(last.content) == TURNS[0]:
            return _calls(("create_cart", {"location_id": "downtown", "lines": [LINE]}))
        cart = next(m for m in reversed(messages) if isinstance(m, ToolMessage) and m.name == "create_cart")
        return _calls(("place_order", {"order_id": json.loads(str(cart.content))["order_id"]}))


def _calls(*calls: tuple[str, dict[str, Any]]) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": n, "args": a, "id": f"b-{k}-{n}", "type": "tool_call"}
                                             for k, (n, a) in enumerate(calls)])


class Clock:
    """Time spent inside wrapped calls, by name."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)

    def wrap(self, owner: Any, attr: str, name: str) -> None:
        inner: Callable[..., Awaitable[Any]] = getattr(owner, attr)

        async def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return await inner(*args, **kwargs)
            finally:
                self.spent[name] += time.perf_counter() - start

        setattr(owner, attr, timed)

    @contextmanager
    def reset(self) -> Iterator[dict[str, float]]:
        self.spent.clear()
        yield self.spent


async def conversation(chat: Conversations, n: int, brain: str) -> list[float]:
    who = Principal(role=Role.CUSTOMER, id=f"{brain}{n}", location_id="downtown")
    took = []
    for text in TURNS:
        start = time.perf_counter()
        reply = await chat.send(who, text)
        took.append(time.perf_counter() - start)
        if not reply.tool_events or not reply.tool_events[-1].ok:
            raise RuntimeError(f"{brain} turn {text!r} did not do its work: {reply.text}")
    return took


def summary(turns: list[float]) -> dict[str, float]:
    ordered = sorted(turns)
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000}


async def restock(run: Running) -> None:
    manager = Principal(role=Role.MANAGER, id="bench")
    for ingredient in ("oat_milk", "espresso_beans"):
        await run.gateway.call("adjust_stock", {"location_id": "downtown", "ingredient_id": ingredient,
                                                "delta": 1_000_000, "reason": "bench"}, principal=manager)


async def measure(run: Running, conversations: int) -> dict[str, Any]:
    await restock(run)
    clock = Clock()
    clock.wrap(OfflineChatModel, "respond", "engine")
    clock.wrap(run.gateway, "call", "tools")
    async with open_checkpointer(run.settings.db_url()) as saver:
        engine = offline_model(run.gateway, clock=run.runtime.clock)
        brains = {
            "offline": Conversations(build_graph(run.gateway, lambda tier: engine, saver), run.gateway),
            "scripted": Conversations(build_graph(run.gateway, lambda tier: ScriptedModel(), saver), run.gateway),
            "scripted_in_memory": Conversations(
                build_graph(run.gateway, lambda tier: ScriptedModel(), InMemorySaver()), run.gateway),
        }
        for warm in range(3):
            for name, chat in brains.items():
                await conversation(chat, 10_000 + warm, f"warm-{name}")
        turns: dict[str, list[float]] = defaultdict(list)
        parts: dict[str, float] = defaultdict(float)
        for n in range(conversations):
            for name, chat in brains.items():
                with clock.reset() as spent:
                    turns[name] += await conversation(chat, n, name)
                    if name == "offline":
                        for k, v in spent.items():
                            parts[k] += v / len(TURNS) / conversations * 1000
    result = {b: summary(t) for b, t in turns.items()}
    median = {b: r["median_ms"] for b, r in result.items()}
    return {**result, "ratio_offline_to_scripted": median["offline"] / median["scripted"],
            "offline_turn_ms_mean": {"engine": parts["engine"], "tool_calls": parts["tools"]},
            "checkpoint_ms_median": median["scripted"] - median["scripted_in_memory"],
            "engine_ms_median": median["offline"] - median["scripted"], "conversations": conversations}


async def main(conversations: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), kitchen=False, chain=False)
        async with running(build_platform(settings)) as run:
            return await measure(run, conversations)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=60)
    found = asyncio.run(main(parser.parse_args().conversations))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"chat-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(found, indent=2))
    print(json.dumps(found, indent=2))
