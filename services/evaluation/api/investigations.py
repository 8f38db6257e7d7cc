"""立案调查 on an organization, recorded by the bureau (the registry does not hold them)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.evaluation.api.deps import EvaluationDep, Manager, Reader, metadata
from services.evaluation.api.errors import BAD_REQUEST, problem
from services.evaluation.api.investigation_schemas import (
    InvestigationClosure,
    InvestigationCreate,
    InvestigationPage,
    InvestigationRead,
)
from services.evaluation.app.commands import CloseInvestigation, OpenInvestigation

router = APIRouter(
    prefix="/v1/organizations/{organization_id}/investigations", tags=["investigations"]
)
NOT_FOUND = problem("no organization of that id on the register")
FORBIDDEN = problem("the key lacks the scope, or the organization lies outside its area")
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: problem("a conflicting investigation, or a concurrent write (retry)"),
    422: problem("an invalid body, or a date after today (date-in-future)"),
}


@router.post("", status_code=201, responses=BAD_REQUEST | WRITE_ERRORS)
async def open_investigation(
    organization_id: str, body: InvestigationCreate, evaluation: EvaluationDep, client: Manager
) -> InvestigationRead:
    """立案调查 opened on the organization: an investigation_opened event on EVALUATION."""
    command = OpenInvestigation(organization_id, body.reference, body.opened_on)
    case = await evaluation.handlers.handle(
        command, metadata=metadata(client), covers=client.covers
    )
    return InvestigationRead.of(organization_id, case)


@router.post("/{investigation_id}/closure", responses=BAD_REQUEST | WRITE_ERRORS)
async def close_investigation(
    organization_id: str,
    investigation_id: str,
    body: InvestigationClosure,
    evaluation: EvaluationDep,
    client: Manager,
) -> InvestigationRead:
    """The investigation ended: an investigation_closed event on EVALUATION."""
    command = CloseInvestigation(organization_id, investigation_id, body.closed_on)
    case = await evaluation.handlers.handle(
        command, metadata=metadata(client), covers=client.covers
    )
    return InvestigationRead.of(organization_id, case)


@router.get("", responses={403: FORBIDDEN, 404: NOT_FOUND})
async def list_investigations(
    organization_id: str, evaluation: EvaluationDep, client: Reader
) -> InvestigationPage:
    """The organization's investigations, open and closed, oldest first."""
    found = await evaluation.queries.investigations(organization_id, client.covers)
    return InvestigationPage(items=[InvestigationRead.of(organization_id, i) for i in found])
