"""Indicator values on many dates at once, summed from the pre-aggregated changes by day
(`metrics_deltas`, consumers/contributions.py): one grouped query per area for every count.

The dates d₀ < d₁ < … < dₖ₋₁ cut time into buckets; a change on day x counts on dᵢ exactly when
x ≤ dᵢ, i.e. when b(x) ≤ i, b(x) = #{i : dᵢ < x}. So one GROUP BY over the area's changes — by
the attributes an indicator filters on, the grade, and the bucket of the day — holds every
count of every date, and each indicator's values are summed from those groups in Python with
the filters of `_matches`. A value on one date is the same with one date.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.metrics.adapters.tables import daily, monthly, pipeline, spans
from services.metrics.consumers.contributions import city_area
from services.metrics.domain.calendar import month_end
from services.metrics.domain.indicators import THREE_A_UP, Indicator
from services.metrics.domain.places import PlaceCounts
from shared.db import among
from shared.places import area_prefix

LIVE: Mapping[str, Table] = {t.name: t for t in (monthly, daily, spans, pipeline)}
ONE_DAY = timedelta(days=1)
URBAN = {"": None, "u": True, "r": False}
CITY = 4  # the digits of a city's code
STAFF = "staff"  # the grade of a group of people employed
UNIT_MEASURES = ("units", "coverage")
PIPELINE_MEASURES = ("pending", "applications")


@dataclass(frozen=True)
class Group:
    """Rows of the same attributes in force on the dates with index in [start, stop)."""

    attrs: Mapping[str, Any]
    start: int
    stop: int
    n: float  # organizations, or people employed
    unit: str = ""  # the street or county, for units and coverage
    grade: str = ""


def _bucket(col: Any, days: Sequence[date]) -> Any:
    """b(col) = #{i : dᵢ < col}: most changes of a register lie before the first date, tested
    first."""
    return case(*[(col <= d, i) for i, d in enumerate(days)], else_=len(days))


def _matches(ind: Indicator, a: Mapping[str, Any], *, categories: bool = True) -> bool:
    """The filters of counting._where, on one group's attributes."""
    return (
        a["kind"] in ind.kinds
        and (not ind.levels or a["level"] in ind.levels)
        and (not categories or not ind.categories or a["category"] in ind.categories)
        and (not ind.statuses or a["status"] in ind.statuses)
        and (ind.urban is None or (a["urban"] is not None and bool(a["urban"]) == ind.urban))
    )


def _of(ind: Indicator) -> Callable[[Group], bool]:
    return lambda g: _matches(ind, g.attrs)


def _graded(ind: Indicator) -> Callable[[Group], bool]:
    return lambda g: g.grade in ind.grades and _matches(ind, g.attrs)


def _sum(groups: Iterable[Group], k: int, keep: Callable[[Group], bool]) -> list[float]:
    """Each date's sum of the kept groups counting on it: a group's n added where it starts
    and taken back where it stops, then summed along (whole numbers: exact)."""
    steps = [0.0] * (k + 1)
    for g in groups:
        stop = min(g.stop, k)
        if g.start < stop and keep(g):
            steps[g.start] += g.n
            steps[stop] -= g.n
    return list(accumulate(steps[:k]))


