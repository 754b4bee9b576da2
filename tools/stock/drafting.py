"""Purchase orders by hand: put an ingredient on the shop's draft for its supplier (staff may draft), or change a
draft's line. A hand-made draft is never replaced by a restock suggestion."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import delete, select

from store.purchasing import PurchaseOrder, PurchaseOrderLine, Supplier, SupplierProduct
from tools.context import ToolContext
from tools.errors import IllegalTransition, InvalidInput
from tools.principal import STAFF_ONLY
from tools.registry import Rest, Talk, capability
from tools.stock.demand import shop_today
from tools.stock.models import DraftLine, EditLine, PurchaseOrderOut, PurchaseOrderRef
from tools.stock.purchase_orders import load, out
from tools.stock.restock import next_delivery
from tools.stock.units import shown


async def _product(ctx: ToolContext, ingredient_id: str) -> SupplierProduct:
    product = await ctx.session.get(SupplierProduct, ingredient_id)
    if product is None:
        raise InvalidInput(f"no supplier sells {ingredient_id}", ingredient_id=ingredient_id)
    return product


@capability(domain="stock", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/purchase-orders", 201), talk=Talk(
    asks=("order more", "order some", "put on the order", "add to the order", "add to the po", "need more",
          "get more", "buy more", "order in", "order extra", "draft a po", "draft an order", "draft a purchase order",
          "draft it", "order with the supplier", "on the order", "to the order", "put in an order"),
    unless=("drink", "latte", "coffee for me"),
    confirm="Shall I put {quantity} of {ingredient_id} on {location_id}'s draft order with its supplier?",
    done="Purchase order {order_id} ({supplier_name}, draft): {summary}{note}. Nothing is sent until it is "
         "submitted.",
    questions={"ingredient_id": "Which ingredient?", "quantity": "How much, and in which unit?"}))
async def draft_purchase_order(ctx: ToolContext, cmd: DraftLine) -> PurchaseOrderOut:
    """Put an ingredient on a shop's draft purchase order with its supplier, in whole packs (rounded up), starting a
    draft if the shop has none with that supplier; an ingredient already on the draft gets the new quantity. Staff
    draft for their own shop; a manager submits."""
    today = await shop_today(ctx, cmd.location_id)
    product = await _product(ctx, cmd.ingredient_id)
    supplier = await ctx.session.get(Supplier, product.supplier_id)
    assert supplier is not None
    po = await ctx.session.scalar(select(PurchaseOrder).where(
        PurchaseOrder.location_id == cmd.location_id, PurchaseOrder.supplier_id == supplier.id,
        PurchaseOrder.state == "draft").order_by(PurchaseOrder.id).limit(1))
    if po is None:
        po = PurchaseOrder(location_id=cmd.location_id, supplier_id=supplier.id, state="draft", source="manual",
                           created_by=ctx.principal.person, created_at=ctx.now(), version=1,
                           expected_on=next_delivery(supplier, today + timedelta(days=supplier.lead_days)))
        ctx.session.add(po)
        await ctx.session.flush()
    packs = math.ceil(cmd.quantity / product.pack)
    await _set_line(ctx, po, product, packs, f"asked by {ctx.principal.person}: {cmd.quantity} → {packs} × "
                                             f"{product.pack}")
    po.source, po.version = "manual", po.version + 1  # a person's line: no suggestion replaces this draft now
    await ctx.session.flush()
    return await out(ctx.session, po)


async def _set_line(ctx: ToolContext, po: PurchaseOrder, product: SupplierProduct, packs: int, why: str) -> None:
    await ctx.session.execute(delete(PurchaseOrderLine).where(
        PurchaseOrderLine.order_id == po.id, PurchaseOrderLine.ingredient_id == product.ingredient_id))
    if packs:
        ctx.session.add(PurchaseOrderLine(order_id=po.id, ingredient_id=product.ingredient_id, packs=packs,
                                          pack=product.pack, pack_cents=product.pack_cents, why=why))


@capability(domain="stock", roles=STAFF_ONLY, mutating=True,
            rest=Rest("PATCH", "/purchase-orders/{order_id}/lines/{ingredient_id}"))
async def edit_purchase_order(ctx: ToolContext, cmd: EditLine) -> PurchaseOrderOut:
    """Set how many packs of an ingredient a draft purchase order asks for (0 takes the line off; a draft left with
    no lines is cancelled). Only a draft can be edited."""
    po = await load(ctx, PurchaseOrderRef(order_id=cmd.order_id, version=cmd.version))
    if po.state != "draft":
        raise IllegalTransition(f"purchase order {po.id} is {po.state}; only a draft can be edited",
                                order_id=po.id, state=po.state)
    product = await _product(ctx, cmd.ingredient_id)
    if product.supplier_id != po.supplier_id:
        raise InvalidInput(f"{cmd.ingredient_id} comes from {product.supplier_id}, not {po.supplier_id}",
                           ingredient_id=cmd.ingredient_id, supplier_id=product.supplier_id)
    await _set_line(ctx, po, product, cmd.packs,
                    f"set by {ctx.principal.person}: {cmd.packs} × {shown(product.pack, 'pc')}")
    await ctx.session.flush()
    left = await ctx.session.scalar(select(PurchaseOrderLine.order_id).where(PurchaseOrderLine.order_id == po.id)
                                    .limit(1))
    po.state = "draft" if left is not None else "cancelled"
    po.source, po.version = "manual", po.version + 1
    await ctx.session.flush()
    return await out(ctx.session, po)
