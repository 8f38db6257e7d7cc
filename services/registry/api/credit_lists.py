"""Credit lists (民政部令第60号): the fact "unreachable", listing and removal decisions, and the
candidates the register proposes for a place as of a day."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.registry.api.common import PROBLEM, READ_ERRORS, WRITE_ERRORS, Write
from services.registry.api.credit_schemas import (
    CandidatePage,
    CandidateRead,
    CreditListingCreate,
    CreditRemovalCreate,
    UnreachableCreate,
)
from services.registry.api.deps import IfMatch, Queries, Reader, RegistryDep
from services.registry.api.schemas import OrganizationRead
from services.registry.app import commands as c
from services.registry.app.credit_candidates import credit_candidates
from services.registry.app.types import OrganizationId

router = APIRouter(tags=["credit lists"])
ONE = "/v1/organizations/{organization_id}"
Id = Annotated[OrganizationId, Path(description="the organization's id")]


@router.post(f"{ONE}/unreachable", status_code=201, responses=WRITE_ERRORS)
async def record_unreachable(
    organization_id: Id, body: UnreachableCreate, version: IfMatch, act: Write
) -> OrganizationRead:
    """无法取得联系: the organization cannot be reached at its registered address."""
    return await act(
        c.RecordUnreachable(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )


@router.post(f"{ONE}/credit-listings", status_code=201, responses=WRITE_ERRORS)
async def list_on_credit(
    organization_id: Id, body: CreditListingCreate, version: IfMatch, act: Write
) -> OrganizationRead:
    """列入 活动异常名录 / 严重违法失信名单: the bureau's decision, with its trigger."""
    return await act(
        c.ListOnCredit(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )


@router.post(f"{ONE}/credit-removals", status_code=201, responses=WRITE_ERRORS)
async def delist_from_credit(
    organization_id: Id, body: CreditRemovalCreate, version: IfMatch, act: Write
) -> OrganizationRead:
    """移出 a credit list: the bureau's decision, with its reason."""
    return await act(
        c.DelistFromCredit(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
    )


@router.get("/v1/credit-list-candidates", responses={**READ_ERRORS, 422: PROBLEM})
async def candidates(
    _: Reader,
    queries: Queries,
    registry: RegistryDep,
    place: Annotated[str, Query(pattern=r"^[0-9]{6}([0-9]{3}){0,2}$", description="place code")],
    on: Annotated[date | None, Query(description="the day proposed for; default today")] = None,
) -> CandidatePage:
    """Listings and removals the register's facts call for, for the bureau to decide."""
    registry.places.require(place, "place")
    day = on or registry.clock.today()
    found, read, complete = await credit_candidates(
        queries, registry.reporting, place=place, on=day
    )
    return CandidatePage(
        on=day,
        place=place,
        organizations_read=read,
        complete=complete,
        items=[
            CandidateRead(
                organization_id=p.organization_id,
                name=p.name,
                action=p.candidate.action,
                list=p.candidate.list,
                trigger=p.candidate.trigger,
                reason=p.candidate.reason,
                basis=p.candidate.basis,
            )
            for p in found
        ],
    )
