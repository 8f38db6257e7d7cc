"""Eligibility to apply for a rating, on any past day or today, without applying."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.evaluation.api.deps import EvaluationDep, Reader
from services.evaluation.api.eligibility_schemas import EligibilityRead
from services.evaluation.api.errors import problem
from shared.http.dates import IsoDate

router = APIRouter(prefix="/v1/eligibility", tags=["eligibility"])


@router.get(
    "/{organization_id}",
    responses={
        403: problem("the key lacks evaluation:read, or the organization lies outside its area"),
        404: problem("no organization of that id on the register"),
        422: problem("`on` is not a date, or is after today (date-in-future)"),
    },
)
async def get_eligibility(
    organization_id: str,
    evaluation: EvaluationDep,
    client: Reader,
    on: Annotated[
        IsoDate | None,
        Query(description="the day judged, YYYY-MM-DD; default today (Asia/Shanghai)"),
    ] = None,
) -> EligibilityRead:
    """Whether the organization may apply for a rating on a day: every rule of the regime in
    force that day, with its facts."""
    found = await evaluation.queries.eligibility(organization_id, on, client.covers)
    return EligibilityRead.of(found)
