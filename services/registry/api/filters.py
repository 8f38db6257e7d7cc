"""The search filters of the organizations list and of the export, as one dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from services.registry.api.deps import RegistryDep
from services.registry.api.schemas import Status
from services.registry.app.search import Filters
from services.registry.app.types import Category, Name
from shared.contracts.registry import CreditList, Grade, Kind, Level
from shared.http.dates import IsoDate

PlaceFilter = Annotated[
    str | None,
    Query(pattern=r"^[0-9]{6}([0-9]{3}){0,2}$", description="place code at any level"),
]


async def search_filters(
    registry: RegistryDep,
    kind: Kind | None = None,
    category: Category | None = None,
    level: Level | None = None,
    status: Status | None = None,
    grade: Annotated[Grade | None, Query(description="a grade in force today")] = None,
    place: PlaceFilter = None,
    registered_from: IsoDate | None = None,
    registered_to: IsoDate | None = None,
    name_contains: Annotated[Name | None, Query(description="part of the name")] = None,
    code_override: bool | None = None,
    charity: bool | None = None,
    urban: bool | None = None,
    credit_list: Annotated[
        CreditList | None,
        Query(
            description="on the abnormal list (活动异常名录) or the serious list (严重违法失信名单)"
        ),
    ] = None,
    overdue_years: Annotated[
        int | None,
        Query(ge=1, le=100, description="at least this many required annual reports overdue today"),
    ] = None,
) -> Filters:
    """The filters; a place code must name a known place. (`async`: no thread hop.)"""
    if place is not None:
        registry.places.require(place, "place")
    return Filters(
        kind=kind,
        category=category,
        level=level,
        status=status,
        grade=grade,
        place=place,
        zone_streets=registry.places.zone_streets(place) if place is not None else (),
        registered_from=registered_from,
        registered_to=registered_to,
        name_contains=name_contains,
        code_override=code_override,
        charity=charity,
        urban=urban,
        overdue_years=overdue_years,
        credit_list=credit_list,
    )


SearchFilters = Annotated[Filters, Depends(search_filters)]
