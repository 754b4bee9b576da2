"""Forecast benchmark: a backtest on the seeded history, and the time to forecast every ingredient of every shop.

Backtest: for each shop × menu item and shop × ingredient, the last 14 days of the 8-week history are held out; the
platform's forecaster (tools/stock/forecast.py: AutoETS, or Croston for intermittent series) and the seasonal-naive
forecast (each day as the same weekday a week before) are fit on the rest. Reported: MASE of each (MAE on the
held-out days over the in-sample MAE of the one-week seasonal naive), their ratio per series (below 1: the
forecaster beats seasonal naive), its distribution, and how many series each model took.

Timing: forecasting 28 days for all ingredients of the three shops, against seasonal naive on the same series in
the same run (the floor: reading the history is shared, so both include it); and the whole restock suggestion
(`suggest_restock`: read the history, forecast every product, draft the orders) for the three shops, against
reading their stock (`get_stock`) through the same gateway. Aim: under 2 s. Nothing is asserted.

Run `.venv/bin/python -m bench.forecast`; JSON in bench/results/forecast-*.json.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from gocoffee.bootstrap import build_platform, running
from gocoffee.settings import Settings
from store.menu import Ingredient, Location, MenuItem
from tools.principal import Principal
from tools.stock.forecast import forecast
from tools.stock.history import ingredient_history, item_history

RESULTS = Path(__file__).resolve().parent / "results"
MANAGER = Principal.parse("manager:m1")
HISTORY, HOLD = 56, 14


def seasonal_naive(history: list[float], days: int) -> list[float]:
    return [history[len(history) - 7 + (k % 7)] for k in range(days)]


def mase(actual: list[float], predicted: list[float], train: list[float]) -> float:
    scale = statistics.fmean(abs(a - b) for a, b in zip(train[7:], train[:-7], strict=True)) or 1.0
    return statistics.fmean(abs(a - p) for a, p in zip(actual, predicted, strict=True)) / scale


def _quantiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=10)
    return {"p10": round(cuts[0], 3), "median": round(statistics.median(values), 3), "p90": round(cuts[-1], 3)}


async def series(session: Any, shops: list[Location], items: list[str], ingredients: list[str]
                 ) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for shop in shops:
        today = datetime.now(ZoneInfo(shop.timezone)).date()
        for item in items:
            out[f"{shop.id}/{item}"] = await item_history(session, shop.id, item, today, HISTORY)
        for ingredient in ingredients:
            out[f"{shop.id}/{ingredient}"] = await ingredient_history(session, shop.id, ingredient, today, HISTORY)
    return {k: v for k, v in out.items() if any(v)}


def backtest(all_series: dict[str, list[float]]) -> dict[str, Any]:
    ratios: list[float] = []
    ours: list[float] = []
    naive: list[float] = []
    models: dict[str, int] = {}
    for y in all_series.values():
        train, actual = y[:-HOLD], y[-HOLD:]
        f = forecast(train, HOLD)
        models[f.model] = models.get(f.model, 0) + 1
        a, b = mase(actual, f.mean, train), mase(actual, seasonal_naive(train, HOLD), train)
        ours.append(a)
        naive.append(b)
        ratios.append(a / b if b else 1.0)
    out = {"series": len(ratios), "mase_forecaster": _quantiles(ours), "mase_seasonal_naive": _quantiles(naive),
           "ratio": _quantiles(ratios), "mean_mase_forecaster": round(statistics.fmean(ours), 3),
           "mean_mase_seasonal_naive": round(statistics.fmean(naive), 3),
           "beats_naive": sum(r < 1 for r in ratios), "models": models}
    print(f"backtest on {out['series']} series (last {HOLD} days held out): MASE mean {out['mean_mase_forecaster']} "
          f"vs seasonal naive {out['mean_mase_seasonal_naive']}; per-series ratio {out['ratio']}; beats naive on "
          f"{out['beats_naive']}/{out['series']}; models {models}", flush=True)
    return out


def timing(all_series: dict[str, list[float]]) -> dict[str, Any]:
    start = time.perf_counter()
    for y in all_series.values():
        seasonal_naive(y, 28)
    floor = time.perf_counter() - start
    start = time.perf_counter()
    for y in all_series.values():
        forecast(y, 28)
    seconds = time.perf_counter() - start
    print(f"forecast 28 days for {len(all_series)} ingredient series: {seconds:.3f} s "
          f"(seasonal naive {floor * 1000:.2f} ms)", flush=True)
    return {"series": len(all_series), "seconds": round(seconds, 3), "seasonal_naive_seconds": round(floor, 6)}


async def restock(platform: Any, shops: list[str]) -> dict[str, Any]:
    async def each(tool: str) -> float:
        start = time.perf_counter()
        for shop in shops:
            await platform.gateway.call(tool, {"location_id": shop}, principal=MANAGER)
        return time.perf_counter() - start

    await each("suggest_restock")  # warm: the first draft is written, later ones update it in place
    suggest, read = min([await each("suggest_restock") for _ in range(3)]), min([await each("get_stock")
                                                                                for _ in range(3)])
    print(f"suggest restock for {len(shops)} shops: {suggest:.3f} s (reading their stock: {read * 1000:.1f} ms, "
          f"{suggest / read:.0f}x)", flush=True)
    return {"shops": len(shops), "seconds": round(suggest, 3), "get_stock_seconds": round(read, 4),
            "ratio": round(suggest / read, 1)}


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        platform = build_platform(Settings(data_dir=Path(tmp), kitchen=False, chain=False))
        async with running(platform) as live, live.db.reader() as session:
            shops = list((await session.scalars(select(Location).order_by(Location.id))).all())
            items = [i.id for i in (await session.scalars(select(MenuItem).order_by(MenuItem.id))).all()]
            ingredients = [i.id for i in (await session.scalars(select(Ingredient).order_by(Ingredient.id))).all()]
            everything = await series(session, shops, items, ingredients)
            start = time.perf_counter()
            only_ingredients = await series(session, shops, [], ingredients)
            read = time.perf_counter() - start
            forecast([1.0] * HISTORY, 7)  # the library's first load is not the forecast's time
            suggested = await restock(live, [s.id for s in shops])
    result = {"backtest": backtest(everything), "timing": {**timing(only_ingredients), "read_seconds": round(read, 3)},
              "restock": suggested}
    print(f"reading the history of those series: {read:.3f} s", flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"forecast-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    asyncio.run(main())
