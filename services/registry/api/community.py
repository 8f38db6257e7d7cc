"""The community-organizations resource: 社区社会组织备案 with a street/township."""

from __future__ import annotations

from fastapi import APIRouter

from services.registry.api.acts import ActRoute, add_acts
from services.registry.api.common import WRITE_ERRORS, Write
from services.registry.api.decision_schemas import FilingCancellationCreate
from services.registry.api.json_body import StrictJsonRoute
from services.registry.api.schemas import CommunityOrganizationCreate, OrganizationRead
from services.registry.app.commands import CancelFiling, FileCommunityOrganization

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


add_acts(
    router,
    (
        ActRoute(
            "/{organization_id}/filing-cancellation",
            FilingCancellationCreate,
            CancelFiling,
            "cancel_filing",
            "注销备案 / 撤销备案: end a community organization's filing (it was never registered).",
        ),
    ),
)
