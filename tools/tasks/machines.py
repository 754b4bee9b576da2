"""Tasks the kitchen's machines make: a fault puts a task on the shop's board, and the fault clearing ticks it off.

Called from the kitchen's report handling in the same transaction as the machine's new state, so a redelivered
report (no change of status) makes nothing, and a machine that faults again while its task is open gets no second one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.kitchen import Machine
from store.tasks import Task

FAULTS = {"low_water": ("Refill the water on {machine}", "high"),
          "descaling_due": ("Descale {machine} (maintenance due)", "normal"),
          "grinder_jam": ("Clear the grinder jam on {machine}", "urgent")}
OTHER = ("Fix {machine}: {fault}", "urgent")


def _open_about(machine: Machine) -> ColumnElement[bool]:
    return (Task.location_id == machine.location_id) & (Task.about_kind == "machine") & (
        Task.about_id == machine.id) & (Task.source == "kitchen") & (Task.state == "open")


async def machine_changed(session: AsyncSession, machine: Machine, before: str, now: datetime) -> None:
    if machine.status == "fault" and before != "fault":
        if await session.scalar(select(Task.id).where(_open_about(machine))) is None:
            title, priority = FAULTS.get(machine.fault or "", OTHER)
            session.add(Task(title=title.format(machine=machine.id, fault=machine.fault or "unknown"),
                             location_id=machine.location_id, assignee_role="barista", due_at=now, priority=priority,
                             state="open", about_kind="machine", about_id=machine.id, source="kitchen",
                             created_by=f"machine:{machine.id}", created_at=now, version=1))
    elif before == "fault" and machine.status != "fault":
        await session.execute(update(Task).where(_open_about(machine)).values(
            state="done", done_by=f"machine:{machine.id}", done_at=now, version=Task.version + 1))
