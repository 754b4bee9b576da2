"""The chat turn in AG-UI: a run built with the `ag-ui-protocol` package's own `RunAgentInput`, and every event
the server sends parsed back with that package's own event union — the tool calls, the reply as one text message,
and RUN_FINISHED carrying the reply's choices; someone else's thread is refused before anything streams."""

from __future__ import annotations

import uuid

import pytest
from ag_ui.core import (
    Event,
    EventType,
    RunAgentInput,
    RunFinishedEvent,
    TextMessageContentEvent,
    ToolCallStartEvent,
    UserMessage,
)
from pydantic import TypeAdapter

from gocoffee.settings import Settings
from tests.identities import AS
from tests.live import app_client

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
EVENTS: TypeAdapter[Event] = TypeAdapter(Event)


def run(text: str, thread: str) -> dict[str, object]:
    built = RunAgentInput(thread_id=thread, run_id=uuid.uuid4().hex, state=None, tools=[], context=[],
                          forwarded_props=None, messages=[UserMessage(id="m1", content=text)])
    return dict(built.model_dump(mode="json", by_alias=True, exclude_none=True))


async def test_an_order_turn_streams_as_ag_ui_events(settings: Settings) -> None:
    async with app_client(settings) as client:
        reply = await client.post("/api/v1/chat/ag-ui", json=run("a large latte at downtown", "web-1"),
                                  headers={AS: "customer:agui"})
        assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/event-stream")
        events = [EVENTS.validate_json(line.removeprefix("data: ")) for line in reply.text.splitlines()
                  if line.startswith("data: ")]
    kinds = [e.type for e in events]
    assert kinds[0] == EventType.RUN_STARTED and kinds[-1] == EventType.RUN_FINISHED
    assert "create_cart" in [e.tool_call_name for e in events if isinstance(e, ToolCallStartEvent)]
    assert kinds.count(EventType.TEXT_MESSAGE_START) == kinds.count(EventType.TEXT_MESSAGE_END) == 1
    text = "".join(e.delta for e in events if isinstance(e, TextMessageContentEvent))
    assert "Shall I place it?" in text
    finished = events[-1]
    assert isinstance(finished, RunFinishedEvent) and finished.result is not None
    assert finished.result["choices"] == ["Yes", "No"]


async def test_someone_else_s_thread_is_refused_before_anything_streams(settings: Settings) -> None:
    async with app_client(settings) as client:
        refused = await client.post("/api/v1/chat/ag-ui", json=run("hi", "customer:someone-else"),
                                    headers={AS: "customer:agui"})
    assert refused.status_code == 403
