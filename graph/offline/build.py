"""Assemble the offline chat model over a gateway."""

from __future__ import annotations

from graph.offline.menu import menu_facts
from graph.offline.model import CachedVocabulary, OfflineChatModel
from graph.offline.vocab import Vocabulary, load_lexicon
from mcp_servers.gateway import Gateway
from tools.context import Clock, system_clock


def offline_model(gateway: Gateway, ttl_seconds: float = 60.0, clock: Clock = system_clock) -> OfflineChatModel:
    lexicon = load_lexicon()

    async def build() -> Vocabulary:
        return Vocabulary(lexicon, await menu_facts(gateway))

    return OfflineChatModel(vocabulary=CachedVocabulary(build, ttl_seconds), clock=clock)
