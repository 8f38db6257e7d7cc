"""Bureau decisions on one organization: charity status, 限期整改, 撤销, 吊销, 注销, rating."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from services.registry.api.common import IF_MATCH, WRITE_ERRORS, state_after
from services.registry.api.decision_schemas import (
    CharityRecognitionCreate,
    DeregistrationCreate,
    DisposalCreate,
    RatingUpdate,
    RevocationCreate,
)
from services.registry.api.deps import Handlers, IfMatch, Rater, Writer, actor
from services.registry.api.json_body import StrictJsonRoute
from services.registry.api.schemas import OrganizationRead
from services.registry.app.types import OrganizationId

router = APIRouter(
    prefix="/v1/organizations/{organization_id}", tags=["decisions"], route_class=StrictJsonRoute
)
Id = Annotated[OrganizationId, Path(description="the organization's id")]


@router.post(
    "/charity-recognition", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH
)
async def recognise_as_charity(
    organization_id: Id,
    body: CharityRecognitionCreate,
    version: IfMatch,
    client: Writer,
    handlers: Handlers,
    response: Response,
) -> OrganizationRead:
    """慈善组织认定: recognise a legal-person organization as a charity."""
    day = handlers.day(body.recognised_on, "recognised_on")
    org = await handlers.act(
        actor(client),
        organization_id,
        lambda o: o.recognise_as_charity(recognised_on=day),
        expected_version=version,
    )
    return state_after(org, handlers, response)


@router.post("/disposals", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH)
async def order_disposal(
    organization_id: Id,
    body: DisposalCreate,
    version: IfMatch,
    client: Writer,
    handlers: Handlers,
    response: Response,
) -> OrganizationRead:
    """限期整改: order the organization to rectify by a date."""
    day = handlers.day(body.ordered_on, "ordered_on")
    org = await handlers.act(
        actor(client),
        organization_id,
        lambda o: o.order_disposal(ordered_on=day, due_on=body.due_on, reason=body.reason),
        expected_version=version,
    )
    return state_after(org, handlers, response)


@router.post(
    "/registration-revocation", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH
)
async def revoke_registration(
    organization_id: Id,
    body: RevocationCreate,
    version: IfMatch,
    client: Writer,
    handlers: Handlers,
    response: Response,
) -> OrganizationRead:
    """撤销登记: revoke the registration (a sanction); the organization goes into liquidation."""
    day = handlers.day(body.revoked_on, "revoked_on")
    org = await handlers.act(
        actor(client),
        organization_id,
        lambda o: o.revoke_registration(revoked_on=day, reason=body.reason),
        expected_version=version,
    )
    return state_after(org, handlers, response)


@router.post(
    "/certificate-revocation", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH
)
async def revoke_certificate(
    organization_id: Id,
    body: RevocationCreate,
    version: IfMatch,
    client: Writer,
    handlers: Handlers,
    response: Response,
) -> OrganizationRead:
    """吊销登记证书: revoke a charity's certificate (慈善法); charities only."""
    day = handlers.day(body.revoked_on, "revoked_on")
    org = await handlers.act(
        actor(client),
        organization_id,
        lambda o: o.revoke_certificate(revoked_on=day, reason=body.reason),
        expected_version=version,
    )
    return state_after(org, handlers, response)


@router.post("/deregistration", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH)
async def deregister(
    organization_id: Id,
    body: DeregistrationCreate,
    version: IfMatch,
    client: Writer,
    handlers: Handlers,
    response: Response,
) -> OrganizationRead:
    """注销登记: end the organization, on its application or after a revocation."""
    day = handlers.day(body.deregistered_on, "deregistered_on")
    org = await handlers.act(
        actor(client),
        organization_id,
        lambda o: o.deregister(deregistered_on=day, reason=body.reason),
        expected_version=version,
    )
    return state_after(org, handlers, response)


@router.put("/rating", responses=WRITE_ERRORS, openapi_extra=IF_MATCH)
async def record_rating(
    organization_id: Id,
    body: RatingUpdate,
    version: IfMatch,
    client: Rater,
    handlers: Handlers,
    response: Response,
) -> OrganizationRead:
    """等级评估: record the grade decided by evaluation (or its cancellation)."""
    day = handlers.day(body.decided_on, "decided_on")
    org = await handlers.act(
        actor(client),
        organization_id,
        lambda o: o.change_rating(
            grade=body.grade,
            decided_on=day,
            valid_until=body.valid_until,
            evaluation_id=body.evaluation_id,
            reason=body.reason,
        ),
        expected_version=version,
    )
    return state_after(org, handlers, response)
