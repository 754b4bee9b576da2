"""The business state of a store, normalised so two runs that did the same thing hash the same.

Ids, timestamps, audit rows, idempotency records and conversation checkpoints legitimately differ between a
replay of the expected actions and the agent's run; they are left out. Orders are compared by content (who,
where, state, total, lines), COFFEE balances and proposal tallies are read from the chain by customer and title.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select

from contracts import coffee, dao
from gocoffee.bootstrap import Platform
from store.approvals import Approval
from store.dao import Proposal
from store.inventory import Stock
from store.kitchen import BrewJob, MachineCommand
from store.notifications import Notification, NotificationPrefs
from store.orders import Order
from store.payments import Payment
from store.purchasing import PurchaseOrder, PurchaseOrderLine
from store.scheduling import Shift, TimeOff
from store.stock_moves import Transfer, WasteRecord
from store.tasks import Task
from store.wallet import Account, CustodialAccount
from tools.notifications.events import PLATFORM

State = dict[str, Any]


FREE_TEXT = ("reason", "note")


def _facts(arguments: dict[str, Any]) -> dict[str, Any]:
    """An approval's arguments without their free text: any fair wording of a reason is the same request."""
    return {k: v for k, v in arguments.items() if k not in FREE_TEXT}


def _command(payload: str) -> dict[str, Any]:
    """A machine command's content without its generated ids (the command's own, the drink's attempt)."""
    return {k: v for k, v in json.loads(payload).items() if k not in ("command_id", "job_id")}


def _orders(orders: list[Order]) -> list[Any]:
    out = [[o.customer_id, o.location_id, o.state, o.total_cents,
            sorted([ln.item_id, ln.size, ln.quantity, ln.milk, sorted(ln.extras), ln.unit_price_cents] for ln in o.lines)]
           for o in orders]
    return sorted(out, key=json.dumps)


async def _chain_state(platform: Platform, accounts: list[CustodialAccount], proposals: list[Proposal]) -> State:
    service = platform.runtime.services.chain
    if service is None or not service.ready:
        return {}

    def read(chain: Any) -> State:
        balances = {a.customer_id: coffee.balance_of(chain, a.address) for a in accounts}
        tallies = {}
        for p in proposals:
            status = dao.status(chain, int(p.chain_proposal_id))
            tallies[p.title] = [status.state.name, status.votes_for, status.votes_against, status.votes_abstain]
        return {"coffee": balances, "proposals": tallies}

    return await service.run(read)


async def snapshot(platform: Platform) -> State:
    async with platform.db.reader() as s:
        orders = list(await s.scalars(select(Order)))
        stock = [list(r) for r in await s.execute(select(Stock.location_id, Stock.ingredient_id, Stock.quantity))]
        payments = [list(r) for r in await s.execute(select(Payment.customer_id, Payment.provider, Payment.state,
                                                            Payment.amount_cents, Payment.refunded_cents))]
        balances = [list(r) for r in await s.execute(select(Account.id, Account.unit, Account.balance)
                                                     .where(Account.balance != 0))]
        approvals = [[r[0], r[1], r[2], _facts(json.loads(r[3]))] for r in await s.execute(
            select(Approval.tool, Approval.status, Approval.requested_by, Approval.arguments))]
        jobs = [list(r) for r in await s.execute(select(BrewJob.location_id, BrewJob.item_id, BrewJob.size,
                                                        BrewJob.state))]
        commands = [[r[0], r[1], r[2], _command(r[3])] for r in await s.execute(
            select(MachineCommand.location_id, MachineCommand.machine_id, MachineCommand.kind, MachineCommand.payload))]
        shifts = [[r[0], r[1], r[2].isoformat(), r[3].isoformat(), r[4], r[5]] for r in await s.execute(
            select(Shift.location_id, Shift.role, Shift.starts_at, Shift.ends_at, Shift.staff_id, Shift.state))]
        time_off = [[r[0], r[1].isoformat(), r[2].isoformat(), r[3], r[4]] for r in await s.execute(
            select(TimeOff.staff_id, TimeOff.starts_at, TimeOff.ends_at, TimeOff.state, TimeOff.decided_by))]
        tasks = [[r[0], r[1].lower(), r[2], r[3], r[4].isoformat() if r[4] else None, *r[5:]] for r in await s.execute(
            select(Task.location_id, Task.title, Task.assignee_id, Task.assignee_role, Task.due_at, Task.priority,
                   Task.state, Task.about_kind, Task.about_id, Task.source))]
        notes = [[r[0], r[1], r[2].lower(), r[3]] for r in await s.execute(
            select(Notification.topic, Notification.audience, Notification.text, Notification.critical)
            .where(Notification.created_by != PLATFORM))]  # an order's "ready" names its number, which may differ
        prefs = [[p.person, p.channels, p.muted, p.quiet_from, p.quiet_until, p.email]
                 for p in await s.scalars(select(NotificationPrefs))]
        lines: dict[int, list[list[Any]]] = {}
        for r in await s.execute(select(PurchaseOrderLine.order_id, PurchaseOrderLine.ingredient_id,
                                        PurchaseOrderLine.packs, PurchaseOrderLine.received)):
            lines.setdefault(r[0], []).append(list(r[1:]))
        purchase_orders = [[r[1], r[2], r[3], r[4], sorted(lines.get(r[0], []))] for r in await s.execute(
            select(PurchaseOrder.id, PurchaseOrder.location_id, PurchaseOrder.supplier_id, PurchaseOrder.state,
                   PurchaseOrder.source))]
        waste = [list(r) for r in await s.execute(select(WasteRecord.location_id, WasteRecord.product,
                                                         WasteRecord.quantity, WasteRecord.reason))]
        transfers = [list(r) for r in await s.execute(select(Transfer.from_location_id, Transfer.to_location_id,
                                                             Transfer.ingredient_id, Transfer.quantity, Transfer.state))]
        accounts = list(await s.scalars(select(CustodialAccount)))
        proposals = list(await s.scalars(select(Proposal)))
        state: State = {
            "orders": _orders(orders), "stock": sorted(stock), "payments": sorted(payments, key=json.dumps),
            "accounts": sorted(balances), "approvals": sorted(approvals, key=json.dumps), "brew_jobs": sorted(jobs, key=json.dumps),
            "machine_commands": sorted(commands, key=json.dumps),
            "proposals": sorted([p.title, p.proposer, p.action, p.grant_to, p.grant_hundredths] for p in proposals),
            "shifts": sorted(shifts, key=json.dumps), "time_off": sorted(time_off, key=json.dumps),
            "tasks": sorted(tasks, key=json.dumps), "notifications": sorted(notes, key=json.dumps),
            "notification_prefs": sorted(prefs, key=json.dumps),
            "purchase_orders": sorted(purchase_orders, key=json.dumps),
            "waste": sorted(waste, key=json.dumps), "transfers": sorted(transfers, key=json.dumps),
        }
    return {**state, **await _chain_state(platform, accounts, proposals)}


def digest(state: State) -> str:
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def difference(expected: State, actual: State) -> list[str]:
    """Which parts of the state differ (for the report and the failure label)."""
    return sorted(k for k in set(expected) | set(actual) if expected.get(k) != actual.get(k))
