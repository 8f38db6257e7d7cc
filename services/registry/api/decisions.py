"""Bureau decisions on one organization: charity status, 限期整改, 撤销, 吊销, 注销, rating."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from services.registry.api.common import IF_MATCH, WRITE_ERRORS, Rate, Write
from services.registry.api.decision_schemas import (
    CharityRecognitionCreate,
    DeregistrationCreate,
    DisposalCreate,
    RatingUpdate,
    RevocationCreate,
)
from services.registry.api.deps import IfMatch
from services.registry.api.json_body import StrictJsonRoute
from services.registry.api.schemas import OrganizationRead
from services.registry.app import commands as c
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
    act: Write,
) -> OrganizationRead:
    """慈善组织认定: recognise a legal-person organization as a charity."""
    return await act(
        c.RecogniseAsCharity(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )


@router.post("/disposals", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH)
async def order_disposal(
    organization_id: Id,
    body: DisposalCreate,
    version: IfMatch,
    act: Write,
) -> OrganizationRead:
    """限期整改: order the organization to rectify by a date."""
    return await act(
        c.OrderDisposal(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )


@router.post(
    "/registration-revocation", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH
)
async def revoke_registration(
    organization_id: Id,
    body: RevocationCreate,
    version: IfMatch,
    act: Write,
) -> OrganizationRead:
    """撤销登记: revoke the registration (a sanction); the organization goes into liquidation."""
    return await act(
        c.RevokeRegistration(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )


@router.post(
    "/certificate-revocation", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH
)
async def revoke_certificate(
    organization_id: Id,
    body: RevocationCreate,
    version: IfMatch,
    act: Write,
) -> OrganizationRead:
    """吊销登记证书: revoke a charity's certificate (慈善法); charities only."""
    return await act(
        c.RevokeCertificate(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )


@router.post("/deregistration", status_code=201, responses=WRITE_ERRORS, openapi_extra=IF_MATCH)
async def deregister(
    organization_id: Id,
    body: DeregistrationCreate,
    version: IfMatch,
    act: Write,
) -> OrganizationRead:
    """注销登记: end the organization, on its application or after a revocation."""
    return await act(
        c.Deregister(organization_id=organization_id, expected_version=version, **body.model_dump())
    )


@router.put("/rating", responses=WRITE_ERRORS, openapi_extra=IF_MATCH)
async def record_rating(
    organization_id: Id,
    body: RatingUpdate,
    version: IfMatch,
    act: Rate,
) -> OrganizationRead:
    """等级评估: record the grade decided by evaluation (or its cancellation)."""
    return await act(
        c.ChangeRating(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )
