"""The dashboard: its page and assets (public), and the place drill-down it reads (a key).

The page is plain HTML; its script calls the REST API with the key the user enters, so the
page itself needs no session. Plotly's bundle is served from the installed `plotly` wheel
(plotly/package_data/plotly.min.js): nothing is fetched from another host.
"""

from __future__ import annotations

from datetime import date
from importlib.resources import files
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, ConfigDict

from services.metrics.api.deps import READ_ERRORS, AsOf, MetricsDep, Reader, readable_place, today
from services.metrics.bootstrap import Metrics
from shared.http.problems import Problem
from shared.places import NATIONAL

WEB = FsPath(__file__).resolve().parents[1] / "web"
PAGE = WEB / "index.html"
ASSETS = {
    "dashboard.js": (WEB / "dashboard.js", "text/javascript; charset=utf-8"),
    "dashboard.css": (WEB / "dashboard.css", "text/css; charset=utf-8"),
}
PLOTLY = "plotly.min.js"
DENSITIES = (
    "community_orgs.urban",
    "community_orgs.rural",
    "per_community.urban",
    "per_community.rural",
)
# The assets change with a release only: a day in the browser's cache is enough.
CACHE = {"Cache-Control": "public, max-age=86400"}

page_router = APIRouter(include_in_schema=False)
router = APIRouter(prefix="/v1/dashboard", tags=["dashboard"])


@page_router.get("/dashboard", response_class=HTMLResponse)
async def dashboard_page() -> HTMLResponse:
    return HTMLResponse(PAGE.read_text(encoding="utf-8"))


@page_router.get("/dashboard/assets/{name}")
async def dashboard_asset(name: str) -> Response:
    if name == PLOTLY:
        bundle = files("plotly") / "package_data" / PLOTLY
        return Response(bundle.read_bytes(), media_type="text/javascript", headers=CACHE)
    found = ASSETS.get(name)
    if found is None:
        raise Problem(404, "unknown-asset", f"the dashboard has no asset {name!r}")
    path, media_type = found
    return FileResponse(path, media_type=media_type, headers=CACHE)


class PlaceDensity(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "420106",
                    "name": "武昌区",
                    "level": "county",
                    "urban_communities": 139,
                    "rural_communities": 0,
                    "community_orgs_urban": 2780,
                    "community_orgs_rural": 0,
                    "per_urban_community": 20.0,
                    "per_rural_community": None,
                }
            ]
        }
    )
    code: str
    name: str
    level: str
    urban_communities: int
    rural_communities: int
    community_orgs_urban: float | None
    community_orgs_rural: float | None
    per_urban_community: float | None
    per_rural_community: float | None


class PlaceDrill(BaseModel):
    place: PlaceDensity
    parent: str | None
    as_of: date
    children: list[PlaceDensity]


def level_of(code: str) -> str:
    """The level a place code names (100000: the country; 6 digits: province / city /
    county; 9: street)."""
    if code == NATIONAL:
        return "country"
    if len(code) == 12:
        return "community"
    if len(code) == 9:
        return "street"
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


CHILD_LEVEL = {"country": "province", "province": "city", "city": "county", "county": "street"}


def parent_of(code: str) -> str | None:
    level = level_of(code)
    if level == "community":
        return code[:9]
    if level == "street":
        return code[:6]
    if level == "county":
        return code[:4] + "00"
    if level == "city":
        return code[:2] + "0000"
    return None if level == "country" else NATIONAL


async def _density(metrics: Metrics, code: str, day: date) -> PlaceDensity:
    q, places = metrics.queries, metrics.places
    urban, rural, per_urban, per_rural = [await q.value(n, code, day) for n in DENSITIES]
    return PlaceDensity(
        code=code,
        name=places.name(code) or ("全国" if code == NATIONAL else code),
        level=level_of(code),
        urban_communities=places.communities(code, urban=True),
        rural_communities=places.communities(code, urban=False),
        community_orgs_urban=urban,
        community_orgs_rural=rural,
        per_urban_community=per_urban,
        per_rural_community=per_rural,
    )


@router.get("/places/{code}", responses=READ_ERRORS)
async def drill_place(
    client: Reader,
    metrics: MetricsDep,
    code: Annotated[str, Path(pattern=r"^\d{6}(\d{3})?$", examples=["420100"])],
    as_of: AsOf = None,
) -> PlaceDrill:
    """A place and the places one level down (city → districts → streets), each with its
    community organizations per urban (居委会) and per rural (村委会) community."""
    where = readable_place(client, code, code)
    if where not in metrics.places and where != NATIONAL:
        raise Problem(404, "unknown-place", f"no place {where!r} in the place file")
    day = as_of or today()
    below = CHILD_LEVEL.get(level_of(where))
    children = [] if below is None else metrics.places.units(where, below)
    return PlaceDrill(
        place=await _density(metrics, where, day),
        parent=parent_of(where),
        as_of=day,
        children=[await _density(metrics, c, day) for c in children],
    )
