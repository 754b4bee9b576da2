"""What a run records: one line per trial (JSON Lines), and the run's metadata."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

Failure = Literal["wrong_tool", "wrong_argument", "unintended_action", "incomplete", "policy_violation", "error"]


class ToolCall(BaseModel):
    tool: str
    args: dict[str, Any]
    ok: bool
    awaiting_approval: bool = False
    """The call was paused for a human's decision (it has not run, but the agent asked for it)."""


class Line(BaseModel):
    role: Literal["user", "agent"]
    text: str


class TrialResult(BaseModel):
    suite: str
    task_id: str
    domain: str
    trial: int
    reward: float
    failure: Failure | None = None
    state_ok: bool | None = None
    checks_ok: bool = True
    phrases_missing: list[str] = []
    phrases_forbidden: list[str] = []
    forbidden_called: list[str] = []
    state_diff: list[str] = []
    transcript: list[Line] = []
    tool_calls: list[ToolCall] = []
    model_calls: int = 0
    tokens: int | None = None
    latency_s: float = 0.0
    error: str | None = None


class RunInfo(BaseModel):
    run_id: str
    suite: str
    trials: int
    model: str
    user_simulator: str
    target: str = "in-process"
    started_at: datetime
    finished_at: datetime | None = None
    tasks: int = 0


def write_run(directory: Path, info: RunInfo, results: list[TrialResult]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "run.json").write_text(info.model_dump_json(indent=2))
    with (directory / "results.jsonl").open("w") as out:
        for r in sorted(results, key=lambda r: (r.task_id, r.trial)):
            out.write(r.model_dump_json() + "\n")


def read_run(directory: Path) -> tuple[RunInfo, list[TrialResult]]:
    info = RunInfo.model_validate_json((directory / "run.json").read_text())
    lines = (directory / "results.jsonl").read_text().splitlines()
    return info, [TrialResult.model_validate_json(line) for line in lines if line.strip()]
