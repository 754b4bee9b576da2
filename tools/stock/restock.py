"""Restock suggestions: for each product a shop buys, whether to order now and how much, from the forecast.

Per product: the next delivery arrives in L days (the supplier's lead time, then its next delivery weekday), and
the one after that R days later — so stock must last L + R days. Reorder point = forecast demand over L + R days +
safety stock (z·σ·√(L+R), σ the forecast's daily spread, z from the service level in `restock.toml`). If stock on
hand and on order is below it, order up to the larger of the reorder point and the par level on arrival, in whole
packs; a perishable never beyond what sells within its shelf life after arrival. One draft purchase order per
supplier; suggesting again replaces the lines of the shop's suggested drafts (a draft with nothing left to
order is cancelled).
"""

from __future__ import annotations

import math
import tomllib
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from statistics import NormalDist

from sqlalchemy import delete, select

from store.inventory import Stock
from store.menu import Ingredient
from store.purchasing import ParLevel, PurchaseOrder, PurchaseOrderLine, Supplier, SupplierProduct
from tools.context import ToolContext
from tools.principal import STAFF_ONLY
from tools.registry import Rest, Talk, capability
from tools.scheduling.rules import DAYS
from tools.stock.demand import HISTORY_DAYS, shop_today
from tools.stock.forecast import Z, forecast
from tools.stock.history import ingredient_histories
from tools.stock.models import RestockPlan, RestockQuery
from tools.stock.purchase_orders import out
from tools.stock.units import shown

OPEN = ("submitted", "partially_received")


@cache
def rules() -> dict[str, float]:
    """`restock.toml`: the service level, and what a transfer between shops costs."""
    return tomllib.loads(Path(__file__).with_name("restock.toml").read_text(encoding="utf-8"))


def z_score() -> float:
    return NormalDist().inv_cdf(rules()["service_level"])


def next_delivery(supplier: Supplier, earliest: date) -> date:
    return next(earliest + timedelta(days=k) for k in range(7) if DAYS[(earliest + timedelta(days=k)).weekday()]
                in supplier.delivers)


async def _on_order(ctx: ToolContext, location_id: str) -> dict[str, int]:
    """Units still to arrive per ingredient: sent orders, and drafts a person made (a suggestion adds to them)."""
    rows = await ctx.session.execute(select(PurchaseOrderLine.ingredient_id, PurchaseOrderLine.packs,
                                            PurchaseOrderLine.pack, PurchaseOrderLine.received)
                                     .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
                                     .where(PurchaseOrder.location_id == location_id,
                                            PurchaseOrder.state.in_(OPEN) | ((PurchaseOrder.state == "draft")
                                                                             & (PurchaseOrder.source == "manual"))))
    totals: dict[str, int] = {}
    for ingredient_id, packs, pack, received in rows.all():
        totals[ingredient_id] = totals.get(ingredient_id, 0) + max(0, packs * pack - received)
    return totals


def _line(today: date, history: list[float], supplier: Supplier, product: SupplierProduct, held: int, par: int,
          unit: str) -> tuple[int, str, int]:
    """Packs to order (0: none), why, and the reorder point."""
    arrives = next_delivery(supplier, today + timedelta(days=supplier.lead_days))
    lead = (arrives - today).days
    cover = lead + (next_delivery(supplier, arrives + timedelta(days=1)) - arrives).days
    f = forecast(history, cover + (product.shelf_days or 0))
    sigma = sum((h - lo) / (2 * Z) for lo, h in zip(f.low[:cover], f.high[:cover], strict=True)) / cover
    need, safety = sum(f.mean[:cover]), z_score() * sigma * math.sqrt(cover)
    point = need + safety
    said = (f"{shown(held, unit)} on hand and on order; forecast {shown(need, unit)} over {cover} days (delivery in "
            f"{lead}, the next {cover - lead} later) + safety {shown(safety, unit)} = reorder point {shown(point, unit)}")
    if held >= point:
        return 0, f"enough: {said}", math.ceil(point)
    target = max(point, sum(f.mean[:lead]) + par)
    packs = math.ceil((target - held) / product.pack)
    if product.shelf_days:
        keeps = sum(f.mean[lead:lead + product.shelf_days]) - max(0.0, held - sum(f.mean[:lead]))
        packs = min(packs, max(1, math.floor(keeps / product.pack)))
    why = f"{said}; up to {shown(target, unit)} (par {shown(par, unit)}) → {packs} × {shown(product.pack, unit)}"
    return packs, why, math.ceil(point)


