"""Every agent answers with the skills its spec names, and says what it can really do, from its tools."""

from __future__ import annotations

import pytest

from agents.spec import load_agents
from gocoffee.bootstrap import Platform
from gocoffee.settings import Settings
from graph.app import Conversations, build_graph
from graph.checkpoint import open_checkpointer
from graph.offline.build import offline_model
from tools.principal import Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
CUSTOMER = Principal(role=Role.CUSTOMER, id="c1", location_id="downtown")
STAFF = Principal(role=Role.STAFF, id="s1", location_id="downtown")
QUESTION = {"Is this about stock or about shifts?", "Is this about shifts or about stock?"}


async def test_what_can_you_do_lists_the_agents_own_tools(chat: Conversations) -> None:
    barista = await chat.send(CUSTOMER, "what can you do?")
    assert barista.agent == "barista" and barista.text.startswith("Here's what I can do: ")
    assert "place a draft order" in barista.text and "adjust" not in barista.text  # no staff tools for customers
    await chat.send(STAFF, "how much oat milk do we have")
    stock = await chat.send(STAFF, "what can you do?")
    assert stock.agent == "inventory_manager"
    assert "show ingredient stock" in stock.text and "place a draft order" not in stock.text


async def test_an_agent_without_tools_says_so_plainly(chat: Conversations) -> None:
    reply = await chat.send(STAFF, "write an instagram post about our pumpkin latte")
    assert reply.agent == "social_media_content"
    assert "aren't available yet" in reply.text and reply.tool_events == []


async def test_a_request_for_either_of_two_agents_is_asked_about_then_answered(
        platform: Platform, settings: Settings) -> None:
    """Stock and shifts agents that learned from the same examples and purpose (only their one-word `about` differs,
    which the question names): every request is torn between them."""
    agents = load_agents()
    same = {"examples": agents["inventory_manager"].examples + agents["scheduler"].examples, "route_hints": [],
            "learned": agents["inventory_manager"].learned + agents["scheduler"].learned,
            "purpose": f"{agents['inventory_manager'].purpose} {agents['scheduler'].purpose}"}
    twins = {**agents, **{n: agents[n].model_copy(update=same) for n in ("inventory_manager", "scheduler")}}
    model = offline_model(platform.gateway)
    async with open_checkpointer(settings.db_url()) as saver:
        chat = Conversations(build_graph(platform.gateway, lambda tier: model, saver, twins), platform.gateway)
        manager = Principal(role=Role.MANAGER, id="m1")
        asked = await chat.send(manager, "is there enough for the weekend?")
        assert asked.text in QUESTION and asked.agent == "router"
        assert asked.tool_events == []
        answered = await chat.send(manager, "stock")
        assert answered.agent == "inventory_manager" and [e.tool for e in answered.tool_events] == ["get_stock"]
        assert answered.text.startswith("Lowest stock: ")
        still = await chat.send(manager, "and for next week?")
        assert still.agent == "inventory_manager", "the agent now talking keeps a request that could be for either"
        again = await chat.send(manager, "is there enough for the weekend?", thread_id="weekend")
        assert again.text in QUESTION
        shifts = await chat.send(manager, "shifts please", thread_id="weekend")
        assert shifts.agent == "scheduler" and [e.tool for e in shifts.tool_events] == ["list_shifts"], shifts.text


async def test_a_staff_members_words_are_not_read_as_a_coffee_order(chat: Conversations) -> None:
    for text, agent in (("we're low on oat milk", "inventory_manager"), ("are we low on anything?", "inventory_manager"),
                        ("a flat white for table 4", "barista")):
        reply = await chat.send(STAFF, text)
        assert reply.agent == agent, text
        assert "on the menu" not in reply.text, reply.text
