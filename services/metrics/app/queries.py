"""What the API asks of the metrics: indicator values, monthly series, targets' progress."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine

from services.metrics.adapters.counting import Counter
from services.metrics.adapters.reported import ReportedValues
from services.metrics.domain import indicators
from services.metrics.domain.calendar import month_ends
from services.metrics.domain.targets import Progress, Target, TargetSet, progress


@dataclass(frozen=True)
class Point:
    day: date
    value: float | None


class MetricsQueries:
    def __init__(
        self,
        engine: AsyncEngine,
        counter: Counter,
        reported: ReportedValues,
        target_sets: Mapping[str, TargetSet],
    ) -> None:
        self.engine = engine
        self.counter = counter
        self.reported = reported
        self.target_sets = target_sets

    async def value(self, name: str, place: str, day: date) -> float | None:
        """Raises indicators.UnknownIndicator for a name outside the grammar."""
        ind = indicators.parse(name)
        if ind.measure == "reported":
            return await self.reported.value(name, place, day)
        async with self.engine.connect() as conn:
            return await self.counter.value(conn, ind, place, day)

    async def series(self, name: str, place: str, start: date, end: date) -> list[Point]:
        """The value at each month's end from `start` to `end`, the last on `end` itself."""
        return [Point(d, await self.value(name, place, d)) for d in month_ends(start, end)]

    async def progress(
        self, target_set: TargetSet, target: Target, as_of: date, place: str | None = None
    ) -> tuple[Progress, list[Point]]:
        where = place or target.place or target_set.place
        history = await self.series(target.indicator, where, target_set.start, as_of)
        values = [p.value for p in history]
        known = [v for v in values if v is not None]
        # The months before the first known value (nothing reported yet, no denominator) are
        # left out of the fit, not counted as zeros.
        return progress(target, as_of, values[-1] if values else None, known), history