@capability(domain="stock", roles=STAFF_ONLY, mutating=True, rest=Rest("POST", "/purchase-orders/suggestions"),
            talk=Talk(asks=("reorder", "what should i order", "what needs ordering", "what to order", "suggest an order",
                            "need to order", "needs to order", "weekly order", "stock up", "stocking up", "restok",
                            "top up", "should we order", "what do we need", "from suppliers", "suggest",
                            "restock suggestion", "needs ordering"),
                      confirm="Shall I draft purchase orders for {location_id} from the forecast?",
                      each="#{order_id} {supplier_name}: {summary}{note}",
                      empty="{location_id} needs nothing ordered now.",
                      done="Drafted for {location_id}: {listed}. Nothing is sent until one is submitted."))
async def suggest_restock(ctx: ToolContext, cmd: RestockQuery) -> RestockPlan:
    """Draft purchase orders for a shop from its demand forecast: per product the reorder point (forecast over the
    time until the delivery after next, plus safety stock at the configured service level), ordered up to par in
    whole packs, perishables capped by shelf life; each line says why. Suggesting again updates the shop's
    suggested drafts; nothing is sent until a draft is submitted."""
    today = await shop_today(ctx, cmd.location_id)
    earlier = {po.supplier_id: po for po in (await ctx.session.scalars(select(PurchaseOrder).where(
        PurchaseOrder.location_id == cmd.location_id, PurchaseOrder.state == "draft",
        PurchaseOrder.source == "suggested"))).all()}
    stock = {s.ingredient_id: s.quantity for s in (await ctx.session.scalars(
        select(Stock).where(Stock.location_id == cmd.location_id))).all()}
    pars = {p.ingredient_id: p for p in (await ctx.session.scalars(
        select(ParLevel).where(ParLevel.location_id == cmd.location_id))).all()}
    ordered = await _on_order(ctx, cmd.location_id)
    units = {i.id: i.unit for i in (await ctx.session.scalars(select(Ingredient))).all()}
    histories = await ingredient_histories(ctx.session, cmd.location_id, today, HISTORY_DAYS)
    orders, enough = [], []
    for supplier in (await ctx.session.scalars(select(Supplier).order_by(Supplier.id))).all():
        products = (await ctx.session.scalars(select(SupplierProduct).where(
            SupplierProduct.supplier_id == supplier.id).order_by(SupplierProduct.ingredient_id))).all()
        lines = []
        for p in products:
            held = stock.get(p.ingredient_id, 0) + ordered.get(p.ingredient_id, 0)
            par = pars.get(p.ingredient_id)
            history = histories.get(p.ingredient_id, [0.0] * HISTORY_DAYS)
            packs, why, point = _line(today, history, supplier, p, held, par.quantity if par else 0,
                                      units[p.ingredient_id])
            if par is not None:
                par.reorder_point = point
            if packs:
                lines.append(PurchaseOrderLine(ingredient_id=p.ingredient_id, packs=packs, pack=p.pack,
                                               pack_cents=p.pack_cents, why=why))
            else:
                enough.append(f"{p.ingredient_id}: {why}")
        po = earlier.get(supplier.id)
        if po is not None:  # the same draft, its lines replaced: its number stays, its version moves on
            await ctx.session.execute(delete(PurchaseOrderLine).where(PurchaseOrderLine.order_id == po.id))
            po.state = "draft" if lines else "cancelled"
            po.version += 1
        if lines:
            if po is None:
                po = PurchaseOrder(location_id=cmd.location_id, supplier_id=supplier.id, state="draft",
                                   source="suggested", created_by=ctx.principal.person, created_at=ctx.now(),
                                   version=1)
                ctx.session.add(po)
            po.expected_on = next_delivery(supplier, today + timedelta(days=supplier.lead_days))
            await ctx.session.flush()
            for line in lines:
                line.order_id = po.id
            ctx.session.add_all(lines)
            await ctx.session.flush()
            orders.append(await out(ctx.session, po))
    return RestockPlan(location_id=cmd.location_id, orders=orders, enough=enough)
