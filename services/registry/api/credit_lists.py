"""Credit lists (民政部令第60号): the fact "unreachable", listing and removal decisions, and the
candidates the register proposes for a place as of a day."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from services.registry.api.acts import ActRoute, add_acts
from services.registry.api.common import PROBLEM, READ_ERRORS
from services.registry.api.credit_schemas import (
    CandidatePage,
    CandidateRead,
    CreditListingCreate,
    CreditRemovalCreate,
    UnreachableCreate,
)
from services.registry.api.deps import Queries, Reader, RegistryDep
from services.registry.api.json_body import StrictJsonRoute
from services.registry.app import commands as c
from services.registry.app.credit_candidates import credit_candidates

router = APIRouter(tags=["credit lists"], route_class=StrictJsonRoute)
ONE = "/v1/organizations/{organization_id}"


add_acts(
    router,
    (
        ActRoute(
            f"{ONE}/unreachable",
            UnreachableCreate,
            c.RecordUnreachable,
            "record_unreachable",
            "无法取得联系: the organization cannot be reached at its registered address.",
        ),
        ActRoute(
            f"{ONE}/credit-listings",
            CreditListingCreate,
            c.ListOnCredit,
            "list_on_credit",
            "列入 活动异常名录 / 严重违法失信名单: the bureau's decision, with its trigger.",
        ),
        ActRoute(
            f"{ONE}/credit-removals",
            CreditRemovalCreate,
            c.DelistFromCredit,
            "delist_from_credit",
            "移出 a credit list: the bureau's decision, with its reason.",
        ),
    ),
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
