"""行政处罚 on one organization, their execution (执行完毕), and 整改完成 of a 限期整改."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from services.registry.api.common import WRITE_ERRORS, Write
from services.registry.api.deps import IfMatch
from services.registry.api.penalty_schemas import (
    PenaltyCreate,
    PenaltyExecutionCreate,
    RectificationCreate,
)
from services.registry.api.schemas import OrganizationRead
from services.registry.app import commands as c
from services.registry.app.types import OrganizationId

router = APIRouter(prefix="/v1/organizations/{organization_id}", tags=["penalties"])
Id = Annotated[OrganizationId, Path(description="the organization's id")]


@router.post("/penalties", status_code=201, responses=WRITE_ERRORS)
async def impose_penalty(
    organization_id: Id, body: PenaltyCreate, version: IfMatch, act: Write
) -> OrganizationRead:
    """行政处罚: a warning, a fine, a suspension of activities or a confiscation."""
    return await act(
        c.ImposePenalty(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )


@router.post("/penalty-executions", status_code=201, responses=WRITE_ERRORS)
async def record_penalty_carried_out(
    organization_id: Id, body: PenaltyExecutionCreate, version: IfMatch, act: Write
) -> OrganizationRead:
    """执行完毕: the penalty of a decision has been carried out."""
    return await act(
        c.RecordPenaltyCarriedOut(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )


@router.post("/rectifications", status_code=201, responses=WRITE_ERRORS)
async def complete_rectification(
    organization_id: Id, body: RectificationCreate, version: IfMatch, act: Write
) -> OrganizationRead:
    """整改完成: the 限期整改 ordered on a day is completed."""
    return await act(
        c.CompleteRectification(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )
