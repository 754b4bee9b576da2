"""The task board: create, assign, complete and cancel a shop's tasks, and read them (mine, a shop's, overdue).

A change names the version it was made against; the UPDATE is conditional on it, so of two concurrent changes to
one task exactly one wins and the other gets a conflict.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update

from store.engine import rows_changed
from store.scheduling import StaffMember
from store.tasks import Task
from tools.context import ToolContext
from tools.errors import Conflict, Forbidden, InvalidInput, NotFound
from tools.inventory import ensure_location_scope
from tools.notifications import events
from tools.principal import MANAGERS, STAFF_ONLY, Role
from tools.registry import Rest, Talk, capability
from tools.scheduling import roster
from tools.tasks import shown
from tools.tasks.models import Assignee, AssignTask, CreateTask, TaskDone, TaskList, TaskOut, TaskQuery

ROLE_WORDS = {"barista": ("barista", "baristas"), "keyholder": ("keyholder", "keyholders", "shift lead"),
              "baker": ("baker", "bakers"), "manager": ("manager",)}
PRIORITY_WORDS = {"urgent": ("urgent", "asap", "right away", "straight away"), "high": ("important", "high priority"),
                  "low": ("low priority", "when there's time"), "normal": ()}


async def _assignee(ctx: ToolContext, location_id: str, who: Assignee) -> None:
    """The person works at the shop and, if a role is named too, has its skill."""
    if who.assignee_id is None:
        return
    person = await ctx.session.get(StaffMember, who.assignee_id)
    if person is None:
        raise NotFound(f"no staff member {who.assignee_id!r}", staff_id=who.assignee_id)
    if location_id not in person.locations:
        raise InvalidInput(f"{person.name} does not work at {location_id}", staff_id=person.id,
                           location_id=location_id)
    if who.assignee_role and who.assignee_role not in person.skills:
        raise InvalidInput(f"{person.name} is not a {who.assignee_role}", staff_id=person.id,
                           role=who.assignee_role)


async def _task(ctx: ToolContext, task_id: int, version: int | None) -> Task:
    task = await ctx.session.get(Task, task_id)
    if task is None:
        raise NotFound(f"no task {task_id}", task_id=task_id)
    ensure_location_scope(ctx.principal, task.location_id)
    if version is not None and version != task.version:
        raise Conflict(f"task {task_id} changed since you read it (version {task.version}, not {version})",
                       task_id=task_id, version=task.version)
    return task


async def _changed(ctx: ToolContext, task: Task, **values: Any) -> TaskOut:
    """Write the change if the task is still open and at the version read."""
    if task.state != "open":
        raise Conflict(f"task {task.id} is {task.state}", task_id=task.id, state=task.state)
    done = await ctx.session.execute(update(Task).where(Task.id == task.id, Task.version == task.version,
                                                        Task.state == "open").values(**values, version=task.version + 1))
    if rows_changed(done) != 1:
        raise Conflict(f"task {task.id} was changed by someone else just now; read it again", task_id=task.id)
    await ctx.session.refresh(task)
    return (await shown.shown(ctx.session, [task], ctx.now()))[0]


@capability(domain="tasks", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/tasks", 201), talk=Talk(
    asks=("task", "add a task", "new task", "assign", "to do", "todo", "remind", "needs doing", "on the board",
          "put on the board", "job for"),
    unless=("overdue", "what", "which", "show", "list", "done", "finished", "completed", "shift", "rota", "cancel",
            "assign task", "give task", "reassign task", "hand task"),
    confirm="Shall I put \"{title}\" on the {location_id} board{parts}?",
    parts={"assignee_id": " for {assignee_id}", "assignee_role": " for any {assignee_role}", "due_on": " on {due_on}",
           "due_time": " by {due_time}", "due_part": " by {due_part}", "priority": " ({priority})"},
    done="Added task {task_id}: {title}, for {who}, {due}.",
    questions={"title": "What is the task?"},
    values={"close": ("close", "closing"), "open": ("open", "opening"), **ROLE_WORDS, **PRIORITY_WORDS,
            "machine": (), "order": (), "shift": (), "purchase_order": ()}))
async def create_task(ctx: ToolContext, cmd: CreateTask) -> TaskOut:
    """Put a task on a shop's board, for a person, for whoever holds a role there, or for anyone.

    Due on a day (default today, at closing), by a time or by the shop's opening or closing."""
    ensure_location_scope(ctx.principal, cmd.location_id)
    location = await roster.shop(ctx.session, cmd.location_id)
    await _assignee(ctx, location.id, cmd)
    due = None
    if cmd.due_on:
        due = shown.due_at(location, cmd.due_on, cmd.due_time, cmd.due_part)
    elif cmd.due_time or cmd.due_part:
        due = shown.next_due(location, ctx.now(), cmd.due_time, cmd.due_part)
    task = Task(title=cmd.title.strip(), location_id=location.id, assignee_id=cmd.assignee_id,
                assignee_role=cmd.assignee_role, due_at=due, priority=cmd.priority, state="open",
                about_kind=cmd.about_kind, about_id=cmd.about_id, source="manual", created_by=ctx.principal.person,
                created_at=ctx.now(), version=1)
    ctx.session.add(task)
    await ctx.session.flush()
    made = (await shown.shown(ctx.session, [task], ctx.now()))[0]
    await events.task_assigned(ctx.session, ctx.now(), ctx.principal.person, made.model_dump())
    return made


