"""τ-bench's rule: reward 1 only if the final state equals the target state, every required phrase was said,
and no forbidden action ran; plus a label saying how a failed trial failed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from evals.results import Failure, ToolCall
from evals.state import State, difference
from evals.tasks import Check, Task
from evals.world import World
from tools import load_registry
from tools.errors import DomainError
from tools.principal import Principal


def _at(value: Any, path: str) -> Any:
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


async def run_checks(world: World, task: Task) -> bool:
    for check in task.checks:
        if not await _holds(world, task, check):
            return False
    return True


async def _holds(world: World, task: Task, check: Check) -> bool:
    who = Principal.parse(check.who) if check.who else task.user.who
    try:
        result = (await world.gateway.call(check.tool, check.args, principal=who)).model_dump(mode="json")
        value = _at(result, check.path)
    except (DomainError, KeyError, IndexError, ValueError):
        return False
    if check.length is not None:
        return isinstance(value, list) and len(value) == check.length
    return bool(value == check.equals)


def _domains(tools: Iterable[str]) -> set[str]:
    registry = load_registry()
    return {registry.get(t).domain for t in tools if t in registry}


def missing_phrases(task: Task, agent_lines: list[str]) -> list[str]:
    said = "\n".join(agent_lines).lower()
    return [p for p in task.required_phrases if p.lower() not in said]


def forbidden_called(task: Task, calls: list[ToolCall]) -> list[str]:
    return sorted({c.tool for c in calls if c.ok and c.tool in task.forbidden_actions})


def label(task: Task, start: State, target: State | None, final: State, calls: list[ToolCall],
          forbidden: list[str], phrases: list[str], checks_ok: bool) -> Failure | None:
    """The first thing that went wrong, in the order a reviewer would look."""
    if forbidden:
        return "policy_violation"
    if target is not None and final != target:
        expected, changed = set(difference(start, target)), set(difference(start, final))
        if changed - expected:
            return "unintended_action"
        if expected - changed:
            return "incomplete"
        # Tools of one domain are different roads to the same kind of change (a cart then place_order, or
        # create_order): the agent used the right kind of tool if it worked in the domain the task expected.
        wanted, used = _domains(a.tool for a in task.expected_actions or []), _domains(c.tool for c in calls if c.ok)
        return "wrong_argument" if wanted & used else "wrong_tool"
    if not checks_ok:
        return "wrong_argument"
    if phrases:
        return "incomplete"
    return None
