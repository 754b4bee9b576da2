"""Which brain runs: `offline` (default), `openai:<model>`, `ollama:<model>`, or an OpenAI-compatible base URL.

The graph only sees a `ModelFor` (tier -> chat model). Hosted and local providers are optional installs
(`pip install -e ".[llm]"`) and are imported only when chosen.
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel

from graph.nodes import ModelFor
from graph.offline.build import offline_model
from mcp_servers.gateway import Gateway
from tools.context import Clock, system_clock
from tools.errors import InvalidInput


def chat_model(spec: str, gateway: Gateway, api_key: str | None = None, clock: Clock = system_clock) -> BaseChatModel:
    if spec == "offline":
        return offline_model(gateway, clock=clock)
    return hosted_model(spec, api_key)


def hosted_model(spec: str, api_key: str | None = None) -> BaseChatModel:
    """A language model by configuration (anything but the offline engine, which needs the platform's tools)."""
    kind, _, name = spec.partition(":")
    if kind == "openai" and name:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(model=name, api_key=api_key, temperature=0)
    if kind == "ollama" and name:
        from langchain_ollama import ChatOllama

        return ChatOllama(model=name, temperature=0)
    if spec.startswith(("http://", "https://")):
        from langchain_openai import ChatOpenAI

        base, _, model = spec.partition("#")
        extra: dict[str, Any] = {"api_key": api_key or "not-needed"}
        return ChatOpenAI(base_url=base, model=model or "local", temperature=0, **extra)
    raise InvalidInput(f"unknown model {spec!r}: use offline, openai:<model>, ollama:<model> or an "
                       "OpenAI-compatible base URL (http://host:port/v1#model)")


def models(spec: str, gateway: Gateway, api_key: str | None = None, clock: Clock = system_clock) -> ModelFor:
    model = chat_model(spec, gateway, api_key, clock)
    return lambda tier: model