@capability(domain="tasks", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/tasks/{task_id}/assign"), talk=Talk(
    asks=("assign task", "give task", "reassign task", "hand task", "task over to"),
    confirm="Shall I give task {task_id} to{parts}?", parts={"assignee_id": " {assignee_id}",
                                                            "assignee_role": " any {assignee_role}"},
    done="Task {task_id} ({title}) is now for {who}.", questions={"task_id": "Which task number?"},
    values=ROLE_WORDS))
async def assign_task(ctx: ToolContext, cmd: AssignTask) -> TaskOut:
    """Give an open task to a person or a role at its shop (staff: at their own shop)."""
    task = await _task(ctx, cmd.task_id, cmd.version)
    await _assignee(ctx, task.location_id, cmd)
    changed = await _changed(ctx, task, assignee_id=cmd.assignee_id, assignee_role=cmd.assignee_role)
    await events.task_assigned(ctx.session, ctx.now(), ctx.principal.person, changed.model_dump())
    return changed


@capability(domain="tasks", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/tasks/{task_id}/complete"),
            talk=Talk(asks=("done", "finished", "completed", "complete", "tick off", "ticked off", "sorted"),
                      unless=("shift", "rota", "order", "drink", "brew"),
                      confirm="Shall I mark task {task_id} done?", done="Task {task_id} ({title}) is done.",
                      questions={"task_id": "Which task number?"}))
async def complete_task(ctx: ToolContext, cmd: TaskDone) -> TaskOut:
    """Mark an open task done (anyone at its shop, or a manager)."""
    task = await _task(ctx, cmd.task_id, cmd.version)
    return await _changed(ctx, task, state="done", done_by=ctx.principal.person, done_at=ctx.now())


@capability(domain="tasks", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/tasks/{task_id}/cancel"), talk=Talk(
    asks=("cancel task", "remove task", "delete task", "scrap task", "drop task"),
    confirm="Shall I take task {task_id} off the board?", done="Task {task_id} ({title}) is cancelled.",
    questions={"task_id": "Which task number?"}))
async def cancel_task(ctx: ToolContext, cmd: TaskDone) -> TaskOut:
    """Take an open task off the board (a manager, or whoever created it)."""
    task = await _task(ctx, cmd.task_id, cmd.version)
    if ctx.principal.role not in MANAGERS and task.created_by != ctx.principal.person:
        raise Forbidden("only a manager or the task's creator can cancel it", task_id=task.id)
    return await _changed(ctx, task, state="cancelled", done_by=ctx.principal.person, done_at=ctx.now())


def _on(task: Task, day: date | None, now: datetime, tz: dict[str, ZoneInfo]) -> bool:
    """Due that local day; with no day, due by the end of today (or with no due time): the board, not the weeks
    of recurring tasks ahead."""
    if task.due_at is None:
        return day is None
    due = task.due_at.astimezone(tz[task.location_id]).date()
    return due == day if day else due <= now.astimezone(tz[task.location_id]).date()


@capability(domain="tasks", roles=STAFF_ONLY, rest=Rest("GET", "/tasks"), talk=Talk(
    asks=("tasks", "task board", "the board", "overdue", "to do", "todo", "to-do", "needs doing", "checklist",
          "on my list", "my tasks", "jobs"),
    unless=("add", "assign", "create", "remind", "mark", "cancel"),
    values={"overdue": ("overdue", "late", "behind", "past due", "missed"),
            "mine": ("my tasks", "mine", "my list", "for me", "on my list", "have i got", "do i have", "should i")},
    each="{task_id}. {title} ({location_id}, {who}, {due})", empty="Nothing on the board.", done="{listed}."))
async def list_tasks(ctx: ToolContext, cmd: TaskQuery) -> TaskList:
    """List tasks, soonest due first: a shop's board, yours, or the overdue ones across the shops; due today (and
    before, and those with no due time) unless a day is named.

    Staff read their own shop's board and their own tasks."""
    p = ctx.principal
    mine, overdue = cmd.view == "mine", cmd.view == "overdue"
    query = select(Task).where(Task.state == ("open" if overdue else cmd.state))
    if overdue:
        query = query.where(Task.due_at < ctx.now())
    if p.role == Role.STAFF and not mine:
        ensure_location_scope(p, cmd.location_id or p.location_id or "")
        query = query.where(Task.location_id == (cmd.location_id or p.location_id))
    elif cmd.location_id:
        query = query.where(Task.location_id == cmd.location_id)
    if mine:
        me = await ctx.session.get(StaffMember, p.id)
        roles = [] if me is None else list(me.skills)
        shops = [] if me is None else list(me.locations)
        query = query.where(or_(Task.assignee_id == p.id, (Task.assignee_id.is_(None)) & (
            Task.assignee_role.in_(roles) | Task.assignee_role.is_(None)) & Task.location_id.in_(shops)))
    tz = await shown.zones(ctx.session)
    if cmd.due_on:
        query = query.where(Task.due_at.is_not(None))
    rows = [t for t in (await ctx.session.scalars(query.limit(2000))).all() if _on(t, cmd.due_on, ctx.now(), tz)]
    rows.sort(key=lambda t: (t.due_at is None, t.due_at or ctx.now(), t.id))
    return TaskList(tasks=await shown.shown(ctx.session, rows, ctx.now()))
