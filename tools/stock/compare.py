"""Comparing shops over a period, as an area manager reads it: sales, orders, wait, waste, stock-outs, labour."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.inventory import Stock
from store.menu import Location
from store.orders import Order, OrderEvent
from store.sales import SalesHour
from store.scheduling import StaffMember
from store.stock_moves import WasteRecord
from store.tasks import Task
from tools.context import ToolContext
from tools.principal import MANAGERS
from tools.registry import Rest, Talk, capability
from tools.scheduling import staffing
from tools.scheduling.labour import dollars
from tools.stock.models import CompareQuery, ShopComparison, ShopFigures

HEADER = "shop | sales | orders | wait | waste | low-stock alerts | out of stock | labour"


async def _wait(session: AsyncSession, shop: str, start: datetime, end: datetime) -> float | None:
    placed = select(OrderEvent.order_id, func.min(OrderEvent.at).label("at")).where(
        OrderEvent.to_state == "placed").group_by(OrderEvent.order_id).subquery()
    ready = select(OrderEvent.order_id, func.min(OrderEvent.at).label("at")).where(
        OrderEvent.to_state == "ready").group_by(OrderEvent.order_id).subquery()
    rows = (await session.execute(select(placed.c.at, ready.c.at).join(ready, ready.c.order_id == placed.c.order_id)
                                  .join(Order, Order.id == placed.c.order_id)
                                  .where(Order.location_id == shop, placed.c.at >= start, placed.c.at < end))).all()
    waits = [(r - p).total_seconds() / 60 for p, r in rows]
    return round(sum(waits) / len(waits), 1) if waits else None


async def _labour_cents(session: AsyncSession, shop: str, start: datetime, end: datetime) -> int:
    rates = {m.id: m.hourly_rate_cents for m in (await session.scalars(select(StaffMember))).all()}
    return round(sum((s.ends_at - s.starts_at).total_seconds() / 3600 * rates.get(s.staff_id, 0)
                     for s in await staffing.held_shifts(session, shop, start, end) if s.staff_id))


async def _figures(session: AsyncSession, location: Location, first: date, last: date) -> ShopFigures:
    start = datetime.combine(first, time(), ZoneInfo(location.timezone))
    end = datetime.combine(last + timedelta(days=1), time(), ZoneInfo(location.timezone))
    sales, orders = (await session.execute(select(func.coalesce(func.sum(SalesHour.revenue_cents), 0),
                                                  func.coalesce(func.sum(SalesHour.orders), 0)).where(
        SalesHour.location_id == location.id, SalesHour.starts_at >= start, SalesHour.starts_at < end))).one()
    waste = await session.scalar(select(func.coalesce(func.sum(WasteRecord.value_cents), 0)).where(
        WasteRecord.location_id == location.id, WasteRecord.recorded_at >= start, WasteRecord.recorded_at < end))
    alerts = await session.scalar(select(func.count()).select_from(Task).where(
        Task.location_id == location.id, Task.source == "stock", Task.created_at >= start, Task.created_at < end))
    out = await session.scalar(select(func.count()).select_from(Stock).where(
        Stock.location_id == location.id, Stock.quantity == 0))
    labour = await _labour_cents(session, location.id, start, end)
    wait = await _wait(session, location.id, start, end)
    waste_pct = round(100 * int(waste or 0) / sales, 1) if sales else 0.0
    labour_pct = round(100 * labour / sales, 1) if sales and labour else None
    row = (f"{location.id} | {dollars(int(sales))} | {int(orders):,} | {'-' if wait is None else f'{wait} min'} | "
           f"{waste_pct}% | {alerts} | {out} | {'-' if labour_pct is None else f'{labour_pct}%'}")
    return ShopFigures(location_id=location.id, sales_cents=int(sales), sales=dollars(int(sales)), orders=int(orders),
                       average_wait_minutes=wait, waste_cents=int(waste or 0), waste_percent=waste_pct,
                       low_stock_alerts=int(alerts or 0), out_of_stock=int(out or 0), labour_percent=labour_pct,
                       row=row)


@capability(domain="stock", roles=MANAGERS, rest=Rest("GET", "/shops/comparison"), talk=Talk(
    asks=("compare", "compared", "comparison", "which shop", "which store", "best shop", "worst shop", "sold the most",
          "busiest shop", "shop by shop", "across shops", "all shops", "all the shops", "each shop", "every shop",
          "the three shops", "league table", "side by side", "performing", "ranking", "rank"),
    unless=("spare", "lend", "help out", "could help", "short on", "low on", "out of", "give them"),
    done="{first_day} to {last_day}: {top}\n{table}"))
async def compare_shops(ctx: ToolContext, cmd: CompareQuery) -> ShopComparison:
    """Every shop side by side over the last days (to yesterday, each in its own time zone): sales and orders,
    average wait from placed to ready, waste as a share of sales, low-stock alerts and ingredients out of stock,
    and labour (held shifts' pay) as a share of sales. Managers only."""
    shops, lasts = [], []
    for location in (await ctx.session.scalars(select(Location).order_by(Location.id))).all():
        lasts.append(ctx.now().astimezone(ZoneInfo(location.timezone)).date() - timedelta(days=1))
        shops.append(await _figures(ctx.session, location, lasts[-1] - timedelta(days=cmd.days - 1), lasts[-1]))
    shops.sort(key=lambda f: -f.sales_cents)
    last = max(lasts, default=ctx.now().date())
    first = last - timedelta(days=cmd.days - 1)
    top = (f"{shops[0].location_id} sold the most ({shops[0].sales}, {shops[0].orders:,} orders)" if shops
           else "no shops")
    return ShopComparison(first_day=first, last_day=last, days=cmd.days, shops=shops, top=top,
                          table="\n".join([HEADER, *(s.row for s in shops)]))

