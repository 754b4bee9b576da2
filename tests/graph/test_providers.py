"""GOCOFFEE_MODEL: the same graph on an OpenAI-compatible server, spoken to by the real client over HTTP.

The server is a stand-in for a hosted LLM (which cannot run here): it answers with the openai SDK's own
response objects, so the wire format on both sides is the vendor's.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from openai.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessage, ChatCompletionMessageToolCall
from openai.types.chat.chat_completion import Choice
from openai.types.chat.chat_completion_chunk import Choice as ChunkChoice
from openai.types.chat.chat_completion_chunk import ChoiceDelta, ChoiceDeltaToolCall, ChoiceDeltaToolCallFunction
from openai.types.chat.chat_completion_message_tool_call import Function

from gocoffee.bootstrap import build_platform, running
from gocoffee.settings import Settings
from graph.models import chat_model
from tests.live import LiveServer
from tools.errors import InvalidInput
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio


def fake_llm(seen: list[dict[str, Any]]) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions", response_model=None)
    async def complete(request: Request) -> dict[str, Any] | StreamingResponse:
        body = await request.json()
        seen.append(body)
        if body.get("stream"):
            return StreamingResponse(_sse(body, _delta(body)), media_type="text/event-stream")
        last = body["messages"][-1]
        if last["role"] == "tool":
            level = json.loads(last["content"])["levels"][0]
            message = ChatCompletionMessage(role="assistant", content=f"{level['quantity']} {level['unit']} left.")
        else:
            call = ChatCompletionMessageToolCall(id="call_1", type="function", function=Function(
                name="get_stock", arguments=json.dumps({"location_id": "campus", "ingredient_id": "oat_milk"})))
            message = ChatCompletionMessage(role="assistant", content=None, tool_calls=[call])
        reply = ChatCompletion(id="cmpl-1", object="chat.completion", created=int(time.time()), model=body["model"],
                               choices=[Choice(index=0, finish_reason="stop", message=message)])
        return reply.model_dump(exclude_none=True)

    return app


def _delta(body: dict[str, Any]) -> ChoiceDelta:
    last = body["messages"][-1]
    if last["role"] == "tool":
        level = json.loads(last["content"])["levels"][0]
        return ChoiceDelta(role="assistant", content=f"{level['quantity']} {level['unit']} left.")
    call = ChoiceDeltaToolCall(index=0, id="call_1", type="function", function=ChoiceDeltaToolCallFunction(
        name="get_stock", arguments=json.dumps({"location_id": "campus", "ingredient_id": "oat_milk"})))
    return ChoiceDelta(role="assistant", tool_calls=[call])


async def _sse(body: dict[str, Any], delta: ChoiceDelta) -> Any:
    finish = "tool_calls" if delta.tool_calls else "stop"
    for choice in (ChunkChoice(index=0, delta=delta), ChunkChoice(index=0, delta=ChoiceDelta(), finish_reason=finish)):
        chunk = ChatCompletionChunk(id="cmpl-1", object="chat.completion.chunk", created=int(time.time()),
                                    model=body["model"], choices=[choice])
        yield f"data: {chunk.model_dump_json(exclude_none=True)}\n\n"
    yield "data: [DONE]\n\n"


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_the_graph_runs_on_an_openai_compatible_server(settings: Settings) -> None:
    seen: list[dict[str, Any]] = []
    with LiveServer(app=fake_llm(seen)) as llm:
        configured = settings.model_copy(update={"model": f"{llm.url}/v1#fake-model"})
        platform = build_platform(configured)
        async with running(platform) as live:
            reply = await live.chat().send(Principal(role=Role.STAFF, id="s1", location_id="campus"),
                                               "how much oat milk is in stock?")
    assert reply.agent == "inventory_manager" and reply.model_calls == 2
    assert reply.text.endswith(" ml left.") and reply.tool_events[0].tool == "get_stock"
    offered = {t["function"]["name"] for t in seen[0]["tools"]}
    assert "get_stock" in offered and "create_cart" not in offered
    schema = next(t for t in seen[0]["tools"] if t["function"]["name"] == "get_stock")["function"]["parameters"]
    assert schema["properties"]["location_id"]["description"] == "Only this shop; default all."
    tool_turn = seen[1]["messages"][-1]
    assert tool_turn["role"] == "tool" and tool_turn["tool_call_id"] == "call_1"
    assert seen[0]["model"] == "fake-model" and seen[0]["messages"][0]["role"] == "system"


async def test_model_names_choose_their_provider(platform) -> None:  # type: ignore[no-untyped-def]
    from langchain_ollama import ChatOllama
    from langchain_openai import ChatOpenAI

    assert isinstance(chat_model("openai:gpt-4o-mini", platform.gateway, api_key="sk-test"), ChatOpenAI)
    assert isinstance(chat_model("ollama:llama3.2", platform.gateway), ChatOllama)
    assert chat_model("offline", platform.gateway)._llm_type == "gocoffee-offline"
    with pytest.raises(InvalidInput):
        chat_model("gpt5-please", platform.gateway)
