"""Every agent answers with the skills its spec names, and says what it can really do, from its tools."""

from __future__ import annotations

import pytest

from graph.app import Conversations
from tools.principal import Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
CUSTOMER = Principal(role=Role.CUSTOMER, id="c1", location_id="downtown")
STAFF = Principal(role=Role.STAFF, id="s1", location_id="downtown")


async def test_what_can_you_do_lists_the_agents_own_tools(chat: Conversations) -> None:
    barista = await chat.send(CUSTOMER, "what can you do?")
    assert barista.agent == "barista" and barista.text.startswith("Here's what I can do: ")
    assert "place a draft order" in barista.text and "adjust" not in barista.text  # no staff tools for customers
    await chat.send(STAFF, "how much oat milk do we have")
    stock = await chat.send(STAFF, "what can you do?")
    assert stock.agent == "inventory_manager"
    assert "show ingredient stock" in stock.text and "place a draft order" not in stock.text


async def test_an_agent_without_tools_says_so_plainly(chat: Conversations) -> None:
    reply = await chat.send(STAFF, "make next week's rota for campus")
    assert reply.agent == "scheduler"
    assert "aren't available yet" in reply.text and reply.tool_events == []
