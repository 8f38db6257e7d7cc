"""Reported indicators: values an authorised key reports, with their audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.metrics.adapters.reported import CorrectionMismatch, Report
from services.metrics.api.deps import PROBLEM, READ_ERRORS, MetricsDep, PlaceQuery, Reader, Reporter
from services.metrics.api.schemas import ReportIn, ReportRead
from shared.http.problems import Problem
from shared.places import area_prefix

router = APIRouter(prefix="/v1/reported", tags=["reported"])


@router.post(
    "",
    status_code=201,
    responses={**READ_ERRORS, 409: PROBLEM, 422: PROBLEM},
)
async def report_value(
    body: ReportIn, client: Reporter, metrics: MetricsDep, response: Response
) -> ReportRead:
    """Report a value (scope metrics:report, inside the key's area). A correction names the
    value it corrects (`corrects`): both stay in the trail, the correction in force."""
    if not client.covers(body.place):
        raise Problem(
            403,
            "place-outside-key",
            f"this key reports inside {client.place}; {body.place} lies outside it",
            key_place=client.place,
        )
    report = Report(**body.model_dump())
    try:
        row = await metrics.reported.add(report, client_id=client.id, client_name=client.name)
    except LookupError as e:
        raise Problem(404, "unknown-reported-value", str(e)) from e
    except CorrectionMismatch as e:
        raise Problem(409, "correction-mismatch", str(e)) from e
    response.headers["Location"] = f"/v1/reported/{row['id']}"
    return ReportRead(**row)


@router.get("", responses=READ_ERRORS)
async def audit_trail(
    client: Reader,
    metrics: MetricsDep,
    indicator: Annotated[str | None, Query(examples=["reported.brand_organizations"])] = None,
    place: PlaceQuery = None,
) -> list[ReportRead]:
    """Every value reported (corrections and what they correct), oldest first; a key bound
    to an area sees its area's."""
    where = place or client.place
    if where is not None and not client.covers(where):
        raise Problem(
            403,
            "place-outside-key",
            f"this key reads inside {client.place}",
            key_place=client.place,
        )
    rows = await metrics.reported.trail(indicator, None if where is None else area_prefix(where))
    return [ReportRead(**r) for r in rows]
