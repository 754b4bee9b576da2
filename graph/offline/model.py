"""The offline engine behind LangChain's chat-model interface: it picks a behaviour from the tools it is given."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, Field

from agents.spec import load_agents
from graph.offline import staff
from graph.offline.context import read
from graph.offline.menu import shop_today
from graph.offline.reply import use
from graph.offline.scan import has, tokenize
from graph.offline.skills import answer, choose_agent, skill_named, what_i_can_do
from graph.offline.vocab import Vocabulary
from tools.context import system_clock

VocabularySource = Callable[[], Awaitable[Vocabulary]]


class CachedVocabulary:
    """Rebuild the vocabulary from the live menu at most every `ttl` seconds: new items are understood
    without code changes."""

    def __init__(self, build: VocabularySource, ttl: float = 60.0) -> None:
        self._build, self._ttl = build, ttl
        self._vocab: Vocabulary | None = None
        self._at = 0.0

    async def __call__(self) -> Vocabulary:
        if self._vocab is None or time.monotonic() - self._at > self._ttl:
            self._vocab, self._at = await self._build(), time.monotonic()
        return self._vocab


class OfflineChatModel(BaseChatModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    vocabulary: Any
    tools: list[dict[str, Any]] = Field(default_factory=list)
    clock: Any = system_clock
    """Today, for "tomorrow" and "next Tuesday" (the platform's injected clock)."""

    @property
    def _llm_type(self) -> str:
        return "gocoffee-offline"

    def bind_tools(self, tools: Any, **kwargs: Any) -> OfflineChatModel:
        return self.model_copy(update={"tools": [convert_to_openai_tool(t)["function"] for t in tools]})

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                         run_manager: AsyncCallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        reply = await self.respond(messages)
        return ChatResult(generations=[ChatGeneration(message=reply)])

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        raise TypeError("the offline engine reads the menu through async tools: call it with ainvoke")

    async def respond(self, messages: list[BaseMessage]) -> AIMessage:
        vocab: Vocabulary = await self.vocabulary()
        names = frozenset(t["name"] for t in self.tools)
        heard = read(messages, names)
        ctx = replace(heard, today=shop_today(vocab.menu, heard.shop, self.clock()))
        turn = sum(isinstance(m, HumanMessage) for m in messages)
        if "route_to" in names:
            schema = next(t for t in self.tools if t["name"] == "route_to")["parameters"]
            agent = choose_agent(vocab, ctx.text, list(schema["properties"]["agent"]["enum"]))
            return use(turn, ("route_to", {"agent": agent})) if agent else AIMessage(content="")
        if not ctx.calls and has(" ".join(tokenize(ctx.text)), vocab.words("capabilities")):
            return what_i_can_do(self.tools)
        spec = load_agents().get(ctx.agent or "")
        if spec is None or not spec.skills:
            return staff.specialist(ctx)
        return answer([skill_named(s) for s in spec.skills], vocab, ctx, turn)
