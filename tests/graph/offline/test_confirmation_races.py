"""A confirmed action acts once, however often or however concurrently it is confirmed; a thread is its owner's."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from gocoffee.bootstrap import Platform
from gocoffee.settings import Settings
from graph.app import Conversations, build_graph
from graph.checkpoint import open_checkpointer
from graph.offline.build import offline_model
from tests.graph.offline.test_money_conversations import ALICE, BOB, coffee_of, holder
from tools.errors import Forbidden
from tools.principal import Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.chain, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
MALLORY = Principal(role=Role.CUSTOMER, id="mallory")


async def test_five_concurrent_yeses_send_coffee_once(chat: Conversations, platform: Platform) -> None:
    await holder(platform, ALICE, 5)
    await chat.send(ALICE, "send 0.25 COFFEE to bob")
    replies = await asyncio.gather(*(chat.send(ALICE, "yes") for _ in range(5)))
    assert await coffee_of(platform, BOB) == Decimal("0.25")
    assert await coffee_of(platform, ALICE) == Decimal("4.75")
    sent = [r for r in replies if any(e.tool == "transfer_coffee" for e in r.tool_events)]
    assert len(sent) == 1 and sent[0].text.startswith("Sent 0.25 COFFEE to bob")


async def test_a_confirmation_seen_by_two_servers_at_once_acts_once(platform: Platform, settings: Settings) -> None:
    """Two conversation services on one store (two processes, say) each take the same "yes" before either has
    written its turn: the key comes from the question both answer, so the transfer happens once."""
    await holder(platform, ALICE, 5)
    model = offline_model(platform.gateway)
    async with open_checkpointer(settings.db_url()) as one, open_checkpointer(settings.db_url()) as two:
        first = Conversations(build_graph(platform.gateway, lambda tier: model, one), platform.gateway)
        second = Conversations(build_graph(platform.gateway, lambda tier: model, two), platform.gateway)
        await first.send(ALICE, "send 0.25 COFFEE to bob")
        await asyncio.gather(first.send(ALICE, "yes"), second.send(ALICE, "yes"))
    assert await coffee_of(platform, BOB) == Decimal("0.25")


async def test_another_persons_thread_is_refused(chat: Conversations, platform: Platform) -> None:
    await holder(platform, ALICE, 5)
    await chat.send(ALICE, "send 1 COFFEE to bob")  # a pending question in alice's thread
    for name in ("customer:alice", "customer:alice@downtown"):
        with pytest.raises(Forbidden):
            await chat.send(MALLORY, "yes", thread_id=name)
    assert await coffee_of(platform, BOB) == 0
    same_name = await chat.send(MALLORY, "yes", thread_id="shared")  # a name is read inside its owner's space
    assert same_name.tool_events == []
    mine = await chat.send(ALICE, "yes", thread_id="customer:alice@downtown")  # her own, however spelled
    assert [e.tool for e in mine.tool_events] == ["transfer_coffee"] and await coffee_of(platform, BOB) == 1
