"""A turn reports the tokens its model calls used, when the model reports usage; the offline engine reports none."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage

from gocoffee.bootstrap import Platform
from tests.graph.conftest import MakeChat
from tests.graph.fakes import ScriptedModel, call, said
from tools.principal import Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
ALICE = Principal(role=Role.CUSTOMER, id="alice", location_id="downtown")


def used(message: AIMessage, tokens: int) -> AIMessage:
    message.usage_metadata = {"input_tokens": tokens - 5, "output_tokens": 5, "total_tokens": tokens}
    return message


async def test_tokens_are_summed_over_the_turn_s_model_calls(make_chat: MakeChat) -> None:
    model = ScriptedModel(steps=[used(said("", call("list_menu_items")), 120), used(said("We have lattes."), 80)])
    reply = await (await make_chat(model)).send(ALICE, "what is on the menu?")
    assert reply.model_calls == 2 and reply.tokens == 200


async def test_the_offline_engine_reports_no_tokens(platform: Platform) -> None:
    reply = await platform.chat().send(ALICE, "how much is a latte?")
    assert reply.model_calls >= 1 and reply.tokens is None
