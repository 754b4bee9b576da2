"""What a shop will sell or use, day by day, and how long its stock lasts at that rate."""

from __future__ import annotations

import math
from datetime import date, timedelta

from sqlalchemy import select

from store.inventory import Stock
from store.menu import Ingredient, MenuItem
from tools.context import ToolContext
from tools.errors import InvalidInput, NotFound
from tools.inventory import ensure_location_scope
from tools.principal import STAFF_ONLY
from tools.registry import Rest, Talk, capability
from tools.scheduling import roster
from tools.scheduling.rules import DAYS
from tools.stock.forecast import Forecast, Z, forecast
from tools.stock.history import ingredient_history, item_history
from tools.stock.models import CoverQuery, DayForecast, DaysOfCover, DemandForecast, ForecastQuery
from tools.stock.units import shown

HISTORY_DAYS = 56
AHEAD = 14
HORIZON = 28


async def shop_today(ctx: ToolContext, location_id: str) -> date:
    """The shop's local today, once the caller may act there."""
    ensure_location_scope(ctx.principal, location_id)
    await roster.shop(ctx.session, location_id)
    return ctx.now().astimezone((await roster.zones(ctx.session))[location_id]).date()


async def _series(ctx: ToolContext, location_id: str, product: str, before: date) -> tuple[str, str, str, list[float]]:
    """The product's kind, name, unit and daily history."""
    item = await ctx.session.get(MenuItem, product)
    if item is not None:
        return "item", item.name, "pc", await item_history(ctx.session, location_id, product, before, HISTORY_DAYS)
    ingredient = await ctx.session.get(Ingredient, product)
    if ingredient is not None:
        return "ingredient", ingredient.name, ingredient.unit, await ingredient_history(
            ctx.session, location_id, product, before, HISTORY_DAYS)
    raise NotFound(f"no menu item or ingredient {product!r}", product=product)


def _total(f: Forecast) -> tuple[float, float, float]:
    spread = math.sqrt(sum(((h - lo) / (2 * Z)) ** 2 for lo, h in zip(f.low, f.high, strict=True)))
    total = sum(f.mean)
    return total, max(0.0, total - Z * spread), total + Z * spread


@capability(domain="stock", roles=STAFF_ONLY, rest=Rest("GET", "/forecasts"), talk=Talk(
    asks=("forecast", "forcast", "demand", "expect to sell", "will we sell", "how many will we", "predict", "projection",
          "project", "sell", "sales", "expecting", "estimate", "outlook", "go through", "likely to use", "will need",
          "need coming up", "will do"),
    done="{name} at {location_id}, {days} days from {starts_on}: about {total_shown} ({range_shown}, 80% likely); "
         "busiest on {busiest}. {model}, from {history_days} days of sales."))
async def forecast_demand(ctx: ToolContext, cmd: ForecastQuery) -> DemandForecast:
    """Forecast a shop's daily demand for a menu item (units sold) or an ingredient (used by the items sold), with
    80 % prediction intervals, from its sales history. AutoETS with a weekly season for steady series, Croston for
    intermittent ones (slow pastries)."""
    today = await shop_today(ctx, cmd.location_id)
    first = cmd.starts_on or today
    if not today <= first <= today + timedelta(days=AHEAD):
        raise InvalidInput(f"a forecast starts between today and {AHEAD} days ahead, not {first}",
                           starts_on=str(first))
    kind, name, unit, history = await _series(ctx, cmd.location_id, cmd.product, today)
    skip = (first - today).days
    ahead = forecast(history, skip + cmd.days)
    f = Forecast(ahead.mean[skip:], ahead.low[skip:], ahead.high[skip:], ahead.model)
    days = [first + timedelta(days=k) for k in range(cmd.days)]
    daily = [DayForecast(day=d, weekday=DAYS[d.weekday()].capitalize(), expected=round(m, 1), low=round(lo, 1),
                         high=round(h, 1)) for d, m, lo, h in zip(days, f.mean, f.low, f.high, strict=True)]
    total, low, high = _total(f)
    busiest = max(daily, key=lambda d: d.expected)
    return DemandForecast(location_id=cmd.location_id, product=cmd.product, name=name, kind=kind, unit=unit,
                          starts_on=first, days=cmd.days, daily=daily, total=round(total, 1),
                          total_low=round(low, 1), total_high=round(high, 1), total_shown=shown(total, unit),
                          range_shown=f"{shown(low, unit)} to {shown(high, unit)}",
                          busiest=f"{busiest.weekday} {busiest.day}", model=f.model, history_days=len(history))


@capability(domain="stock", roles=STAFF_ONLY, rest=Rest("GET", "/stock/cover"), talk=Talk(
    asks=("run out", "runs out", "running out", "last", "days of cover", "how long will", "how long does", "runout",
          "how long have we got", "till we're out", "until we're out", "make it through", "days left", "how many days",
          "enough until", "enough till"),
    done="{ingredient_name} at {location_id}: {on_hand_shown} on hand, about {per_day_shown} a day; {runs_out_note}."))
async def get_days_of_cover(ctx: ToolContext, cmd: CoverQuery) -> DaysOfCover:
    """How long an ingredient's stock at a shop lasts at the forecast rate of use, and the day it runs out (if
    within four weeks)."""
    today = await shop_today(ctx, cmd.location_id)
    ingredient = await ctx.session.get(Ingredient, cmd.ingredient_id)
    if ingredient is None:
        raise NotFound(f"no ingredient {cmd.ingredient_id!r}", ingredient_id=cmd.ingredient_id)
    stock = await ctx.session.scalar(select(Stock.quantity).where(
        Stock.location_id == cmd.location_id, Stock.ingredient_id == cmd.ingredient_id)) or 0
    history = await ingredient_history(ctx.session, cmd.location_id, cmd.ingredient_id, today, HISTORY_DAYS)
    use = forecast(history, HORIZON).mean
    per_day = sum(use) / HORIZON
    left, runs_out, cover = float(stock), None, 0.0
    for k, u in enumerate(use):
        if u >= left:
            runs_out, cover = today + timedelta(days=k), k + (left / u if u else 0.0)
            break
        left -= u
    else:
        cover = HORIZON + (left / per_day if per_day else math.inf)
    if runs_out is not None:
        note = f"at this rate it runs out on {runs_out:%a %d %b} ({cover:.1f} days)"
    elif per_day:
        note = f"it lasts beyond four weeks (about {cover:.0f} days at this rate)"
    else:
        note = "nothing has used it lately"
    return DaysOfCover(location_id=cmd.location_id, ingredient_id=ingredient.id, ingredient_name=ingredient.name,
                       unit=ingredient.unit, on_hand=stock, per_day=round(per_day, 1),
                       days_of_cover=round(min(cover, 9999.0), 1), runs_out_on=runs_out,
                       on_hand_shown=shown(stock, ingredient.unit), per_day_shown=shown(per_day, ingredient.unit),
                       runs_out_note=note)
