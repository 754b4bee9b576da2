"""Daily demand forecasts with statsforecast: AutoETS (weekly season, no trend: eight weeks are too few to trust
one) for steady series, Croston (optimized, with conformal intervals) for intermittent ones — slow pastries sold on
some days and not others. Imported on first use: the library takes two seconds to load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from statistics import NormalDist
from types import ModuleType

SEASON = 7
INTERMITTENT = 0.3
"""The share of days with no demand above which a series is forecast as intermittent."""
LEVEL = 80
Z = NormalDist().inv_cdf(0.5 + LEVEL / 200)
"""Standard deviations from the mean to either end of a LEVEL % two-sided interval (1.28 for 80 %)."""


@dataclass(frozen=True)
class Forecast:
    mean: list[float]
    low: list[float]
    high: list[float]
    model: str


@cache
def _models() -> ModuleType:
    from statsforecast import models
    return models


def forecast(history: list[float], days: int) -> Forecast:
    """The next `days` days' demand after `history` (one value a day), with an 80 % prediction interval."""
    import numpy as np
    from statsforecast.utils import ConformalIntervals

    y = np.asarray(history, dtype=float)
    models = _models()
    if not y.any():
        zeros = [0.0] * days
        return Forecast(zeros, zeros, zeros, "none (no demand in the history)")
    if (y == 0).mean() > INTERMITTENT or len(y) < 2 * SEASON:
        model = models.CrostonOptimized(prediction_intervals=ConformalIntervals(h=days, n_windows=2))
        name = "Croston (intermittent)"
    else:
        model, name = models.AutoETS(season_length=SEASON, model="ZNZ"), "AutoETS (weekly season)"
    out = model.forecast(y=y, h=days, level=[LEVEL])
    clip = [max(0.0, float(v)) for v in out["mean"]]
    return Forecast(clip, [max(0.0, float(v)) for v in out[f"lo-{LEVEL}"]],
                    [max(0.0, float(v)) for v in out[f"hi-{LEVEL}"]], name)
