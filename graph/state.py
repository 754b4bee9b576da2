"""What a conversation keeps between turns. Identity is not here: it comes with each run's config."""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage, HumanMessage
from langgraph.graph.message import add_messages


class ChatState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    active_agent: str
    """The agent that answered last; a follow-up stays with it unless the turn clearly belongs elsewhere."""


def current_turn(messages: list[Any]) -> list[Any]:
    """The messages from the last human message on."""
    starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    return messages[starts[-1]:] if starts else messages
