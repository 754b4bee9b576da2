"""A fresh environment per trial: a seeded store copied from a template, the embedded chain if the task needs
it, a fixed clock, and the task's setup applied — so every trial, and the target replay, start identical."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import httpx

from channels.voice.ears import Ears
from devices.protocol import MachineState
from evals.tasks import Action, MachineReport, Task
from evals.voice import Speaker, VoiceStats, VoiceWorld
from evals.world import LocalWorld, RemoteWorld, ServiceSignIn, World
from gocoffee.bootstrap import Platform, build_platform, prepare_store, running
from gocoffee.settings import Settings
from mcp_servers.auth import StaticBearer
from mcp_servers.gateway import Gateway
from tools import load_registry
from tools.kitchen.reports import apply_state
from tools.principal import Principal

START = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
"""Every trial happens on the same Monday morning."""


class FixedClock:
    """Deterministic time: starts at START and moves one second per reading."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start

    def __call__(self) -> datetime:
        self._now += timedelta(seconds=1)
        return self._now


@dataclass(frozen=True)
class EnvOptions:
    workdir: Path
    model: str = "offline"
    target: str | None = None
    """A running server's base URL (eval mode) instead of an in-process platform per trial."""
    service: ServiceSignIn | None = field(default=None, compare=False, repr=False)
    """With a target: the eval runner signed in as its service client (a service with the act_as scope)."""
    voice: Speaker | None = None
    """Speak the user's lines in this voice and hear them with `ears` (in-process only)."""
    ears: Ears | None = field(default=None, compare=False, repr=False)
    voice_stats: VoiceStats = field(default_factory=VoiceStats, compare=False, repr=False)
    run_id: str = field(default_factory=lambda: uuid4().hex[:8])
    template_lock: asyncio.Lock = field(default_factory=asyncio.Lock, compare=False, repr=False)


async def _template(path: Path) -> None:
    platform = build_platform(Settings(data_dir=path.parent, database_url=f"sqlite+aiosqlite:///{path}",
                                       chain=False, kitchen=False), clock=FixedClock())  # the rota of the trials' week
    await prepare_store(platform)
    await platform.db.dispose()


async def template(options: EnvOptions) -> Path:
    """The migrated, seeded store every trial copies (made once per run)."""
    path = options.workdir / "template" / "store.db"
    async with options.template_lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            await _template(path)
    return path


def who(action: Action | MachineReport, task: Task) -> Principal:
    text = getattr(action, "who", None)
    return Principal.parse(text) if text else task.user.who


async def run_action(world: World, task: Task, action: Action, key: str) -> None:
    await world.gateway.call(action.tool, action.args, principal=who(action, task), idempotency_key=key)


async def report_machines(platform: Platform, reports: list[MachineReport]) -> None:
    """The machines report these states, as they would over MQTT (their retained state)."""
    now, db = platform.runtime.clock(), platform.db
    async with db.write_turn(), db.writer() as session, session.begin():
        for m in reports:
            state = MachineState.model_validate({**m.model_dump(), "at": now})
            await apply_state(session, state, now)


@asynccontextmanager
async def environment(task: Task, options: EnvOptions, name: str) -> AsyncIterator[World]:
    """The task's starting world, running, for one trial (or the target replay) called `name`."""
    opened = _remote(task, options) if options.target else _local(task, options, name)
    async with opened as world:
        for n, action in enumerate(task.setup):
            await run_action(world, task, action, f"{options.run_id}-{name}-setup-{n}")
        yield world


@asynccontextmanager
async def _local(task: Task, options: EnvOptions, name: str) -> AsyncIterator[World]:
    data_dir = options.workdir / name
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    store = data_dir / "store.db"
    shutil.copyfile(await template(options), store)
    settings = Settings(data_dir=data_dir, database_url=f"sqlite+aiosqlite:///{store}", kitchen=False,
                        chain=task.chain, chain_block_seconds=0, model=options.model, seed=False, voice="off")
    platform = build_platform(settings, clock=FixedClock())
    async with running(platform) as live:
        await report_machines(live, task.machines)
        world = LocalWorld(live)
        if options.voice is not None and options.ears is not None:
            yield VoiceWorld(world, options.ears, options.voice, options.voice_stats)
        else:
            yield world


@asynccontextmanager
async def _remote(task: Task, options: EnvOptions) -> AsyncIterator[World]:
    assert options.target is not None
    base = options.target.rstrip("/")
    registry = load_registry()
    if options.service is None:
        raise RuntimeError("evaluating a server needs the eval runner's service client: --client-id/--client-secret")
    auth = options.service
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await auth.sign_in(client)
        reply = await client.post("/api/v1/evals/reset", auth=auth,
                                  json={"machines": [m.model_dump() for m in task.machines]})
        if reply.status_code == 404:
            raise RuntimeError(f"{base} has no eval endpoints: start it with GOCOFFEE_EVAL_MODE=true")
        reply.raise_for_status()
        urls = {d: f"{base}/mcp/{d}" for d in registry.domains()}
        async with Gateway(registry, urls, StaticBearer(auth.token)) as gateway:
            yield RemoteWorld(client, gateway, auth)
