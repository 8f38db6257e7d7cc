"""Forecast of a monthly series at a deadline: time-weighted linear regression with a range.

The method follows UN ESCAP's Anticipated Progress Index in spirit: fit a straight line to the
monthly history by weighted least squares, giving month i of n the weight i (the latest
months count most, a plan's early months least), and read the line at the deadline. The
range is an approximate 95% prediction interval: the weighted residual spread, widened by how
far the deadline lies from the weighted centre of the history.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_POINTS = 6  # fewer monthly values than this: "insufficient history", no forecast
Z95 = 1.96


@dataclass(frozen=True)
class Forecast:
    value: float
    low: float
    high: float
    slope_per_month: float
    points: int


def forecast(values: Sequence[float], at: float) -> Forecast | None:
    """The line through `values` (month 0, 1, …) read at month `at`; None under MIN_POINTS."""
    n = len(values)
    if n < MIN_POINTS:
        return None
    weights = [float(i + 1) for i in range(n)]
    total = sum(weights)
    x_mean = sum(w * x for w, x in zip(weights, range(n), strict=True)) / total
    y_mean = sum(w * y for w, y in zip(weights, values, strict=True)) / total
    sxx = sum(w * (x - x_mean) ** 2 for w, x in zip(weights, range(n), strict=True))
    sxy = sum(
        w * (x - x_mean) * (y - y_mean) for w, x, y in zip(weights, range(n), values, strict=True)
    )
    slope = sxy / sxx
    intercept = y_mean - slope * x_mean
    residual = sum(
        w * (y - (intercept + slope * x)) ** 2
        for w, x, y in zip(weights, range(n), values, strict=True)
    )
    # Weighted residual variance per observation, with the two fitted parameters' dof taken.
    s2 = residual / total * n / (n - 2)
    mean_weight = total / n
    se_line2 = s2 * (1 / n + (at - x_mean) ** 2 / (sxx / mean_weight))
    spread = Z95 * math.sqrt(s2 + se_line2)
    point = intercept + slope * at
    return Forecast(point, point - spread, point + spread, slope, n)
