"""A scripted tool-calling chat model: replies are given in order, each a message or a function of the
messages it was sent. It records what it was asked and which tools it was offered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr

Step = AIMessage | Callable[[list[BaseMessage]], AIMessage]


def call(name: str, call_id: str | None = None, **args: Any) -> dict[str, Any]:
    return {"name": name, "args": args, "id": call_id or f"call-{name}-{abs(hash(str(args))) % 10**8}",
            "type": "tool_call"}


def said(text: str, *calls: dict[str, Any]) -> AIMessage:
    return AIMessage(content=text, tool_calls=list(calls))


def last_result(messages: list[BaseMessage]) -> str:
    return str(next(m for m in reversed(messages) if isinstance(m, ToolMessage)).content)


class ScriptedModel(BaseChatModel):
    steps: list[Any]
    _offered: list[list[str]] = PrivateAttr(default_factory=list)
    _seen: list[list[BaseMessage]] = PrivateAttr(default_factory=list)
    _tools: list[str] = PrivateAttr(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    @property
    def offered(self) -> list[list[str]]:
        return self._offered

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedModel:  # type: ignore[override]
        self._tools = [getattr(t, "name", None) or t["function"]["name"] for t in tools]
        return self

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        if not self.steps:
            raise AssertionError(f"the script ran out; the model was called again with {messages[-1]!r}")
        self._offered.append(list(self._tools))
        self._seen.append(list(messages))
        step = self.steps.pop(0)
        reply = step(messages) if callable(step) else step
        return ChatResult(generations=[ChatGeneration(message=reply)])
