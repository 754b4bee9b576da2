"""τ-bench's rule: reward 1 only if the final state equals the target state, every required phrase was said,
and no forbidden action ran; plus a label saying how a failed trial failed."""

from __future__ import annotations

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


ALSO_DONE_BY = {"create_order": ("place_order",), "create_cart": ("add_order_line",)}
"""Expected tools whose effect an agent also reaches another way (build a cart, then place it)."""


def _done(tool: str, calls: list[ToolCall]) -> bool:
    return any(c.ok and c.tool in (tool, *ALSO_DONE_BY.get(tool, ())) for c in calls)


def _acted_elsewhere(calls: list[ToolCall], expected: list[str]) -> bool:
    """Did the agent change things in a domain the task never asked it to touch?"""
    registry = load_registry()
    domains = {registry.get(t).domain for t in expected if t in registry}
    return any(c.ok and c.tool in registry and registry.get(c.tool).mutating
               and registry.get(c.tool).domain not in domains for c in calls)


def missing_phrases(task: Task, agent_lines: list[str]) -> list[str]:
    said = "\n".join(agent_lines).lower()
    wanted = [[p] if isinstance(p, str) else p for p in task.required_phrases]
    return [" | ".join(options) for options in wanted if not any(o.lower() in said for o in options)]


def said_forbidden(task: Task, agent_lines: list[str]) -> list[str]:
    said = "\n".join(agent_lines).lower()
    return [p for p in task.forbidden_phrases if p.lower() in said]


def forbidden_called(task: Task, calls: list[ToolCall]) -> list[str]:
    return sorted({c.tool for c in calls if (c.ok or c.awaiting_approval) and c.tool in task.forbidden_actions})


def label(task: Task, start: State, target: State | None, final: State, calls: list[ToolCall],
          forbidden: list[str], phrases: list[str], checks_ok: bool, leaked: list[str]) -> Failure | None:
    """The first thing that went wrong, in the order a reviewer would look."""
    if forbidden or leaked:
        return "policy_violation"
    if target is not None and final != target:
        missing = [a.tool for a in task.expected_actions or [] if not _done(a.tool, calls)]
        if missing:
            none_done = len(missing) == len(task.expected_actions or [])
            return "wrong_tool" if none_done and _acted_elsewhere(calls, missing) else "incomplete"
        if set(difference(start, final)) - set(difference(start, target)):
            return "unintended_action"
        return "wrong_argument"
    if not checks_ok:
        return "wrong_argument"
    if phrases:
        return "incomplete"
    return None
