"""Run a suite: every task, n trials each, on fresh environments; judge each trial; report pass^k.

In-process by default (the platform is built per trial, as `make run` would build it, on the task's store);
the target state of a task is computed once, by replaying its expected actions on a fresh environment.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from evals.env import EnvOptions, environment, run_action
from evals.judge import forbidden_called, label, missing_phrases, run_checks, said_forbidden
from evals.results import Line, ToolCall, TrialResult
from evals.state import State, difference
from evals.tasks import Suite, Task
from evals.users import ScriptedUser, SimulatedUser
from evals.world import World
from graph.app import ChatEvent, Reply

MAX_TURNS = 16
UserFactory = Callable[[Task], SimulatedUser]


@dataclass
class Conversation:
    """What the agent did and said over one trial."""

    transcript: list[Line] = field(default_factory=list)
    calls: list[ToolCall] = field(default_factory=list)
    model_calls: int = 0
    tokens: int | None = None


async def agent_turn(world: World, task: Task, text: str, thread: str, into: Conversation) -> str:
    pending: list[ChatEvent] = []
    reply: Reply | None = None
    async for event in world.chat(task.user.who, text, thread):
        if event.kind == "tool_call":
            pending.append(event)
        elif event.kind == "tool_result" and pending:
            call = pending.pop(0)
            into.calls.append(ToolCall(tool=call.data["tool"], args=call.data["args"], ok=bool(event.data["ok"])))
        elif event.kind == "reply":
            reply = Reply.model_validate(event.data)
    assert reply is not None
    if reply.pending_approval is not None:  # the paused call never got a result: record that it was asked for
        into.calls += [ToolCall(tool=c.data["tool"], args=c.data["args"], ok=False, awaiting_approval=True)
                       for c in pending if c.data["tool"] == reply.pending_approval["tool"]]
    into.model_calls += reply.model_calls
    if reply.tokens is not None:
        into.tokens = (into.tokens or 0) + reply.tokens
    return reply.text


async def converse(world: World, task: Task, user: SimulatedUser, thread: str) -> Conversation:
    talk = Conversation()
    said: str | None = await user.first()
    for _ in range(MAX_TURNS):
        if said is None:
            break
        talk.transcript.append(Line(role="user", text=said))
        answer = await agent_turn(world, task, said, thread, talk)
        talk.transcript.append(Line(role="agent", text=answer))
        said = await user.reply(answer)
    return talk


async def target_state(task: Task, options: EnvOptions) -> State | None:
    if task.expected_actions is None:
        return None
    async with environment(task, options, f"{task.id}-target") as world:
        for n, action in enumerate(task.expected_actions):
            await run_action(world, task, action, f"{options.run_id}-{task.id}-expected-{n}")
        return await world.state()


async def run_trial(suite: Suite, task: Task, trial: int, options: EnvOptions, make_user: UserFactory,
                    target: State | None) -> TrialResult:
    started = time.perf_counter()
    base = TrialResult(suite=suite.name, task_id=task.id, domain=task.domain, trial=trial, reward=0.0)
    try:
        async with environment(task, options, f"{task.id}-{trial}") as world:
            start = await world.state()
            talk = await converse(world, task, make_user(task), f"eval:{options.run_id}:{task.id}:{trial}")
            final, checks_ok = await world.state(), await run_checks(world, task)
    except Exception as exc:  # noqa: BLE001  (a crash is a failed trial with its reason, not a crashed run)
        return base.model_copy(update={"failure": "error", "error": f"{type(exc).__name__}: {exc}",
                                       "latency_s": time.perf_counter() - started})
    agent_lines = [line.text for line in talk.transcript if line.role == "agent"]
    phrases, leaked = missing_phrases(task, agent_lines), said_forbidden(task, agent_lines)
    forbidden = forbidden_called(task, talk.calls)
    failure = label(task, start, target, final, talk.calls, forbidden, phrases, checks_ok, leaked)
    state_ok = None if target is None else final == target
    return base.model_copy(update={
        "reward": 1.0 if failure is None else 0.0, "failure": failure, "state_ok": state_ok, "checks_ok": checks_ok,
        "phrases_missing": phrases, "phrases_forbidden": leaked, "forbidden_called": forbidden,
        "state_diff": difference(target, final) if target is not None else [],
        "transcript": talk.transcript, "tool_calls": talk.calls, "model_calls": talk.model_calls,
        "tokens": talk.tokens, "latency_s": time.perf_counter() - started})


async def run_suite(suite: Suite, trials: int, options: EnvOptions, concurrency: int = 1,
                    make_user: UserFactory = ScriptedUser, on_done: Callable[[TrialResult], None] | None = None,
                    only: set[str] | None = None) -> list[TrialResult]:
    """Every task × `trials`, at most `concurrency` at a time; `on_done` hears each finished trial."""
    tasks = [t for t in suite.tasks if not only or t.id in only]
    gate = asyncio.Semaphore(concurrency)
    targets: dict[str, asyncio.Task[State | None]] = {}

    async def target(task: Task) -> State | None:
        if task.id not in targets:  # one replay per task, however many trials wait for it
            targets[task.id] = asyncio.ensure_future(target_state(task, options))
        return await targets[task.id]

    async def one(task: Task, trial: int) -> TrialResult:
        async with gate:
            try:
                goal = await target(task)
            except Exception as exc:  # noqa: BLE001  (a broken task fails its own trials, not the run)
                result = TrialResult(suite=suite.name, task_id=task.id, domain=task.domain, trial=trial, reward=0.0,
                                     failure="error", error=f"the task's setup or expected actions failed: {exc}")
            else:
                result = await run_trial(suite, task, trial, options, make_user, goal)
        if on_done is not None:
            on_done(result)
        return result

    return list(await asyncio.gather(*(one(t, n) for t in tasks for n in range(trials))))
