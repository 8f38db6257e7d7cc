"""Annual reports (年报) and inspection conclusions (年检) of one organization."""

from __future__ import annotations

from fastapi import APIRouter

from services.registry.api.acts import ActRoute, add_acts
from services.registry.api.decision_schemas import AnnualReportCreate, InspectionCreate
from services.registry.api.json_body import StrictJsonRoute
from services.registry.app import commands as c

router = APIRouter(
    prefix="/v1/organizations/{organization_id}",
    tags=["annual reports"],
    route_class=StrictJsonRoute,
)
add_acts(
    router,
    (
        ActRoute(
            "/annual-reports",
            AnnualReportCreate,
            c.SubmitAnnualReport,
            "submit_annual_report",
            "年报: file the report on a year that has ended (once per year).",
        ),
        ActRoute(
            "/inspections",
            InspectionCreate,
            c.ConcludeInspection,
            "conclude_inspection",
            "年检结论: 合格, 基本合格 or 不合格 on a year's filed report.",
        ),
    ),
)
