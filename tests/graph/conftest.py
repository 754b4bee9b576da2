"""The supervisor graph on the test platform, with a model the test scripts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack

import pytest

from gocoffee.bootstrap import Platform
from gocoffee.settings import Settings
from graph.app import Conversations, build_graph
from graph.checkpoint import open_checkpointer
from tests.graph.fakes import ScriptedModel

MakeChat = Callable[[ScriptedModel], Awaitable[Conversations]]


@pytest.fixture
async def make_chat(platform: Platform, settings: Settings) -> AsyncIterator[MakeChat]:
    async with AsyncExitStack() as stack:
        async def make(model: ScriptedModel) -> Conversations:
            saver = await stack.enter_async_context(open_checkpointer(settings.db_url()))
            return Conversations(build_graph(platform.gateway, lambda tier: model, saver), platform.gateway)

        yield make
