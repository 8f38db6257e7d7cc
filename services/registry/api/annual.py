"""Annual reports (年报) and inspection conclusions (年检) of one organization."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from services.registry.api.common import IF_MATCH, WRITE_ERRORS, state_after
from services.registry.api.decision_schemas import AnnualReportCreate, InspectionCreate
from services.registry.api.deps import Handlers, IfMatch, Writer, actor
from services.registry.api.json_body import StrictJsonRoute
from services.registry.api.schemas import OrganizationRead
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
    client: Writer,
    handlers: Handlers,
    response: Response,
) -> OrganizationRead:
    """年报: file the report on a year that has ended (once per year)."""
    submitted_on = handlers.day(body.submitted_on, "submitted_on")
    org = await handlers.act(
        actor(client),
        organization_id,
        lambda o: o.submit_annual_report(
            year=body.year,
            submitted_on=submitted_on,
            staff_employed=body.staff_employed,
            figures=body.figures,
        ),
        expected_version=version,
    )
    return state_after(org, handlers, response)


@router.post("/inspections", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH)
async def conclude_inspection(
    organization_id: Id,
    body: InspectionCreate,
    version: IfMatch,
    client: Writer,
    handlers: Handlers,
    response: Response,
) -> OrganizationRead:
    """年检结论: 合格, 基本合格 or 不合格 on a year's filed report."""
    concluded_on = handlers.day(body.concluded_on, "concluded_on")
    org = await handlers.act(
        actor(client),
        organization_id,
        lambda o: o.conclude_inspection(
            year=body.year, conclusion=body.conclusion, concluded_on=concluded_on
        ),
        expected_version=version,
    )
    return state_after(org, handlers, response)
