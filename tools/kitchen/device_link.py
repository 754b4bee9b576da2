"""What the kitchen's device link asks of the kitchen: the capabilities it calls as `service:kitchen`.

Applying what machines report, a round of due work (dispatching waiting drinks, resending unanswered
commands, moving drinks off machines gone offline) and its next deadline are capabilities like any other, so
every change the link makes runs through the invoker and is audited. Only the service principal may call them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devices.protocol import Ack, Event, MachineState
from store.kitchen import BrewJob, Machine, MachineCommand
from tools.context import ToolContext
from tools.kitchen.dispatch import dispatch, locations_waiting
from tools.kitchen.jobs import KITCHEN
from tools.kitchen.models import JobState
from tools.kitchen.reports import apply_event, apply_state, give_up, requeue_stranded, stranded_drinks
from tools.principal import Principal, Role
from tools.registry import Internal, capability

KITCHEN_LINK = Principal.parse(KITCHEN)
INTERNAL = Internal("the kitchen's device link calls it (tools/kitchen/link.py); nobody else needs it")
MAX_SENDS = 5
BATCH = 256


class MachineReport(BaseModel):
    location_id: str = Field(max_length=40)
    machine_id: str = Field(max_length=40)
    state: MachineState | None = None
    event: Event | None = None


class ApplyReports(BaseModel):
    reports: list[MachineReport] = Field(min_length=1, max_length=BATCH)


class Timing(BaseModel):
    ack_timeout_s: float = Field(gt=0, description="A command not acknowledged this long is sent again.")
    offline_grace_s: float = Field(ge=0, description="How long a drink waits for a machine gone offline mid-brew.")
    sweep_s: float = Field(default=5.0, gt=0, description="The longest the link sleeps with nothing due.")
    heard: list[str] = Field(default=[], max_length=10_000, description="Commands acknowledged on the wire whose "
                             "acknowledgement is still on its way to the store: not to be sent again.")


class OutgoingCommand(BaseModel):
    command_id: str
    location_id: str
    machine_id: str
    payload: str


class Outgoing(BaseModel):
    """Commands to publish now, and those given up on (no answer after every send)."""

    commands: list[OutgoingCommand] = []
    given_up: list[str] = []


class KitchenDue(BaseModel):
    due: bool = Field(description="Something can be done now.")
    next_in_s: float = Field(description="Seconds until the next deadline (or the sweep).")


class Nothing(BaseModel):
    pass


def _out(rows: list[MachineCommand], given_up: list[str] | None = None) -> Outgoing:
    return Outgoing(commands=[OutgoingCommand(command_id=r.id, location_id=r.location_id, machine_id=r.machine_id,
                                              payload=r.payload) for r in rows], given_up=given_up or [])


@capability(domain="kitchen", roles={Role.SERVICE}, mutating=True, rest=INTERNAL)
async def apply_machine_reports(ctx: ToolContext, cmd: ApplyReports) -> Outgoing:
    """Apply a batch of machine states and events, then dispatch the shops they touched (service only)."""
    now, session = ctx.now(), ctx.session
    loaded = await _preload(session, cmd.reports)  # noqa: F841  (the identity map only holds what is referenced)
    touched = set()
    for report in cmd.reports:
        if report.state is not None and await apply_state(session, report.state, now):
            touched.add(report.location_id)
        if report.event is not None:
            await apply_event(session, report.location_id, report.machine_id, report.event, now)
            touched.add(report.location_id)
    await session.flush()
    return _out([c for loc in sorted(touched) for c in await dispatch(session, loc, now, KITCHEN, published=True)])


@capability(domain="kitchen", roles={Role.SERVICE}, mutating=True, rest=INTERNAL)
async def run_kitchen_round(ctx: ToolContext, cmd: Timing) -> Outgoing:
    """Dispatch shops with waiting drinks, send commands never sent or not acknowledged in time, give up on
    those unanswered after every send, and move drinks off machines offline too long (service only)."""
    now, session = ctx.now(), ctx.session
    await requeue_stranded(session, now, timedelta(seconds=cmd.offline_grace_s))
    commands = [c for loc in await locations_waiting(session)
                for c in await dispatch(session, loc, now, KITCHEN, published=True)]
    heard, given_up = set(cmd.heard), []
    for row in await session.scalars(unanswered(now - timedelta(seconds=cmd.ack_timeout_s))):
        if row.id in heard:
            continue  # answered; the report is waiting its turn to be applied
        if row.sends >= MAX_SENDS:
            given_up.append(row.id)
            await give_up(session, row, now)
            continue
        row.published_at, row.sends = now, row.sends + 1
        commands.append(row)
    return _out(commands, given_up)


@capability(domain="kitchen", roles={Role.SERVICE}, mutating=True, rest=INTERNAL)
async def resend_machine_commands(ctx: ToolContext, cmd: Nothing) -> Nothing:
    """Mark every unacknowledged command as not yet sent, so the next round sends it again (after a reconnect;
    machines answer a command id once, so a resend is harmless)."""
    await ctx.session.execute(update(MachineCommand).where(MachineCommand.acked.is_(False)).values(published_at=None))
    return Nothing()


@capability(domain="kitchen", roles={Role.SERVICE}, rest=INTERNAL)
async def get_kitchen_due(ctx: ToolContext, cmd: Timing) -> KitchenDue:
    """Whether a round has anything to do now, and when the next deadline falls (service only)."""
    now, session, c = ctx.now(), ctx.session, cmd
    waiting = await session.scalar(select(BrewJob.id).where(BrewJob.state == JobState.QUEUED).limit(1))
    unsent = await session.scalar(unanswered(now - timedelta(seconds=c.ack_timeout_s)).limit(1))
    stranded = await session.scalar(stranded_drinks().limit(1))
    sent = await session.scalar(select(func.min(MachineCommand.published_at)).where(MachineCommand.acked.is_(False)))
    seen = await session.scalar(stranded_drinks().with_only_columns(func.min(Machine.seen_at)))
    held = await session.scalar(select(func.min(Machine.hold_until)).where(Machine.hold_until > now))
    deadlines = [now + timedelta(seconds=c.sweep_s), *([held] if held else [])]
    deadlines += [sent + timedelta(seconds=c.ack_timeout_s)] if sent else []
    deadlines += [seen + timedelta(seconds=c.offline_grace_s)] if seen else []
    return KitchenDue(due=any(x is not None for x in (waiting, unsent, stranded)),
                      next_in_s=max(0.0, (min(deadlines) - now).total_seconds()))


def unanswered(stale: datetime) -> Select[MachineCommand]:
    """Commands never published, or published before `stale` and not acknowledged since."""
    return select(MachineCommand).where(MachineCommand.acked.is_(False), or_(
        MachineCommand.published_at.is_(None), MachineCommand.published_at < stale))


async def _preload(session: AsyncSession, reports: list[MachineReport]) -> list[object]:
    """Load a batch's machines and acknowledged commands in two queries instead of one per report."""
    shops = sorted({r.location_id for r in reports})
    acked = [r.event.command_id for r in reports if isinstance(r.event, Ack)]
    rows: list[object] = list(await session.scalars(select(Machine).where(Machine.location_id.in_(shops))))
    if acked:
        rows += list(await session.scalars(select(MachineCommand).where(MachineCommand.id.in_(acked))))
    return rows
