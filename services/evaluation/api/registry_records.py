"""The ratings to record on the registry: where each stands, and a parked one sent again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.evaluation.api.deps import EvaluationDep, Manager, Reader
from services.evaluation.api.errors import BAD_REQUEST, problem
from services.evaluation.api.registry_record_schemas import (
    RegistryRecordPage,
    RegistryRecordRead,
    State,
)

router = APIRouter(prefix="/v1/registry-records", tags=["registry records"])
FORBIDDEN = problem("the key lacks the scope, or the record's place lies outside its area")


@router.get("", responses={403: FORBIDDEN, 422: problem("an unknown state")})
async def list_registry_records(
    evaluation: EvaluationDep,
    client: Reader,
    state: Annotated[State | None, Query(description="only records in this state")] = None,
) -> RegistryRecordPage:
    """Ratings to record on the registry, oldest first: pending, sent, or parked with the
    registry's problem."""
    found = await evaluation.registry_records.list(state, client.covers)
    return RegistryRecordPage(items=[RegistryRecordRead(**r) for r in found])


@router.post(
    "/{evaluation_id}/retry",
    responses={
        **BAD_REQUEST,
        403: FORBIDDEN,
        404: problem("no record under that evaluation_id (registry-record-not-found)"),
        409: problem("the record is not parked (registry-record-not-parked)"),
    },
)
async def retry_registry_record(
    evaluation_id: str, evaluation: EvaluationDep, client: Manager
) -> RegistryRecordRead:
    """Send a parked rating again, now (after the cause of the registry's refusal is dealt
    with); it is pending until the registry answers."""
    found = await evaluation.registry_records.retry(evaluation_id, client.covers)
    return RegistryRecordRead(**found)
