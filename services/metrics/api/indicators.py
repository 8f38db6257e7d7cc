"""Indicators by place and date, and their monthly series."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.metrics.api.deps import (
    READ_ERRORS,
    AsOf,
    MetricsDep,
    PlaceQuery,
    Reader,
    readable_place,
    today,
)
from services.metrics.api.schemas import IndicatorValue, Series, SeriesPoint
from services.metrics.domain import indicators
from shared.http.problems import Problem

router = APIRouter(prefix="/v1/indicators", tags=["indicators"])
Name = Annotated[
    str,
    Path(
        description="an indicator name (docs/metrics.md, Indicators)",
        examples=["per_community.urban"],
    ),
]
NATIONAL = "100000"


def _known(name: str) -> None:
    try:
        indicators.parse(name)
    except indicators.UnknownIndicator as e:
        raise Problem(404, "unknown-indicator", str(e)) from e


@router.get("", responses=READ_ERRORS)
async def list_indicators(
    client: Reader, metrics: MetricsDep, place: PlaceQuery = None, as_of: AsOf = None
) -> list[IndicatorValue]:
    """The standard indicators of a place on a date (counts, shares, densities, grades)."""
    where = readable_place(client, place, NATIONAL)
    day = as_of or today()
    return [
        IndicatorValue(
            indicator=n, place=where, as_of=day, value=await metrics.queries.value(n, where, day)
        )
        for n in indicators.STANDARD
    ]


@router.get("/{name}", responses=READ_ERRORS)
async def get_indicator(
    client: Reader, metrics: MetricsDep, name: Name, place: PlaceQuery = None, as_of: AsOf = None
) -> IndicatorValue:
    """One indicator of a place on a date."""
    _known(name)
    where = readable_place(client, place, NATIONAL)
    day = as_of or today()
    return IndicatorValue(
        indicator=name, place=where, as_of=day, value=await metrics.queries.value(name, where, day)
    )


@router.get("/{name}/series", responses={**READ_ERRORS, 400: READ_ERRORS[401]})
async def get_series(
    client: Reader,
    metrics: MetricsDep,
    name: Name,
    start: Annotated[date, Query(alias="from", examples=["2023-01-01"])],
    place: PlaceQuery = None,
    end: Annotated[date | None, Query(alias="to", examples=["2024-12-31"])] = None,
) -> Series:
    """The indicator at each month's end from `from` to `to` (the last point on `to`)."""
    _known(name)
    where = readable_place(client, place, NATIONAL)
    until = end or today()
    if start > until:
        raise Problem(400, "bad-period", f"from {start} is after to {until}")
    if (until.year - start.year) * 12 + until.month - start.month > 240:
        raise Problem(400, "bad-period", "a series spans at most 240 months")
    points = await metrics.queries.series(name, where, start, until)
    return Series(
        indicator=name, place=where, points=[SeriesPoint(date=p.day, value=p.value) for p in points]
    )
