"""The community-organizations resource: 社区社会组织备案 with a street/township."""

from __future__ import annotations

from fastapi import APIRouter, Response

from services.registry.api.common import WRITE_ERRORS, state_after
from services.registry.api.deps import Handlers, Writer, actor
from services.registry.api.json_body import StrictJsonRoute
from services.registry.api.schemas import CommunityOrganizationCreate, OrganizationRead
from services.registry.app import commands

router = APIRouter(
    prefix="/v1/community-organizations",
    tags=["community organizations"],
    route_class=StrictJsonRoute,
)


@router.post("", status_code=201, responses=WRITE_ERRORS)
async def file(
    body: CommunityOrganizationCreate, client: Writer, handlers: Handlers, response: Response
) -> OrganizationRead:
    """社区社会组织备案: file a community organization in a known community."""
    command = commands.file(
        handlers.places,
        community=body.community,
        street=body.street,
        urban=body.urban,
        filing_number=body.filing_number,
        name=body.name,
        category=body.category,
        filed_on=handlers.day(body.filed_on, "filed_on"),
    )
    org = await handlers.create(actor(client), command)
    response.headers["Location"] = f"/v1/organizations/{org.organization_id}"
    return state_after(org, handlers, response)
