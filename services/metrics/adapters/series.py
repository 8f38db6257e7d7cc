"""Indicator values on many dates at once: one grouped query per kind of count, not per date.

The dates d₀ < d₁ < … < dₖ₋₁ cut time into buckets; a date column x falls in bucket
b(x) = #{i : dᵢ < x} (NULL: k). A row with [valid_from, valid_to) is in force on dᵢ exactly
when b(valid_from) ≤ i < b(valid_to). So one GROUP BY over the area's rows — by the
attributes an indicator filters on and the buckets of the row's dates — holds every count of
every date, and each indicator's values are summed from those groups in Python with the same
filters `counting._where` puts in SQL. Grades are joined to spans (in force on dᵢ when both
are); people employed take, per organization, the report in effect on dᵢ: the latest year
submitted by then, which holds from its submission to the first submission of a later year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Table, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.metrics.adapters.counting import LIVE
from services.metrics.adapters.tables import grades, reports, spans
from services.metrics.domain.indicators import THREE_A_UP, Indicator
from services.metrics.domain.places import PlaceCounts
from shared.places import area_prefix

ATTRS = ("kind", "category", "level", "status", "urban")
SPAN_MEASURES = ("count", "share", "per_community")
GRADE_MEASURES = ("grade3a_share", "grade")
UNIT_MEASURES = ("units", "coverage")


@dataclass(frozen=True)
class Group:
    """Rows of the same attributes in force on the dates with index in [start, stop)."""

    attrs: Mapping[str, Any]
    start: int
    stop: int
    n: float  # rows, or people employed
    unit: str = ""  # the street or county, for units and coverage
    grade: str = ""


def _bucket(col: Any, days: Sequence[date]) -> Any:
    """b(col): most dates of a register lie before the first date or are NULL (open), so
    those two are tested first."""
    k = len(days)
    whens = [(col.is_(None), k)] + [(col <= d, i) for i, d in enumerate(days)]
    return case(*whens, else_=k)


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


def _sum(groups: Iterable[Group], k: int, keep: Callable[[Group], bool]) -> list[float]:
    out = [0.0] * k
    for g in groups:
        if keep(g):
            for i in range(g.start, min(g.stop, k)):
                out[i] += g.n
    return out


class SeriesCounter:
    """Values of indicators for one area on sorted dates, over the live tables (or others)."""

    def __init__(self, places: PlaceCounts, tables: Mapping[str, Table] = LIVE) -> None:
        self.places = places
        self.s, self.g, self.r = (tables[t.name] for t in (spans, grades, reports))

    def _area(self, area: str, days: Sequence[date]) -> list[ColumnElement[bool]]:
        s = self.s
        out = [s.c.valid_from <= days[-1], or_(s.c.valid_to.is_(None), s.c.valid_to > days[0])]
        prefix = area_prefix(area)
        if prefix:
            out.append(s.c.place.startswith(prefix, autoescape=True))
        return out

    async def values(
        self, conn: AsyncConnection, inds: Sequence[Indicator], area: str, days: Sequence[date]
    ) -> dict[str, list[float | None]]:
        """Each indicator's value on each of `days` (sorted, distinct)."""
        measures = {i.measure for i in inds}
        k = len(days)
        span_groups = grade_groups = unit_groups = employed_groups = None
        if measures & {*SPAN_MEASURES, "grade3a_share"}:
            span_groups = await self._spans(conn, area, days)
        if measures & set(GRADE_MEASURES):
            wanted = {g for i in inds for g in (i.grades or THREE_A_UP)}
            grade_groups = await self._grades(conn, area, days, sorted(wanted))
        out: dict[str, list[float | None]] = {}
        for ind in inds:
            m = ind.measure
            if m in UNIT_MEASURES:
                if unit_groups is None:
                    unit_groups = await self._units(conn, inds, area, days)
                out[ind.name] = self._unit_values(ind, area, unit_groups, k)
            elif m == "employed":
                if employed_groups is None:
                    employed_groups = await self._employed(conn, area, days)
                out[ind.name] = list[float | None](_sum(employed_groups, k, _of(ind)))
            else:
                out[ind.name] = self._count_values(ind, area, span_groups, grade_groups, k)
        return out

    def _count_values(
        self,
        ind: Indicator,
        area: str,
        span_groups: list[Group] | None,
        grade_groups: list[Group] | None,
        k: int,
    ) -> list[float | None]:
        def count(categories: bool = True) -> list[float]:
            assert span_groups is not None
            return _sum(span_groups, k, lambda g: _matches(ind, g.attrs, categories=categories))

        def graded(wanted: tuple[str, ...]) -> list[float]:
            assert grade_groups is not None
            return _sum(grade_groups, k, lambda g: g.grade in wanted and _matches(ind, g.attrs))

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
        raise ValueError(f"{ind.name} is not counted from spans")

    def _unit_values(
        self, ind: Indicator, area: str, groups: list[Group], k: int
    ) -> list[float | None]:
        level = ind.unit_level or "street"
        units = set(self.places.units(area, level))
        width = 9 if level == "street" else 6
        found: list[set[str]] = [set() for _ in range(k)]
        for g in groups:
            if len(g.unit) == width and g.unit in units and _matches(ind, g.attrs):
                for i in range(g.start, min(g.stop, k)):
                    found[i].add(g.unit)
        if ind.measure == "units":
            return [float(len(f)) for f in found]
        return [None if not units else 100 * len(f) / len(units) for f in found]

    # ---- the grouped queries ---------------------------------------------------------------

    async def _spans(self, conn: AsyncConnection, area: str, days: Sequence[date]) -> list[Group]:
        s = self.s
        cols = [s.c[a] for a in ATTRS]
        start, stop = _bucket(s.c.valid_from, days), _bucket(s.c.valid_to, days)
        q = (
            select(*cols, start.label("b0"), stop.label("b1"), func.count().label("n"))
            .where(*self._area(area, days))
            .group_by(*cols, start, stop)
        )
        return [
            Group({a: row[a] for a in ATTRS}, row.b0, row.b1, row.n)
            for row in (await conn.execute(q)).mappings()
        ]

    async def _grades(
        self, conn: AsyncConnection, area: str, days: Sequence[date], wanted: list[str]
    ) -> list[Group]:
        s, g = self.s, self.g
        cols = [s.c[a] for a in ATTRS]
        buckets = [
            _bucket(s.c.valid_from, days),
            _bucket(s.c.valid_to, days),
            _bucket(g.c.valid_from, days),
            _bucket(g.c.valid_to, days),
        ]
        q = (
            select(*cols, g.c.grade, *(b.label(f"b{i}") for i, b in enumerate(buckets)))
            .add_columns(func.count().label("n"))
            .select_from(s.join(g, g.c.organization_id == s.c.organization_id))
            .where(*self._area(area, days), g.c.grade.in_(wanted))
            .where(g.c.valid_from <= days[-1], or_(g.c.valid_to.is_(None), g.c.valid_to > days[0]))
            .group_by(*cols, g.c.grade, *buckets)
        )
        return [
            Group(
                {a: row[a] for a in ATTRS},
                max(row.b0, row.b2),
                min(row.b1, row.b3),
                row.n,
                grade=row.grade,
            )
            for row in (await conn.execute(q)).mappings()
        ]

    async def _units(
        self, conn: AsyncConnection, inds: Sequence[Indicator], area: str, days: Sequence[date]
    ) -> list[Group]:
        """Groups by street (9 digits) and county (6) of the categories the indicators name."""
        s = self.s
        units = [i for i in inds if i.measure in UNIT_MEASURES]
        cats = sorted({c for i in units for c in i.categories})
        widths = sorted({9 if i.unit_level == "street" else 6 for i in units})
        cols = [s.c[a] for a in ATTRS]
        start, stop = _bucket(s.c.valid_from, days), _bucket(s.c.valid_to, days)
        out: list[Group] = []
        for width in widths:
            unit = func.substr(s.c.place, 1, width)
            q = (
                select(unit.label("unit"), *cols, start.label("b0"), stop.label("b1"))
                .add_columns(literal(1).label("n"))
                .where(*self._area(area, days), s.c.category.in_(cats))
                .group_by(unit, *cols, start, stop)
            )
            out += [
                Group({a: row[a] for a in ATTRS}, row.b0, row.b1, 1, unit=row.unit)
                for row in (await conn.execute(q)).mappings()
            ]
        return out

    async def _employed(
        self, conn: AsyncConnection, area: str, days: Sequence[date]
    ) -> list[Group]:
        s, r = self.s, self.r
        # Each report holds from its submission to the first submission of a later year.
        later = (
            func.min(r.c.submitted_on)
            .over(
                partition_by=r.c.organization_id,
                order_by=r.c.year.desc(),
                rows=(None, -1),
            )
            .label("until")
        )
        held = (
            select(r.c.organization_id, r.c.submitted_on, r.c.staff_employed, later)
            .where(r.c.submitted_on <= days[-1])
            .subquery()
        )
        cols = [s.c[a] for a in ATTRS]
        buckets = [
            _bucket(s.c.valid_from, days),
            _bucket(s.c.valid_to, days),
            _bucket(held.c.submitted_on, days),
            _bucket(held.c.until, days),
        ]
        q = (
            select(*cols, *(b.label(f"b{i}") for i, b in enumerate(buckets)))
            .add_columns(func.coalesce(func.sum(held.c.staff_employed), 0).label("n"))
            .select_from(s.join(held, held.c.organization_id == s.c.organization_id))
            .where(*self._area(area, days), held.c.staff_employed.is_not(None))
            .where(or_(held.c.until.is_(None), held.c.until > days[0]))
            .group_by(*cols, *buckets)
        )
        return [
            Group({a: row[a] for a in ATTRS}, max(row.b0, row.b2), min(row.b1, row.b3), row.n)
            for row in (await conn.execute(q)).mappings()
        ]
