"""What the API asks of the metrics: indicator values, monthly series, targets' progress.

Values, series and targets' histories are summed from the pre-aggregated changes
(adapters/series.py): per area, one grouped query over every date at once (a value on one
date is a series of one), and one query for the reported values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine

from services.metrics.adapters.reported import ReportedValues
from services.metrics.adapters.series import SeriesCounter
from services.metrics.domain import indicators
from services.metrics.domain.calendar import month_ends
from services.metrics.domain.places import PlaceCounts
from services.metrics.domain.targets import Progress, Target, TargetSet, progress


@dataclass(frozen=True)
class Point:
    day: date
    value: float | None


class MetricsQueries:
    def __init__(
        self,
        engine: AsyncEngine,
        places: PlaceCounts,
        reported: ReportedValues,
        target_sets: Mapping[str, TargetSet],
    ) -> None:
        self.engine = engine
        self.many = SeriesCounter(places)
        self.reported = reported
        self.target_sets = target_sets

    async def value(self, name: str, place: str, day: date) -> float | None:
        """Raises indicators.UnknownIndicator for a name outside the grammar."""
        ind = indicators.parse(name)
        if ind.measure == "reported":
            return await self.reported.value(name, place, day)
        async with self.engine.connect() as conn:
            return await self.many.value(conn, ind, place, day)

    async def series_of(
        self, names: Sequence[str], place: str, start: date, end: date
    ) -> dict[str, list[Point]]:
        """Each indicator's value at each month's end from `start` to `end`, the last on `end`
        itself. Raises indicators.UnknownIndicator for a name outside the grammar."""
        days = month_ends(start, end)
        parsed = [indicators.parse(n) for n in dict.fromkeys(names)]
        counted = [i for i in parsed if i.measure != "reported"]
        told = [i.name for i in parsed if i.measure == "reported"]
        found: dict[str, list[float | None]] = {}
        if counted:
            async with self.engine.connect() as conn:
                found |= await self.many.values(conn, counted, place, days)
        if told:
            found |= await self.reported.values(told, place, days)
        return {n: [Point(d, v) for d, v in zip(days, found[n], strict=True)] for n in found}

    async def series(self, name: str, place: str, start: date, end: date) -> list[Point]:
        """The value at each month's end from `start` to `end`, the last on `end` itself."""
        return (await self.series_of([name], place, start, end))[name]

    async def progress_of(
        self, target_set: TargetSet, targets: Sequence[tuple[Target, str]], as_of: date
    ) -> list[tuple[Progress, list[Point]]]:
        """Each (target, place)'s progress on `as_of` and its monthly history, the series of
        each place computed together."""
        by_place: dict[str, list[str]] = {}
        for t, where in targets:
            by_place.setdefault(where, []).append(t.indicator)
        series = {
            where: await self.series_of(names, where, target_set.start, as_of)
            for where, names in by_place.items()
        }
        out = []
        for t, where in targets:
            history = series[where][t.indicator]
            values = [p.value for p in history]
            known = [v for v in values if v is not None]
            # The months before the first known value (nothing reported yet, no denominator)
            # are left out of the fit, not counted as zeros.
            found = progress(t, as_of, values[-1] if values else None, known)
            out.append((found, history))
        return out

    async def pending(
        self, targets: Sequence[tuple[Target, str]], as_of: date
    ) -> list[float | None]:
        """Beside each (target, place) of a 3A+ share or count, the decisions of 3A or above not
        yet in force among the same organizations (indicators.pending_of); None for others."""
        out: list[float | None] = []
        for t, where in targets:
            name = indicators.pending_of(t.indicator)
            out.append(None if name is None else await self.value(name, where, as_of))
        return out

    async def progress(
        self, target_set: TargetSet, target: Target, as_of: date, place: str | None = None
    ) -> tuple[Progress, list[Point]]:
        where = place or target.place or target_set.place
        return (await self.progress_of(target_set, [(target, where)], as_of))[0]
