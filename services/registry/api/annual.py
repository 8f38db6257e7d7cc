"""Annual reports (年报) and inspection conclusions (年检) of one organization."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from services.registry.api.common import IF_MATCH, WRITE_ERRORS, Write
from services.registry.api.decision_schemas import AnnualReportCreate, InspectionCreate
from services.registry.api.deps import IfMatch
from services.registry.api.json_body import StrictJsonRoute
from services.registry.api.schemas import OrganizationRead
from services.registry.app import commands as c
from services.registry.app.types import OrganizationId

router = APIRouter(
    prefix="/v1/organizations/{organization_id}",
    tags=["annual reports"],
    route_class=StrictJsonRoute,
)
Id = Annotated[OrganizationId, Path(description="the organization's id")]


@router.post("/annual-reports", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH)
async def submit_annual_report(
    organization_id: Id,
    body: AnnualReportCreate,
    version: IfMatch,
    act: Write,
) -> OrganizationRead:
    """年报: file the report on a year that has ended (once per year)."""
    return await act(
        c.SubmitAnnualReport(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )


@router.post("/inspections", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH)
async def conclude_inspection(
    organization_id: Id,
    body: InspectionCreate,
    version: IfMatch,
    act: Write,
) -> OrganizationRead:
    """年检结论: 合格, 基本合格 or 不合格 on a year's filed report."""
    return await act(
        c.ConcludeInspection(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )
