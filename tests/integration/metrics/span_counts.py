"""The reference the pre-aggregated counts are checked against: an indicator's value on a date
counted straight from the projection's dated rows (spans, grades, reports) in SQL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.metrics.adapters.tables import grades, reports, spans
from services.metrics.domain.indicators import THREE_A_UP, Indicator
from services.metrics.domain.places import PlaceCounts
from shared.places import area_prefix

LIVE: Mapping[str, Table] = {t.name: t for t in (spans, grades, reports)}


def _in_force(t: Table, day: date) -> ColumnElement[bool]:
    return and_(t.c.valid_from <= day, or_(t.c.valid_to.is_(None), t.c.valid_to > day))


def _where(
    s: Table, ind: Indicator, area: str, day: date, *, categories: bool = True
) -> list[ColumnElement[bool]]:
    out = [_in_force(s, day), s.c.kind.in_(ind.kinds)]
    prefix = area_prefix(area)
    if prefix:
        out.append(s.c.place.startswith(prefix, autoescape=True))
    if ind.levels:
        out.append(s.c.level.in_(ind.levels))
    if categories and ind.categories:
        out.append(s.c.category.in_(ind.categories))
    if ind.statuses:
        out.append(s.c.status.in_(ind.statuses))
    if ind.urban is not None:
        out.append(s.c.urban.is_(ind.urban))
    return out


class Counter:
    """Counts on one connection over the live tables (or others, by `tables`)."""

    def __init__(self, places: PlaceCounts, tables: Mapping[str, Table] = LIVE) -> None:
        self.places = places
        self.s, self.g, self.r = (tables[t.name] for t in (spans, grades, reports))

    async def _scalar(self, conn: AsyncConnection, q: Select[Any]) -> int:
        found = (await conn.execute(q)).scalar_one()
        return int(found or 0)

    async def count(
        self,
        conn: AsyncConnection,
        ind: Indicator,
        area: str,
        day: date,
        *,
        categories: bool = True,
    ) -> int:
        q = (
            select(func.count())
            .select_from(self.s)
            .where(*_where(self.s, ind, area, day, categories=categories))
        )
        return await self._scalar(conn, q)

    async def graded(
        self, conn: AsyncConnection, ind: Indicator, area: str, day: date, grades_: tuple[str, ...]
    ) -> int:
        s, g = self.s, self.g
        q = (
            select(func.count())
            .select_from(s.join(g, g.c.organization_id == s.c.organization_id))
            .where(*_where(s, ind, area, day), _in_force(g, day), g.c.grade.in_(grades_))
        )
        return await self._scalar(conn, q)

    async def units_with(
        self, conn: AsyncConnection, ind: Indicator, area: str, day: date
    ) -> set[str]:
        width = 9 if ind.unit_level == "street" else 6
        q = (
            select(func.substr(self.s.c.place, 1, width))
            .distinct()
            .where(*_where(self.s, ind, area, day))
        )
        found = {str(row[0]) for row in await conn.execute(q)}
        return found & set(self.places.units(area, ind.unit_level or "street"))

    async def employed(self, conn: AsyncConnection, ind: Indicator, area: str, day: date) -> int:
        s, r = self.s, self.r
        latest = (
            select(r.c.organization_id, func.max(r.c.year).label("year"))
            .where(r.c.submitted_on <= day)
            .group_by(r.c.organization_id)
            .subquery()
        )
        q = (
            select(func.coalesce(func.sum(r.c.staff_employed), 0))
            .select_from(
                s.join(latest, latest.c.organization_id == s.c.organization_id).join(
                    r,
                    and_(
                        r.c.organization_id == latest.c.organization_id,
                        r.c.year == latest.c.year,
                    ),
                )
            )
            .where(*_where(s, ind, area, day))
        )
        return await self._scalar(conn, q)

    async def value(
        self, conn: AsyncConnection, ind: Indicator, area: str, day: date
    ) -> float | None:
        """The indicator for `area` on `day`; None where its denominator is nothing."""
        match ind.measure:
            case "count":
                return float(await self.count(conn, ind, area, day))
            case "share":
                whole = await self.count(conn, ind, area, day, categories=False)
                part = await self.count(conn, ind, area, day)
                return None if whole == 0 else 100 * part / whole
            case "per_community":
                communities = self.places.communities(area, urban=bool(ind.urban))
                n = await self.count(conn, ind, area, day)
                return None if communities == 0 else n / communities
            case "units":
                return float(len(await self.units_with(conn, ind, area, day)))
            case "coverage":
                units = self.places.units(area, ind.unit_level or "street")
                found = await self.units_with(conn, ind, area, day)
                return None if not units else 100 * len(found) / len(units)
            case "grade3a_share":
                whole = await self.count(conn, ind, area, day)
                part = await self.graded(conn, ind, area, day, THREE_A_UP)
                return None if whole == 0 else 100 * part / whole
            case "grade":
                return float(await self.graded(conn, ind, area, day, ind.grades))
            case "employed":
                return float(await self.employed(conn, ind, area, day))
        raise ValueError(f"{ind.name} is not counted from events")  # pragma: no cover
