"""The phrasing sets, and the split: about 30 % kept aside by a stable hash of each entry, never tuned on."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

DATA = Path(__file__).resolve().parents[2] / "tests" / "graph" / "data"
Part = Literal["tuned", "kept"]


def part_of(key: str) -> Part:
    """`kept` for about 30 % of keys, the same ones every run."""
    return "kept" if hashlib.sha256(key.encode()).digest()[0] % 10 < 3 else "tuned"


class Request(BaseModel):
    text: str
    who: Literal["customer", "staff", "manager"]
    agent: str
    style: str


class Line(BaseModel):
    item_id: str
    size: str
    quantity: int
    milk: str | None = None
    extras: list[str] = []

    def key(self) -> tuple[str, str, str | None, tuple[str, ...]]:
        return self.item_id, self.size, self.milk, tuple(sorted(self.extras))


class Conversation(BaseModel):
    id: str
    family: str
    turns: list[str]
    placed: bool
    line: list[Line]


def _batches(stem: str, key: str, batch: str) -> list[dict[str, Any]]:
    """The entries under `key` of every batch `<stem><batch>.toml` (`*`: all), each written apart from the engine."""
    return [entry for found in sorted(DATA.glob(f"{stem}{batch}.toml"))
            for entry in tomllib.loads(found.read_text(encoding="utf-8"))[key]]


def requests(batch: str = "*") -> list[Request]:
    return [Request.model_validate(r) for r in _batches("routing_table", "request", batch)]


def conversations(batch: str = "*") -> list[Conversation]:
    return [Conversation.model_validate(c) for c in _batches("order_conversations", "conversation", batch)]
