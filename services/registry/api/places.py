"""Places: a code at any level, its parents and children, and its urban/rural communities.

The community counts are the denominators of the plans' density targets (e.g. 20 community
organizations per urban community, 5 per rural one: wuhan-community-org-capacity-plan.txt),
served here so the services that compute densities use the registry's own place data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from services.registry.api.common import AUTH_ERRORS, problem
from services.registry.api.deps import Reader, RegistryDep
from services.registry.domain.places import Place, Places
from shared.http.problems import Problem

router = APIRouter(prefix="/v1/places", tags=["places"])
Code = Annotated[str, Path(pattern=r"^\d{6}(\d{3}(\d{3})?)?$", examples=["420106001"])]


class PlaceSummary(BaseModel):
    code: str
    name: str
    level: str


class PlaceRead(PlaceSummary):
    parents: list[PlaceSummary] = Field(description="from the province down")
    committee: str | None = Field(None, description="community units: resident / village / other")
    urban_communities: int = Field(description="居委会 inside this place (itself if one)")
    rural_communities: int = Field(description="村委会 inside this place (itself if one)")
    other_community_units: int
    children: list[PlaceSummary]
    zones: list[PlaceSummary] = Field(
        description="functional zones: those a street or community is in, or inside a city"
    )
    former_name: str | None = Field(None, description="the name before the latest edition")
    removed_in: str | None = Field(None, description="the NBS edition that dropped this code")


def _summary(p: Place) -> PlaceSummary:
    return PlaceSummary(code=p.code, name=p.name, level=p.level)


def _read(places: Places, place: Place) -> PlaceRead:
    units = places.communities(place.code) if place.level != "village" else [place]
    committees = [u.committee for u in units]
    if place.level == "zone":  # a zone groups streets of other counties
        children = [c for c in map(places.get, places.zone_streets(place.code)) if c]
    else:
        children = [p for p in places.within(place.code) if p.parent_code == place.code]
    zones = [p for p in places if p.level == "zone" and p.parent_code == place.code]
    return PlaceRead(
        code=place.code,
        name=place.name,
        level=place.level,
        parents=[_summary(p) for p in reversed(places.parents(place.code))],
        committee=place.committee,
        urban_communities=committees.count("resident"),
        rural_communities=committees.count("village"),
        other_community_units=committees.count("other"),
        children=[_summary(c) for c in sorted(children, key=lambda c: c.code)],
        zones=[_summary(z) for z in zones or places.zones_of(place.code)],
        former_name=place.former_name,
        removed_in=place.removed_in,
    )


@router.get(
    "/{code}",
    responses={
        **AUTH_ERRORS,
        404: problem("no place has the code (`unknown-place`)"),
        422: problem("the code is not 6, 9 or 12 digits (`validation`)"),
    },
)
async def get_place(code: Code, registry: RegistryDep, _: Reader) -> PlaceRead:
    """A place by its 6, 9 or 12-digit code, with its urban and rural community counts."""
    places = registry.places
    place = places.get(code)
    if place is None:
        raise Problem(404, "unknown-place", f"no place has the code {code}")
    return _read(places, place)
