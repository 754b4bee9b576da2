"""The chat turn in AG-UI, a published agent–UI streaming protocol (the `ag-ui-protocol` package's own types), so
existing chat front-ends can connect: a `RunAgentInput` in, Server-Sent Events out — RUN_STARTED, the agent as a
step, each tool call (START, ARGS, END, RESULT), the reply as a text message, RUN_FINISHED (its `result` carries the
reply's choices and any pending approval), or RUN_ERROR for a refusal."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

from ag_ui.core import (
    BaseEvent,
    RunAgentInput,
    RunErrorEvent,
    RunFinishedEvent,
    RunStartedEvent,
    StepFinishedEvent,
    StepStartedEvent,
    TextMessageContentEvent,
    TextMessageEndEvent,
    TextMessageStartEvent,
    ToolCallArgsEvent,
    ToolCallEndEvent,
    ToolCallResultEvent,
    ToolCallStartEvent,
    UserMessage,
)
from ag_ui.encoder import EventEncoder
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from channels.rest.deps import PrincipalDep, ServingDep
from channels.rest.throttle import limit
from graph.app import thread_key
from graph.events import ChatEvent
from tools.errors import DomainError, InvalidInput
from tools.principal import Principal

router = APIRouter(prefix="/api/v1/chat", tags=["chat"])


class AgUiStream(StreamingResponse):
    media_type = "text/event-stream"


THREAD = re.compile(r"^[\w:.@\-]{1,120}$")


def _said(run: RunAgentInput) -> str:
    """The person's newest message (text parts joined)."""
    said = next((m for m in reversed(run.messages) if isinstance(m, UserMessage)), None)
    if said is None:
        raise InvalidInput("an AG-UI run needs a user message")
    text = said.content if isinstance(said.content, str) else " ".join(
        str(getattr(part, "text", "")) for part in said.content)
    if not text.strip() or len(text) > 2000:
        raise InvalidInput("the user message must be 1 to 2000 characters")
    return text


class Translation:
    """Our chat events as AG-UI events, for one run."""

    def __init__(self, run: RunAgentInput) -> None:
        self.run, self.message = run, f"{run.run_id}-reply"
        self.calls: list[tuple[str, str]] = []
        self.results = 0
        self.text, self.started, self.step = "", False, ""

    def of(self, event: ChatEvent) -> list[BaseEvent]:
        data = event.data
        if event.kind == "agent":
            return [*self._end_step(), self._start_step(str(data["agent"]))]
        if event.kind == "tool_call":
            call = f"{self.run.run_id}-call-{len(self.calls)}"
            self.calls.append((call, str(data["tool"])))
            return [ToolCallStartEvent(tool_call_id=call, tool_call_name=str(data["tool"])),
                    ToolCallArgsEvent(tool_call_id=call, delta=json.dumps(data.get("args", {}))),
                    ToolCallEndEvent(tool_call_id=call)]
        if event.kind == "tool_result":
            answered = next((c for c, tool in self.calls[self.results:] if tool == data["tool"]), None)
            self.results += 1
            return [ToolCallResultEvent(message_id=f"{self.run.run_id}-result-{self.results}", tool_call_id=answered,
                                        content="ok" if data.get("ok") else "refused")] if answered else []
        if event.kind == "token":
            return self._say(str(data["text"]))
        return self._finish(data)

    def _start_step(self, name: str) -> BaseEvent:
        self.step = name
        return StepStartedEvent(step_name=name)

    def _end_step(self) -> list[BaseEvent]:
        return [StepFinishedEvent(step_name=self.step)] if self.step else []

    def _say(self, delta: str) -> list[BaseEvent]:
        if not delta:
            return []
        opening: list[BaseEvent] = [] if self.started else [
            TextMessageStartEvent(message_id=self.message, role="assistant")]
        self.started, self.text = True, self.text + delta
        return [*opening, TextMessageContentEvent(message_id=self.message, delta=delta)]

    def _finish(self, reply: dict[str, Any]) -> list[BaseEvent]:
        text = str(reply["text"])
        rest = text[len(self.text):] if text.startswith(self.text) else ("\n" + text if self.text else text)
        said = self._say(rest)
        closing: list[BaseEvent] = [TextMessageEndEvent(message_id=self.message)] if self.started else []
        return [*said, *closing, *self._end_step(), RunFinishedEvent(
            thread_id=self.run.thread_id, run_id=self.run.run_id,
            result={"choices": reply.get("choices", []), "pending_approval": reply.get("pending_approval"),
                    "agent": reply.get("agent")})]


async def _events(serving: ServingDep, principal: Principal, run: RunAgentInput, text: str, thread: str | None
                  ) -> AsyncIterator[str]:
    encoder, translation = EventEncoder(), Translation(run)
    yield encoder.encode(RunStartedEvent(thread_id=run.thread_id, run_id=run.run_id))
    try:
        async for event in serving.conversations.stream(principal, text, thread):
            for translated in translation.of(event):
                yield encoder.encode(translated)
    except DomainError as exc:
        yield encoder.encode(RunErrorEvent(message=exc.message, code=exc.code))


@router.post("/ag-ui", response_class=AgUiStream, summary="The same turn in the AG-UI protocol: a "
             "RunAgentInput in, AG-UI events out (Server-Sent Events).")
async def ag_ui(run: RunAgentInput, request: Request, serving: ServingDep, principal: PrincipalDep
                ) -> AgUiStream:
    await limit(request, "chat", principal)
    text = _said(run)
    thread = run.thread_id if THREAD.match(run.thread_id) else None
    thread_key(principal, thread)  # someone else's thread is refused before the stream starts
    return AgUiStream(_events(serving, principal, run, text, thread))
