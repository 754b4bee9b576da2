"""The engine's vocabulary built from the live menu of a seeded store (read through the gateway), and whole
conversations with the offline engine through the real graph, gateway and store."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gocoffee.bootstrap import Platform
from gocoffee.settings import Settings
from graph.app import Conversations, build_graph
from graph.checkpoint import open_checkpointer
from graph.offline.build import offline_model
from graph.offline.menu import menu_facts
from graph.offline.vocab import Vocabulary, load_lexicon


@pytest.fixture
async def vocab(platform: Platform) -> Vocabulary:
    return Vocabulary(load_lexicon(), await menu_facts(platform.gateway))


@pytest.fixture
async def chat(platform: Platform, settings: Settings) -> AsyncIterator[Conversations]:
    model = offline_model(platform.gateway)
    async with open_checkpointer(settings.db_url()) as saver:
        yield Conversations(build_graph(platform.gateway, lambda tier: model, saver), platform.gateway)
