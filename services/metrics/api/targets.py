"""Target sets and their targets' progress on a date; the CSV export of a set's progress."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from services.metrics.api.deps import (
    READ_ERRORS,
    AsOf,
    MetricsDep,
    PlaceQuery,
    Reader,
    readable_place,
    target_set,
    today,
)
from services.metrics.api.schemas import (
    ForecastRead,
    SeriesPoint,
    TargetProgress,
    TargetSetProgress,
    TargetSetSummary,
)
from services.metrics.app.queries import Point
from services.metrics.bootstrap import Metrics
from services.metrics.domain.targets import Progress, TargetSet

router = APIRouter(prefix="/v1/target-sets", tags=["targets"])
SetId = Annotated[str, Path(examples=["wuhan-three-year"])]
TargetId = Annotated[str, Path(examples=["community-orgs"])]
CSV_BOM = "\ufeff"


def _summary(s: TargetSet) -> TargetSetSummary:
    return TargetSetSummary(
        id=s.id, title=s.title, plan=s.plan, place=s.place, start=s.start, targets=len(s.targets)
    )


def _read(
    p: Progress, place: str, history: list[Point] | None, pending: float | None
) -> TargetProgress:
    t, fc = p.target, p.forecast
    return TargetProgress(
        id=t.id,
        clause=t.clause,
        wording=t.wording,
        indicator=t.indicator,
        place=place,
        comparison=t.comparison,
        threshold=t.threshold,
        unit=t.unit,
        deadline=t.deadline,
        aim=t.aim,
        check=t.check,
        as_of=p.as_of,
        value=p.value,
        gap=p.gap,
        status=p.status,
        forecast=None
        if fc is None
        else ForecastRead(
            value=fc.value,
            low=fc.low,
            high=fc.high,
            slope_per_month=fc.slope_per_month,
            points=fc.points,
        ),
        pending=pending,
        history=None
        if history is None
        else [SeriesPoint(date=h.day, value=h.value) for h in history],
    )


async def _set_progress(
    metrics: Metrics, s: TargetSet, as_of: date, place: str, *, history: bool
) -> TargetSetProgress:
    wheres = [(t, place if place != s.place else (t.place or s.place)) for t in s.targets]
    found = await metrics.queries.progress_of(s, wheres, as_of)
    pending = await metrics.queries.pending(wheres, as_of)
    rows = [
        _read(p, where, points if history else None, n)
        for (p, points), (_, where), n in zip(found, wheres, pending, strict=True)
    ]
    return TargetSetProgress(**_summary(s).model_dump(), as_of=as_of, progress=rows)


@router.get("", responses=READ_ERRORS)
async def list_target_sets(_: Reader, metrics: MetricsDep) -> list[TargetSetSummary]:
    """Every plan's target set (services/metrics/data/targets/*.toml)."""
    return [_summary(s) for s in metrics.queries.target_sets.values()]


@router.get("/{set_id}", responses=READ_ERRORS)
async def get_target_set(
    client: Reader,
    metrics: MetricsDep,
    set_id: SetId,
    as_of: AsOf = None,
    place: PlaceQuery = None,
    history: Annotated[bool, Query(description="include each target's monthly history")] = False,
) -> TargetSetProgress:
    """Each target of the set on `as_of`: value, gap, status and forecast at its deadline.
    `place` reads the set's targets for an area inside the set's (a district of the city)."""
    s = target_set(metrics, set_id)
    where = readable_place(client, place, s.place)
    return await _set_progress(metrics, s, as_of or today(), where, history=history)


@router.get("/{set_id}/targets/{target_id}", responses=READ_ERRORS)
async def get_target(
    client: Reader,
    metrics: MetricsDep,
    set_id: SetId,
    target_id: TargetId,
    as_of: AsOf = None,
    place: PlaceQuery = None,
) -> TargetProgress:
    """One target on `as_of`, with its monthly history from the plan's start."""
    from shared.http.problems import Problem

    s = target_set(metrics, set_id)
    t = s.target(target_id)
    if t is None:
        raise Problem(404, "unknown-target", f"target set {set_id} has no target {target_id!r}")
    where = readable_place(client, place, t.place or s.place)
    day = as_of or today()
    p, points = await metrics.queries.progress(s, t, day, where)
    (pending,) = await metrics.queries.pending([(t, where)], day)
    return _read(p, where, points, pending)


@router.get(
    "/{set_id}/export.csv",
    responses={
        **READ_ERRORS,
        200: {
            "description": "one target a row; UTF-8 with a byte-order mark, so that a "
            "spreadsheet opens the Chinese right",
            "content": {"text/csv": {"example": "\ufeffid,clause,wording,…\r\n"}},
        },
    },
    response_class=Response,
)
async def export_target_set(
    client: Reader,
    metrics: MetricsDep,
    set_id: SetId,
    as_of: AsOf = None,
    place: PlaceQuery = None,
) -> Response:
    """The set's progress on `as_of` as CSV."""
    s = target_set(metrics, set_id)
    where = readable_place(client, place, s.place)
    day = as_of or today()
    found = await _set_progress(metrics, s, day, where, history=False)
    out = io.StringIO()
    out.write(CSV_BOM)
    w = csv.writer(out)
    w.writerow(
        [
            "id",
            "clause",
            "wording",
            "indicator",
            "place",
            "comparison",
            "threshold",
            "unit",
            "deadline",
            "aim",
            "as_of",
            "value",
            "gap",
            "status",
            "forecast",
            "forecast_low",
            "forecast_high",
            "pending",
        ]
    )
    for r in found.progress:
        fc = r.forecast
        w.writerow(
            [
                r.id,
                r.clause,
                r.wording,
                r.indicator,
                r.place,
                r.comparison,
                r.threshold,
                r.unit,
                r.deadline,
                "力争" if r.aim else "",
                r.as_of,
                _num(r.value),
                _num(r.gap),
                r.status,
                _num(fc.value if fc else None),
                _num(fc.low if fc else None),
                _num(fc.high if fc else None),
                _num(r.pending),
            ]
        )
    filename = f"{set_id}-{day.isoformat()}.csv"
    return Response(
        out.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")
