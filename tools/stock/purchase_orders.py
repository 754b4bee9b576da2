"""Purchase orders: read them, submit a draft to its supplier, cancel one that has not arrived."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.menu import Ingredient
from store.purchasing import PurchaseOrder, PurchaseOrderLine, Supplier
from tools.approval_rules import manager_approved
from tools.context import ToolContext
from tools.errors import ApprovalRequired, Conflict, IllegalTransition, NotFound
from tools.inventory import ensure_location_scope
from tools.principal import MANAGERS, STAFF_ONLY, Role
from tools.registry import Rest, Talk, capability
from tools.scheduling.labour import dollars
from tools.stock.models import (
    LineOut,
    PurchaseOrderList,
    PurchaseOrderOut,
    PurchaseOrderQuery,
    PurchaseOrderRef,
    SubmitPurchaseOrder,
)


async def out(session: AsyncSession, po: PurchaseOrder) -> PurchaseOrderOut:
    supplier = await session.get(Supplier, po.supplier_id)
    assert supplier is not None
    rows = (await session.scalars(select(PurchaseOrderLine).where(PurchaseOrderLine.order_id == po.id)
                                  .order_by(PurchaseOrderLine.ingredient_id))).all()
    names = {i.id: i for i in (await session.scalars(select(Ingredient))).all()}
    lines = [LineOut(ingredient_id=r.ingredient_id, name=names[r.ingredient_id].name, packs=r.packs,
                     pack=r.pack, unit=names[r.ingredient_id].unit, quantity=r.packs * r.pack, received=r.received,
                     cost=dollars(r.packs * r.pack_cents), why=r.why) for r in rows]
    total = sum(r.packs * r.pack_cents for r in rows)
    short = total < supplier.min_order_cents
    return PurchaseOrderOut(order_id=po.id, location_id=po.location_id, supplier_id=supplier.id,
                            supplier_name=supplier.name, state=po.state, expected_on=po.expected_on, lines=lines,
                            total_cents=total, total=dollars(total), below_minimum=short,
                            summary=f"{len(lines)} line{'s' if len(lines) != 1 else ''}, {dollars(total)}",
                            note=f" (below {supplier.name}'s {dollars(supplier.min_order_cents)} minimum)" if short
                            else "", version=po.version)


async def load(ctx: ToolContext, cmd: PurchaseOrderRef) -> PurchaseOrder:
    po = await ctx.session.get(PurchaseOrder, cmd.order_id)
    if po is None:
        raise NotFound(f"no purchase order {cmd.order_id}", order_id=cmd.order_id)
    ensure_location_scope(ctx.principal, po.location_id)
    if cmd.version is not None and cmd.version != po.version:
        raise Conflict(f"purchase order {po.id} changed since it was read (version {po.version}, not {cmd.version})",
                       order_id=po.id, version=po.version)
    return po


@capability(domain="stock", roles=STAFF_ONLY, rest=Rest("GET", "/purchase-orders"), talk=Talk(
    asks=("purchase order", "purchase orders", "po", "pos", "orders with suppliers", "on order", "purchse order",
          "purchse orders"),
    unless=("submit", "cancel", "send", "reorder", "draft"),
    each="#{order_id} {supplier_name} {state} {total}{note}", empty="No purchase orders.", done="{listed}."))
async def list_purchase_orders(ctx: ToolContext, cmd: PurchaseOrderQuery) -> PurchaseOrderList:
    """List purchase orders, newest first: a shop's (staff: their own), or in one state."""
    query = select(PurchaseOrder).order_by(PurchaseOrder.id.desc())
    shop = ctx.principal.location_id if ctx.principal.role == Role.STAFF else cmd.location_id
    if shop:
        ensure_location_scope(ctx.principal, shop)
        query = query.where(PurchaseOrder.location_id == shop)
    if cmd.state:
        query = query.where(PurchaseOrder.state == cmd.state)
    return PurchaseOrderList(orders=[await out(ctx.session, po)
                                     for po in (await ctx.session.scalars(query.limit(100))).all()])


@capability(domain="stock", roles=MANAGERS, mutating=True, needs_approval=True,
            rest=Rest("POST", "/purchase-orders/{order_id}/submit"), talk=Talk(
                asks=("submit", "submitt", "send the order", "send the po", "place the order with", "send po",
                      "send it off", "send purchase order", "place purchase order", "with the vendor"),
                confirm="Shall I submit purchase order {order_id} to its supplier? (A person approves it first.)",
                done="Submitted purchase order {order_id} to {supplier_name}: {total}, expected {expected_on}."))
async def submit_purchase_order(ctx: ToolContext, cmd: SubmitPurchaseOrder) -> PurchaseOrderOut:
    """Send a draft purchase order to its supplier. It must reach the supplier's minimum order value. Above the
    approval limit another manager must approve it; an agent's request always waits for a human's approval."""
    po = await load(ctx, cmd)
    if po.state != "draft":
        raise IllegalTransition(f"purchase order {po.id} is {po.state}; only a draft is submitted",
                                order_id=po.id, state=po.state)
    now = await out(ctx.session, po)
    if now.below_minimum:
        raise Conflict(f"purchase order {po.id} is {now.total},{now.note.removesuffix(')').replace(' (', ' ')}: "
                       "add to it first", order_id=po.id, total_cents=now.total_cents)
    limit = ctx.services.rules.purchase_order_approval_cents
    if now.total_cents > limit and not await manager_approved(ctx.session, cmd.approval_id, "submit_purchase_order",
                                                              ctx.principal.person, order_id=po.id):
        raise ApprovalRequired(f"purchase orders above {dollars(limit)} need another manager's approval "
                               f"(this one is {now.total})", limit_cents=limit, total_cents=now.total_cents)
    po.state, po.submitted_by, po.submitted_at, po.version = "submitted", ctx.principal.person, ctx.now(), po.version + 1
    await ctx.session.flush()
    return await out(ctx.session, po)


@capability(domain="stock", roles=MANAGERS, mutating=True, rest=Rest("POST", "/purchase-orders/{order_id}/cancel"),
            talk=Talk(asks=("cancel", "cancle", "void"), confirm="Shall I cancel purchase order {order_id}?",
                      done="Cancelled purchase order {order_id} ({supplier_name}, {total})."))
async def cancel_purchase_order(ctx: ToolContext, cmd: PurchaseOrderRef) -> PurchaseOrderOut:
    """Cancel a draft or submitted purchase order; one that has (partly) arrived cannot be."""
    po = await load(ctx, cmd)
    if po.state not in ("draft", "submitted"):
        raise IllegalTransition(f"purchase order {po.id} is {po.state}; it cannot be cancelled",
                                order_id=po.id, state=po.state)
    po.state, po.version = "cancelled", po.version + 1
    await ctx.session.flush()
    return await out(ctx.session, po)

