"""The engine's vocabulary built from the live menu of a seeded store (read through the gateway)."""

from __future__ import annotations

import pytest

from gocoffee.bootstrap import Platform
from graph.offline.menu import menu_facts
from graph.offline.vocab import Vocabulary, load_lexicon


@pytest.fixture
async def vocab(platform: Platform) -> Vocabulary:
    return Vocabulary(load_lexicon(), await menu_facts(platform.gateway))
