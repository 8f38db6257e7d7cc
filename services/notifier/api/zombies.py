"""Zombie candidates by place, with their evidence and the bureau's disposal; counts by district
for the campaign's three batches, "注销一批、整改一批、激活一批" (Ya'an plan,
seeds/yaan-empowerment-action-plan-2023-2025.txt, 二(四), 整治"僵尸型"社会组织)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from services.notifier.api.deps import NUL_FREE, NotifierDep, Reader, area
from services.notifier.api.schemas import CandidatePage, CandidateRead, CountsRead, DistrictCount

router = APIRouter(prefix="/v1/zombies", tags=["zombies"])
PLACE = r"^\d{6}(\d{3}(\d{3})?)?$"
Place = Annotated[
    str | None,
    Query(pattern=PLACE, description="GB/T 2260 code (6, 9 or 12 digits); default: the key's area"),
]
FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {"description": "the place lies outside the key's area (problem+json)"}
}


@router.get("", responses=FORBIDDEN)
async def list_candidates(
    notifier: NotifierDep,
    client: Reader,
    place: Place = None,
    flag: Annotated[
        Literal["zombie", "no_report_since_registration", "unreachable_at_address"],
        Query(description="the zombie flag, or a further signal of the 2021 campaign"),
    ] = "zombie",
    state: Annotated[
        Literal["flagged", "cleared", "all"], Query(description="flagged now, cleared, or both")
    ] = "flagged",
    after: Annotated[
        str | None, Query(max_length=64, pattern=NUL_FREE, description="the page's cursor")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> CandidatePage:
    """Zombie candidates (or a signal's organizations) in a place, by organization id."""
    active = {"flagged": True, "cleared": False, "all": None}[state]
    found = await notifier.queries.flags(
        flag=flag,
        place=area(client, place),
        active=active,
        after=after,
        limit=limit,
    )
    items = [CandidateRead.of(c) for c in found]
    return CandidatePage(
        items=items, next_after=items[-1].organization_id if len(items) == limit else None
    )


@router.get("/counts", responses=FORBIDDEN)
async def counts(notifier: NotifierDep, client: Reader, place: Place = None) -> CountsRead:
    """For the 清理 campaign (注销一批、整改一批、激活一批): counts per district."""
    where = area(client, place)
    rows = await notifier.queries.counts(place=where)
    return CountsRead(place=where, districts=[DistrictCount(**r) for r in rows])
