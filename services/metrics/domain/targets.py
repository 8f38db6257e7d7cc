"""Targets of the plans and their progress on a date: gap, status and forecast (pure rules).

Status, in this order:
- `met`: the value on the date satisfies the comparison with the threshold;
- `off_track`: not met and the deadline has passed;
- `insufficient_history`: fewer monthly values than forecast.MIN_POINTS (no guess is made);
- `on_track`: the forecast at the deadline satisfies the comparison;
- `at_risk`: only the favourable end of the forecast's range satisfies it;
- `off_track`: not even that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from services.metrics.domain.forecast import Forecast, forecast

Comparison = Literal[">=", ">", "="]
Status = Literal["met", "on_track", "at_risk", "off_track", "insufficient_history"]
COMPARISONS: tuple[Comparison, ...] = (">=", ">", "=")


@dataclass(frozen=True)
class Target:
    id: str
    clause: str  # the plan's clause, e.g. "§一(一)1"
    wording: str  # the plan's words, in Chinese
    indicator: str
    comparison: Comparison
    threshold: float
    deadline: date
    aim: bool  # 力争: the plan strives for it rather than requires it
    unit: str = ""
    place: str | None = None  # the set's place unless the target names another
    check: bool = False  # a published figure to reproduce, not a goal (Ningbo's snapshot)


@dataclass(frozen=True)
class TargetSet:
    id: str
    title: str
    plan: str  # file name of the plan in the seeds
    place: str
    start: date  # first month of the plan: its monthly history starts here
    targets: tuple[Target, ...]

    def target(self, target_id: str) -> Target | None:
        return next((t for t in self.targets if t.id == target_id), None)


@dataclass(frozen=True)
class Progress:
    target: Target
    as_of: date
    value: float | None
    gap: float | None  # threshold − value: what is still to go (≤ 0 once reached)
    status: Status
    forecast: Forecast | None


def satisfies(value: float, comparison: Comparison, threshold: float) -> bool:
    if comparison == ">=":
        return value >= threshold - 1e-9
    if comparison == ">":
        return value > threshold
    return abs(value - threshold) <= 1e-9


def months_between(start: date, end: date) -> int:
    """Whole months from the month of `start` to the month of `end`."""
    return (end.year - start.year) * 12 + end.month - start.month


def progress(
    target: Target, as_of: date, value: float | None, history: Sequence[float]
) -> Progress:
    """`target` on `as_of`, from its value then and its monthly values up to then (oldest
    first, the last being the month of `as_of`)."""
    gap = None if value is None else target.threshold - value
    fc = forecast(history, len(history) - 1 + months_between(as_of, target.deadline))
    status: Status
    if value is not None and satisfies(value, target.comparison, target.threshold):
        status = "met"
    elif as_of > target.deadline:
        status = "off_track"
    elif fc is None or value is None:
        status = "insufficient_history"
    elif satisfies(fc.value, target.comparison, target.threshold):
        status = "on_track"
    elif satisfies(fc.high, target.comparison, target.threshold):
        status = "at_risk"
    else:
        status = "off_track"
    return Progress(target, as_of, value, gap, status, fc)
