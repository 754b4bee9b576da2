"""What the engine's previous answer waits for, as typed data carried in the AI message (one model per question)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class FramePending(BaseModel):
    """A capability's frame being filled: the fields so far (and how they are said back), and the field asked for,
    or None when the frame waits for a yes."""

    action: Literal["frame"] = "frame"
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    shown: dict[str, str] = Field(default_factory=dict)
    asking: str | None = None
    said: list[str] = Field(default_factory=list)
    """What the person said for this frame so far, oldest first."""
