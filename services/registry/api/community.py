"""The community-organizations resource: 社区社会组织备案 with a street/township."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from services.registry.api.common import WRITE_ERRORS, Write
from services.registry.api.decision_schemas import FilingCancellationCreate
from services.registry.api.deps import IfMatch
from services.registry.api.json_body import StrictJsonRoute
from services.registry.api.schemas import CommunityOrganizationCreate, OrganizationRead
from services.registry.app.commands import CancelFiling, FileCommunityOrganization
from services.registry.app.types import OrganizationId

router = APIRouter(
    prefix="/v1/community-organizations",
    tags=["community organizations"],
    route_class=StrictJsonRoute,
)


@router.post("", status_code=201, responses=WRITE_ERRORS)
async def file(body: CommunityOrganizationCreate, act: Write) -> OrganizationRead:
    """社区社会组织备案: file a community organization in a known community."""
    command = FileCommunityOrganization(**body.model_dump())
    return await act(command, location="/v1/organizations")


@router.post("/{organization_id}/filing-cancellation", status_code=201, responses=WRITE_ERRORS)
async def cancel_filing(
    organization_id: Annotated[OrganizationId, Path(description="the organization's id")],
    body: FilingCancellationCreate,
    version: IfMatch,
    act: Write,
) -> OrganizationRead:
    """注销备案 / 撤销备案: end a community organization's filing (it was never registered)."""
    return await act(
        CancelFiling(organization_id=organization_id, expected_version=version, **body.model_dump())
    )