class SeriesCounter:
    """Values of indicators for one area on sorted dates, over the live table (or another)."""

    def __init__(self, places: PlaceCounts, tables: Mapping[str, Table] = LIVE) -> None:
        self.places = places
        self.m, self.dd = tables[monthly.name], tables[daily.name]
        # the rating pipeline's rows, and the spans that place them (the live ones by default)
        self.s, self.p = tables.get(spans.name, spans), tables.get(pipeline.name, pipeline)

    async def value(
        self, conn: AsyncConnection, ind: Indicator, area: str, day: date
    ) -> float | None:
        """The indicator for `area` on `day`; None where its denominator is nothing."""
        return (await self.values(conn, [ind], area, [day]))[ind.name][0]

    async def values(
        self, conn: AsyncConnection, inds: Sequence[Indicator], area: str, days: Sequence[date]
    ) -> dict[str, list[float | None]]:
        """Each indicator's value on each of `days` (sorted, distinct)."""
        k = len(days)
        counted = [i for i in inds if i.measure not in (*UNIT_MEASURES, *PIPELINE_MEASURES)]
        groups = await self._changes(conn, area, days) if counted else []
        piped = any(i.measure in PIPELINE_MEASURES for i in inds)
        pipe = await self._pipeline(conn, area, days) if piped else []
        units = [i for i in inds if i.measure in UNIT_MEASURES]
        unit_groups = await self._units(conn, units, area, days) if units else []
        out: dict[str, list[float | None]] = {}
        for ind in inds:
            if ind.measure in UNIT_MEASURES:
                out[ind.name] = self._unit_values(ind, area, unit_groups, k)
            elif ind.measure in PIPELINE_MEASURES:  # a group's grade: its row's `what`
                out[ind.name] = list[float | None](_sum(pipe, k, _graded(ind)))
            elif ind.measure == "employed":
                staff = [g for g in groups if g.grade == STAFF]
                out[ind.name] = list[float | None](_sum(staff, k, _of(ind)))
            else:
                out[ind.name] = self._count_values(ind, area, groups, k)
        return out

    def _count_values(
        self,
        ind: Indicator,
        area: str,
        groups: list[Group],
        k: int,
    ) -> list[float | None]:
        def count(categories: bool = True) -> list[float]:
            return _sum(
                groups,
                k,
                lambda g: g.grade == "" and _matches(ind, g.attrs, categories=categories),
            )

        def graded(wanted: tuple[str, ...]) -> list[float]:
            return _sum(groups, k, _graded(replace(ind, grades=wanted)))

        def ratio(part: list[float], whole: list[float]) -> list[float | None]:
            return [None if w == 0 else 100 * p / w for p, w in zip(part, whole, strict=True)]

        match ind.measure:
            case "count":
                return list[float | None](count())
            case "share":
                return ratio(count(), count(categories=False))
            case "per_community":
                communities = self.places.communities(area, urban=bool(ind.urban))
                return [None if communities == 0 else n / communities for n in count()]
            case "grade3a_share":
                return ratio(graded(THREE_A_UP), count())
            case "grade":
                return list[float | None](graded(ind.grades))
        raise ValueError(f"{ind.name} is not counted from events")

    def _unit_values(
        self, ind: Indicator, area: str, groups: list[Group], k: int
    ) -> list[float | None]:
        level = ind.unit_level or "street"
        units = set(self.places.units(area, level))
        width = 9 if level == "street" else 6
        by_unit: dict[str, list[Group]] = {}
        for g in groups:
            if len(g.unit) == width and g.unit in units and _matches(ind, g.attrs):
                by_unit.setdefault(g.unit, []).append(g)
        found = [0] * k
        for unit_groups in by_unit.values():
            for i, n in enumerate(_sum(unit_groups, k, lambda g: True)):
                found[i] += n > 0
        if ind.measure == "units":
            return [float(f) for f in found]
        return [None if not units else 100 * f / len(units) for f in found]

    async def _units(
        self, conn: AsyncConnection, inds: Sequence[Indicator], area: str, days: Sequence[date]
    ) -> list[Group]:
        """Changes by street (9 digits) and county (6) of the categories the indicators name."""
        cats = sorted({c for i in inds for c in i.categories})
        widths = sorted({9 if i.unit_level == "street" else 6 for i in inds})
        out = list[Group]()
        for width in widths:
            out += await self._changes(conn, area, days, cats=cats, width=width)
        return out

    async def _pipeline(
        self, conn: AsyncConnection, area: str, days: Sequence[date]
    ) -> list[Group]:
        """The rating pipeline's rows (consumers/pipeline.py) of the organizations placed in
        the area, each over its intersection with each span of its organization (a grade's
        rule), with the span's attributes and the row's `what` as grade. The pipeline's rows
        first (few), then their organizations' spans by key: no scan of the spans whatever
        the register's size."""
        p, s, last = self.p, self.s, days[-1]
        q = select(p.c.organization_id, p.c.what, p.c.valid_from, p.c.valid_to)
        rows: dict[str, list[Any]] = {}
        for r in await conn.execute(q.where(p.c.valid_from <= last)):
            rows.setdefault(r.organization_id, []).append(r)
        if not rows:
            return []
        placed = select(s).where(
            among(conn.dialect.name, s.c.organization_id, list(rows)),
            s.c.valid_from <= last,
            *_within(s.c.place, area_prefix(area)),
        )
        out = []
        for span in (await conn.execute(placed)).mappings():
            attrs = {c: span[c] for c in ("kind", "category", "level", "status", "urban")}
            for r in rows[span["organization_id"]]:
                start = max(span["valid_from"], r.valid_from)
                ends = [e for e in (span["valid_to"], r.valid_to) if e is not None]
                if ends and min(ends) <= start:
                    continue  # the row and the span do not meet
                stop = bisect_left(days, min(ends)) if ends else len(days)
                first = bisect_left(days, start)  # #{i : dᵢ < start}
                if first < stop:
                    out.append(Group(attrs, first, stop, 1, grade=r.what))
        return out

    # ---- the grouped queries ---------------------------------------------------------------

    async def _changes(
        self,
        conn: AsyncConnection,
        area: str,
        days: Sequence[date],
        *,
        cats: Sequence[str] | None = None,
        width: int | None = None,
    ) -> list[Group]:
        """The area's changes (of `cats` alone, by unit of `width` digits, if given) grouped by
        attributes, grade and the dates they count on, summed: a month's from the first date
        on or after its end, a day's on the dates after it in its month, before its end."""
        k = len(days)
        # the last whole month each date counts: its own on its last day, else the one before
        cuts = [
            d.replace(day=1) if d == month_end(d) else (d.replace(day=1) - ONE_DAY).replace(day=1)
            for d in days
        ]
        out = [
            Group(attrs, start, k, n, unit, grade)
            for attrs, start, n, unit, grade in await self._grouped(
                conn, self.m, self._months(area, cuts[-1], width), "month", cuts, cats, width
            )
        ]
        partial = [d for d in days if d != month_end(d)]
        if partial:
            t = self.dd
            spans = [and_(t.c.day >= d.replace(day=1), t.c.day <= d) for d in partial]
            where = [or_(*spans), *_within(t.c.place, area_prefix(area))]
            for attrs, day, n, unit, grade in await self._grouped(
                conn, t, where, "day", None, cats, width
            ):
                start = sum(d < day for d in days)
                stop = sum(d < month_end(day) for d in days)
                out.append(Group(attrs, start, stop, n, unit, grade))
        return out

    def _months(self, area: str, last: date, width: int | None) -> list[ColumnElement[bool]]:
        """The area's monthly rows up to `last`: a city's own, a province's cities' (the
        country's every city), a smaller area's places (a key range); by unit, the places'."""
        t = self.m
        out = [t.c.month <= last]
        prefix = area_prefix(area)
        if len(prefix) == CITY and width is None:
            return [*out, t.c.area == city_area(prefix)]
        if len(prefix) < CITY and width is None:
            return [*out, *_within(t.c.area, city_area(prefix))]
        return [*out, *(_within(t.c.area, prefix) if prefix else [t.c.area < city_area("")])]

    async def _grouped(
        self,
        conn: AsyncConnection,
        t: Table,
        where: list[ColumnElement[bool]],
        when: str,
        cuts: Sequence[date] | None,
        cats: Sequence[str] | None,
        width: int | None,
    ) -> list[tuple[dict[str, Any], Any, int, str, str]]:
        """(attributes, bucket of the cuts or the date, organizations or people, unit, grade)
        of the rows of `t` summed; people with the grade STAFF; of `cats` alone, if given,
        and then without grades."""
        at = t.c[when] if cuts is None else _bucket(t.c[when], cuts)
        place = t.c["place" if "place" in t.c else "area"]
        units = [] if width is None else [func.substr(place, 1, width).label("unit")]
        if cats is not None and "category" in t.c:
            where = [*where, t.c.category.in_(cats)]
        q = (
            select(*units, t.c.attrs, at.label("at"), func.sum(t.c.n).label("n"))
            .add_columns(func.sum(t.c.staff).label("staff"))
            .where(*where)
            .group_by(*units, t.c.attrs, at)
        )
        out = []
        for row in (await conn.execute(q)).mappings():
            kind, category, level, status, urban, grade = row["attrs"].split("|")
            if cats is not None and (category not in cats or grade):
                continue
            attrs = {
                "kind": kind,
                "category": category or None,
                "level": level or None,
                "status": status,
                "urban": URBAN[urban],
            }
            unit = "" if width is None else row["unit"]
            out.append((attrs, row["at"], int(row["n"]), unit, grade))
            if row["staff"]:  # a sum of bigint is a numeric on PostgreSQL
                out.append((attrs, row["at"], int(row["staff"]), unit, STAFF))
        return out


def _within(col: Any, prefix: str) -> list[ColumnElement[bool]]:
    """Codes starting with `prefix`, as a key range (an index serves it, whatever the
    collation: the codes are digits)."""
    if not prefix:
        return []
    return [col >= prefix, col < prefix[:-1] + chr(ord(prefix[-1]) + 1)]
