"""The history of one organization: every event of its stream, oldest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from services.registry.api.common import READ_ERRORS
from services.registry.api.decision_schemas import HistoryRead
from services.registry.api.deps import Queries, Reader
from services.registry.api.views import history_read
from services.registry.app.types import OrganizationId

router = APIRouter(prefix="/v1/organizations/{organization_id}", tags=["history"])


@router.get("/history", responses=READ_ERRORS)
async def history(
    organization_id: Annotated[OrganizationId, Path(description="the organization's id")],
    _: Reader,
    queries: Queries,
) -> HistoryRead:
    """Every event of the organization, with who caused it and when."""
    return history_read(organization_id, await queries.history(organization_id))
