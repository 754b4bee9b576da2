"""Balancing stock between shops before buying: a shop that will run short before its supplier's next delivery
can take what another shop holds beyond its own reorder point (its forecast need until its next delivery plus
safety stock). Ordering cannot help then — nothing arrives before the next delivery — so a transfer is proposed when
the goods it moves are worth at least the run across town (`transfer_cents` in `restock.toml`); a shortage the
next delivery covers in time is left to ordering."""

from __future__ import annotations

import math
from datetime import date, timedelta

from sqlalchemy import select

from store.inventory import Stock
from store.purchasing import ParLevel, Supplier, SupplierProduct
from tools.context import ToolContext
from tools.errors import NotFound
from tools.inventory import in_transit
from tools.menu.snapshot import Snapshot
from tools.principal import STAFF_ONLY
from tools.registry import Rest, Talk, capability
from tools.scheduling.labour import dollars
from tools.stock.demand import shop_today
from tools.stock.history import ingredient_history
from tools.stock.models import TransferIdea, TransferNeed, TransferPlan
from tools.stock.restock import next_delivery, rules
from tools.stock.units import shown

RECENT_DAYS = 28


def transfer_cents() -> int:
    return int(rules()["transfer_cents"])


class _Levels:
    """Every shop's stock and reorder points, read once."""

    def __init__(self, stock: list[Stock], points: list[ParLevel]) -> None:
        self.stock = {(s.location_id, s.ingredient_id): s.quantity for s in stock}
        self.points = {(p.location_id, p.ingredient_id): p.reorder_point for p in points}

    def spare(self, shop: str, ingredient_id: str) -> int:
        return max(0, self.stock.get((shop, ingredient_id), 0) - self.points.get((shop, ingredient_id), 0))


def _rounded(quantity: float, unit: str, cap: int) -> int:
    step = 100 if unit in ("ml", "g") else 1
    return min(cap, math.ceil(quantity / step) * step)


async def _short(ctx: ToolContext, today: date, shop: str, ingredient_id: str, held: int) -> tuple[float, str]:
    """What the shop lacks (at its recent daily use) before its supplier's next delivery can arrive, and when that
    is."""
    product = await ctx.session.get(SupplierProduct, ingredient_id)
    use = await ingredient_history(ctx.session, shop, ingredient_id, today, RECENT_DAYS)
    per_day = sum(use) / RECENT_DAYS
    if product is None:
        return per_day * 7 - held, "a week from now (no supplier sells it)"
    supplier = await ctx.session.get(Supplier, product.supplier_id)
    assert supplier is not None
    arrives = next_delivery(supplier, today + timedelta(days=supplier.lead_days))
    days = (arrives - today).days
    return per_day * days - held, f"{supplier.name}'s next delivery ({arrives:%a %d %b})"


def _ideas(menu: Snapshot, levels: _Levels, shop: str, ingredient_id: str, lacking: float) -> list[TransferIdea]:
    unit, name = menu.ingredients[ingredient_id].unit, menu.ingredients[ingredient_id].name
    others = sorted((s for s in menu.locations if s != shop), key=lambda s: -levels.spare(s, ingredient_id))
    ideas, left = [], lacking
    for other in others:
        spare = levels.spare(other, ingredient_id)
        if left <= 0 or not spare:
            break
        quantity = _rounded(left, unit, spare)
        ideas.append(TransferIdea(from_location_id=other, to_location_id=shop, ingredient_id=ingredient_id, name=name,
                                  quantity=quantity, quantity_shown=shown(quantity, unit),
                                  why=f"{other} holds {shown(spare, unit)} beyond its reorder point"))
        left -= quantity
    return ideas


@capability(domain="stock", roles=STAFF_ONLY, rest=Rest("GET", "/transfers/suggestions"), talk=Talk(
    asks=("spare", "can another shop", "can anyone", "another shop", "other shops", "who has", "borrow",
          "balance stock", "suggest transfers", "suggest a transfer", "from another", "help us out", "lend us",
          "help out", "could help", "give them some", "got extra", "to spare", "able to cover", "lend"),
    each="{quantity_shown} {name} from {from_location_id} ({why})",
    empty="No other shop can spare anything {location_id} needs.{order_note}",
    done="For {location_id}: {listed}.{order_note}"))
async def suggest_transfers(ctx: ToolContext, cmd: TransferNeed) -> TransferPlan:
    """Which shops could send a shop what it will lack before its supplier's next delivery, from what they hold
    beyond their own reorder point; a shortage the next delivery covers in time, or too small to be worth a run
    across town, is left to ordering. Nothing is sent until a transfer is asked for."""
    today = await shop_today(ctx, cmd.location_id)
    menu = await ctx.menu()
    if cmd.ingredient_id is not None and cmd.ingredient_id not in menu.ingredients:
        raise NotFound(f"no ingredient {cmd.ingredient_id!r}", ingredient_id=cmd.ingredient_id)
    levels = _Levels(list((await ctx.session.scalars(select(Stock))).all()),
                     list((await ctx.session.scalars(select(ParLevel))).all()))
    coming = await in_transit(ctx.session)
    wanted = [cmd.ingredient_id] if cmd.ingredient_id else sorted(
        i for (shop, i), point in levels.points.items() if shop == cmd.location_id
        and levels.stock.get((shop, i), 0) + coming.get((shop, i), 0) < point)
    ideas, instead = [], []
    for ingredient_id in wanted:
        held = levels.stock.get((cmd.location_id, ingredient_id), 0) + coming.get((cmd.location_id, ingredient_id), 0)
        lacking, when = await _short(ctx, today, cmd.location_id, ingredient_id, held)
        unit, name = menu.ingredients[ingredient_id].unit, menu.ingredients[ingredient_id].name
        if lacking <= 0:
            instead.append(f"{name}: {shown(held, unit)} on hand lasts until {when}")
            continue
        found = _ideas(menu, levels, cmd.location_id, ingredient_id, lacking)
        if not found or await _value(ctx, found) < transfer_cents():
            instead.append(f"{name}: short {shown(lacking, unit)} before {when}, but "
                           + ("no shop can spare any" if not found else
                              f"that is worth less than a transfer run ({dollars(transfer_cents())})"))
            continue
        ideas += found
    more = f"; and {len(instead) - 3} more" if len(instead) > 3 else ""
    note = f" Order instead: {'; '.join(instead[:3])}{more}." if instead else ""
    return TransferPlan(location_id=cmd.location_id, transfers=ideas, order_instead=instead, order_note=note)


async def _value(ctx: ToolContext, ideas: list[TransferIdea]) -> float:
    """What the moved units cost to buy: a transfer must move at least the cost of the run."""
    product = await ctx.session.get(SupplierProduct, ideas[0].ingredient_id)
    return sum(i.quantity for i in ideas) * product.pack_cents / product.pack if product else math.inf
