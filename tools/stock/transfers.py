"""Transfers between shops: sending takes the units from the sender at once (they are in transit, visible to both
shops); receiving adds them to the receiver; cancelling one in transit returns them to the sender. Each move is one
conditional UPDATE, so a transfer racing orders for the last units never takes stock below zero, and of two
concurrent receipts (or a receipt and a cancel) exactly one happens."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.engine import rows_changed
from store.inventory import Stock
from store.purchasing import ParLevel
from store.stock_moves import Transfer
from tools.context import ToolContext
from tools.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from tools.inventory import ensure_location_scope, require_location
from tools.menu.snapshot import Snapshot
from tools.notifications.events import render
from tools.notifications.outbox import audience_of, notify
from tools.principal import STAFF_ONLY, Role
from tools.registry import Rest, Talk, capability
from tools.stock.alerts import stock_moved
from tools.stock.models import TransferList, TransferOut, TransferQuery, TransferRef, TransferStock
from tools.stock.units import shown


def _out(menu: Snapshot, t: Transfer, low: list[str] | None = None) -> TransferOut:
    ingredient = menu.ingredients[t.ingredient_id]
    return TransferOut(transfer_id=t.id, from_location_id=t.from_location_id, to_location_id=t.to_location_id,
                       ingredient_id=t.ingredient_id, name=ingredient.name, unit=ingredient.unit, quantity=t.quantity,
                       quantity_shown=shown(t.quantity, ingredient.unit), state=t.state, note=t.note,
                       sent_by=t.sent_by, version=t.version, low=low or [])


async def _add(session: AsyncSession, location_id: str, ingredient_id: str, quantity: int) -> None:
    if not rows_changed(await session.execute(update(Stock).where(
            Stock.location_id == location_id, Stock.ingredient_id == ingredient_id)
            .values(quantity=Stock.quantity + quantity))):
        session.add(Stock(location_id=location_id, ingredient_id=ingredient_id, quantity=quantity))
        await session.flush()


async def _take(ctx: ToolContext, menu: Snapshot, cmd: TransferStock) -> None:
    """Take the units from the sender, leaving it at least its reorder point: a transfer never makes the sender
    short."""
    point = await ctx.session.scalar(select(ParLevel.reorder_point).where(
        ParLevel.location_id == cmd.from_location_id, ParLevel.ingredient_id == cmd.ingredient_id)) or 0
    taken = await ctx.session.execute(update(Stock).where(
        Stock.location_id == cmd.from_location_id, Stock.ingredient_id == cmd.ingredient_id,
        Stock.quantity - cmd.quantity >= point).values(quantity=Stock.quantity - cmd.quantity))
    if rows_changed(taken) == 1:
        return
    ingredient = menu.ingredients[cmd.ingredient_id]
    held = await ctx.session.scalar(select(Stock.quantity).where(
        Stock.location_id == cmd.from_location_id, Stock.ingredient_id == cmd.ingredient_id)) or 0
    spare = max(0, held - point)
    raise Conflict(f"{cmd.from_location_id} has {shown(held, ingredient.unit)} of {ingredient.name}; sending "
                   f"{shown(cmd.quantity, ingredient.unit)} would leave it below its reorder point of "
                   f"{shown(point, ingredient.unit)} (it can spare {shown(spare, ingredient.unit)})",
                   location_id=cmd.from_location_id, ingredient_id=cmd.ingredient_id, on_hand=held,
                   reorder_point=point, spare=spare)


@capability(domain="stock", roles=STAFF_ONLY, mutating=True, idempotent=True, repeatable=True,
            rest=Rest("POST", "/transfers", 201), talk=Talk(
                asks=("send", "sending", "transfer", "transferring", "move", "moving", "ship", "bring over", "take over",
                      "run over", "drop off", "courier"),
                unless=("shift", "rota", "order", "machine", "drink", "email", "message", "notify", "suggest",
                        "spare", "can anyone", "can another", "who has", "ranking", "compare", "help out", "lend",
                        "request", "ask for", "ask them", "send transfer", "send the transfer"),
                confirm="Shall I send {quantity} of {ingredient_id} from {from_location_id} to {to_location_id}?",
                done="Sent transfer {transfer_id}: {quantity_shown} {name} from {from_location_id} to "
                     "{to_location_id}, in transit until {to_location_id} receives it.",
                questions={"from_location_id": "From which shop?", "to_location_id": "To which shop?",
                           "ingredient_id": "Which ingredient?", "quantity": "How much, and in which unit?"}))
async def transfer_stock(ctx: ToolContext, cmd: TransferStock) -> TransferOut:
    """Send an ingredient from one shop to another: the sender's stock drops now (the units are in transit) and
    the receiver's grows when it receives them. Refused, changing nothing, when the sender would be left below its
    reorder point. Staff send from their own shop; managers between any two. Needs an idempotency key."""
    ensure_location_scope(ctx.principal, cmd.from_location_id)
    menu = await _check(ctx, cmd)
    await _take(ctx, menu, cmd)
    row = Transfer(from_location_id=cmd.from_location_id, to_location_id=cmd.to_location_id,
                   ingredient_id=cmd.ingredient_id, quantity=cmd.quantity, state="in_transit", note=cmd.note,
                   sent_by=ctx.principal.person, sent_at=ctx.now(), version=1)
    ctx.session.add(row)
    await ctx.session.flush()
    low = await stock_moved(ctx.session, ctx.now(), ctx.principal.as_header(), cmd.from_location_id,
                            {cmd.ingredient_id: -cmd.quantity})
    return _out(menu, row, low)


MOVES = {("requested", "in_transit"), ("requested", "cancelled"), ("in_transit", "received"),
         ("in_transit", "cancelled")}


async def _check(ctx: ToolContext, cmd: TransferStock) -> Snapshot:
    if cmd.from_location_id == cmd.to_location_id:
        raise InvalidInput("a transfer needs two different shops", location_id=cmd.from_location_id)
    menu = await ctx.menu()
    for shop in (cmd.from_location_id, cmd.to_location_id):
        require_location(menu, shop)
    if cmd.ingredient_id not in menu.ingredients:
        raise NotFound(f"no ingredient {cmd.ingredient_id!r}", ingredient_id=cmd.ingredient_id)
    return menu


@capability(domain="stock", roles=STAFF_ONLY, mutating=True, idempotent=True, repeatable=True,
            rest=Rest("POST", "/transfers/requests", 201), talk=Talk(
                asks=("request", "requesting", "ask for", "put in a request", "ask them to send"),
                unless=("approval", "time off", "swap", "shift"),
                confirm="Shall I ask {from_location_id} to send {quantity} of {ingredient_id} to {to_location_id}?",
                done="Asked {from_location_id} for {quantity_shown} {name} (transfer {transfer_id}, requested); "
                     "nothing moves until they send it.",
                questions={"from_location_id": "From which shop?", "ingredient_id": "Which ingredient?",
                           "quantity": "How much, and in which unit?"}))
async def request_transfer(ctx: ToolContext, cmd: TransferStock) -> TransferOut:
    """Ask another shop to send an ingredient (the receiving shop's staff, or a manager): the transfer is requested,
    nothing moves, and the sender's keyholders are told. The sender sends it (send_transfer) or either shop
    cancels it. Needs an idempotency key."""
    ensure_location_scope(ctx.principal, cmd.to_location_id)
    menu = await _check(ctx, cmd)
    row = Transfer(from_location_id=cmd.from_location_id, to_location_id=cmd.to_location_id,
                   ingredient_id=cmd.ingredient_id, quantity=cmd.quantity, state="requested", note=cmd.note,
                   sent_by=ctx.principal.person, sent_at=ctx.now(), version=1)
    ctx.session.add(row)
    await ctx.session.flush()
    out = _out(menu, row)
    await notify(ctx.session, ctx.now(), topic="transfer", audience=audience_of("keyholder", cmd.from_location_id),
                 text=render("transfer_requested", out.model_dump()), by=ctx.principal.as_header(),
                 link=f"transfer:{row.id}")
    return out


@capability(domain="stock", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/transfers/{transfer_id}/send"),
            talk=Talk(asks=("send transfer", "send the transfer", "dispatch transfer", "send the request",
                            "fulfil the transfer", "fulfill the transfer"),
                      confirm="Shall I send transfer {transfer_id} now (its stock leaves this shop)?",
                      done="Sent transfer {transfer_id}: {quantity_shown} {name} from {from_location_id} to "
                           "{to_location_id}, in transit until {to_location_id} receives it."))
async def send_transfer(ctx: ToolContext, cmd: TransferRef) -> TransferOut:
    """Send a requested transfer (the sending shop's staff, or a manager): its units leave the sender's stock now,
    refused if that would leave the sender below its reorder point."""
    row = await _move(ctx, cmd, "in_transit", "from")
    menu = await ctx.menu()
    ask = TransferStock(from_location_id=row.from_location_id, to_location_id=row.to_location_id,
                        ingredient_id=row.ingredient_id, quantity=row.quantity)
    await _take(ctx, menu, ask)
    low = await stock_moved(ctx.session, ctx.now(), ctx.principal.as_header(), row.from_location_id,
                            {row.ingredient_id: -row.quantity})
    return _out(menu, row, low)


async def _move(ctx: ToolContext, cmd: TransferRef, to: str, side: str) -> Transfer:
    """Move a transfer from the state it is in to `to`, once: of concurrent moves one wins. `side`: whose staff may
    (the sender's "from", the receiver's "to", or "either"); managers always."""
    row = await ctx.session.get(Transfer, cmd.transfer_id)
    if row is None:
        raise NotFound(f"no transfer {cmd.transfer_id}", transfer_id=cmd.transfer_id)
    shops = {"from": [row.from_location_id], "to": [row.to_location_id]}.get(side, [row.from_location_id,
                                                                                   row.to_location_id])
    if ctx.principal.location_id not in shops:
        ensure_location_scope(ctx.principal, shops[0])
    if cmd.version is not None and cmd.version != row.version:
        raise Conflict(f"transfer {row.id} changed since it was read (version {row.version}, not {cmd.version})",
                       transfer_id=row.id, version=row.version)
    before = row.state
    if (before, to) not in MOVES:
        raise IllegalTransition(f"transfer {row.id} is {before.replace('_', ' ')}; it cannot become {to}",
                                transfer_id=row.id, state=before)
    moved = await ctx.session.execute(update(Transfer).where(Transfer.id == row.id, Transfer.state == before)
                                      .values(state=to, version=Transfer.version + 1,
                                              **({} if to == "in_transit" else
                                                 {"closed_by": ctx.principal.person, "closed_at": ctx.now()}))
                                      .execution_options(synchronize_session=False))
    await ctx.session.refresh(row)
    if rows_changed(moved) != 1:
        raise IllegalTransition(f"transfer {row.id} is {row.state.replace('_', ' ')} now; it cannot become {to}",
                                transfer_id=row.id, state=row.state)
    return row


@capability(domain="stock", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/transfers/{transfer_id}/receive"),
            talk=Talk(asks=("transfer arrived", "transfer came", "received transfer", "receive transfer",
                            "got the transfer", "transfer is here", "transfer has arrived"),
                      confirm="Shall I receive transfer {transfer_id} into stock?",
                      done="Received transfer {transfer_id}: {quantity_shown} {name} added at {to_location_id}."))
async def receive_transfer(ctx: ToolContext, cmd: TransferRef) -> TransferOut:
    """Receive a transfer in transit at the receiving shop (its staff, or a manager): its units join that shop's
    stock. A transfer is received once; receiving it again is refused."""
    row = await _move(ctx, cmd, "received", "to")
    await _add(ctx.session, row.to_location_id, row.ingredient_id, row.quantity)
    await stock_moved(ctx.session, ctx.now(), ctx.principal.as_header(), row.to_location_id,
                      {row.ingredient_id: row.quantity})
    return _out(await ctx.menu(), row)


@capability(domain="stock", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/transfers/{transfer_id}/cancel"),
            talk=Talk(asks=("cancel transfer", "cancel the transfer", "call off the transfer", "stop the transfer"),
                      confirm="Shall I cancel transfer {transfer_id}?",
                      done="Cancelled transfer {transfer_id}: {quantity_shown} {name} back at {from_location_id}."))
async def cancel_transfer(ctx: ToolContext, cmd: TransferRef) -> TransferOut:
    """Cancel a requested transfer (either shop's staff) or one in transit (the sender's staff): units in transit
    go back to the sender's stock. Managers cancel any."""
    found = await ctx.session.get(Transfer, cmd.transfer_id)
    sent = found is not None and found.state == "in_transit"
    row = await _move(ctx, cmd, "cancelled", "from" if sent else "either")
    if sent:
        await _add(ctx.session, row.from_location_id, row.ingredient_id, row.quantity)
        await stock_moved(ctx.session, ctx.now(), ctx.principal.as_header(), row.from_location_id,
                          {row.ingredient_id: row.quantity})
    return _out(await ctx.menu(), row)


@capability(domain="stock", roles=STAFF_ONLY, rest=Rest("GET", "/transfers"), talk=Talk(
    asks=("transfers", "in transit", "on the way from", "incoming transfer"),
    values={"in_transit": ("in transit", "on the way", "on its way"), "requested": ("requested", "requests", "asked for"),
            "received": ("received",), "cancelled": ("cancelled", "canceled")},
    each="#{transfer_id} {quantity_shown} {name} {from_location_id}→{to_location_id} {state}",
    empty="No transfers.", done="{listed}."))
async def list_transfers(ctx: ToolContext, cmd: TransferQuery) -> TransferList:
    """List transfers, newest first: from or to one shop (staff: their own), or in one state (in_transit shows
    what is on the way)."""
    query = select(Transfer).order_by(Transfer.id.desc())
    shop = ctx.principal.location_id if ctx.principal.role == Role.STAFF else cmd.location_id
    if shop:
        ensure_location_scope(ctx.principal, shop)
        query = query.where((Transfer.from_location_id == shop) | (Transfer.to_location_id == shop))
    if cmd.state:
        query = query.where(Transfer.state == cmd.state)
    menu = await ctx.menu()
    return TransferList(transfers=[_out(menu, t) for t in (await ctx.session.scalars(query.limit(100))).all()])

