"""The dashboard's drill-down read: a place, the places one level down and their densities
per community, inside the key's area (registry HTTP → JetStream → projection, on SQLite)."""

from __future__ import annotations

import httpx
import pytest

from services.metrics.adapters.places_file import load_place_counts
from shared.db import make_async_engine
from shared.http.keys import KeyStore
from tests.integration.metrics.test_metrics_api import WUCHANG, WUHAN, Rig, populate
from tests.integration.registry.builders import WUCHANG_STREET

HUANGPI = "420116"


async def test_drill_down_from_city_to_street_with_densities(rig: Rig) -> None:
    await populate(rig)
    places = load_place_counts()
    r = await rig.metrics.get(f"/v1/dashboard/places/{WUHAN}", params={"as_of": "2024-06-30"})
    assert r.status_code == 200, r.text
    city = r.json()
    assert city["place"]["name"] == "武汉市" and city["place"]["level"] == "city"
    assert city["parent"] == "420000" and city["as_of"] == "2024-06-30"
    assert city["place"]["community_orgs_urban"] == 1 and city["place"]["community_orgs_rural"] == 1
    districts = {c["code"]: c for c in city["children"]}
    assert list(districts) == places.units(WUHAN, "county") and len(districts) == 13
    wuchang, huangpi = districts[WUCHANG], districts[HUANGPI]
    assert wuchang["name"] == "武昌区" and wuchang["community_orgs_urban"] == 1
    assert wuchang["urban_communities"] == places.communities(WUCHANG, urban=True) > 0
    assert wuchang["per_urban_community"] == pytest.approx(1 / wuchang["urban_communities"])
    assert huangpi["community_orgs_rural"] == 1 and huangpi["community_orgs_urban"] == 0
    assert huangpi["per_rural_community"] == pytest.approx(1 / huangpi["rural_communities"])
    # Before the first filing (2024-04-01) nothing is counted.
    r = await rig.metrics.get(f"/v1/dashboard/places/{WUHAN}", params={"as_of": "2024-03-31"})
    assert r.json()["place"]["community_orgs_urban"] == 0

    r = await rig.metrics.get(f"/v1/dashboard/places/{WUCHANG}", params={"as_of": "2024-06-30"})
    streets = {c["code"]: c for c in r.json()["children"]}
    assert r.json()["parent"] == WUHAN and streets[WUCHANG_STREET]["community_orgs_urban"] == 1
    r = await rig.metrics.get(f"/v1/dashboard/places/{WUCHANG_STREET}")
    assert r.json()["children"] == [] and r.json()["parent"] == WUCHANG

    r = await rig.metrics.get("/v1/dashboard/places/429999")
    assert r.status_code == 404 and r.json()["type"] == "urn:socorg:problem:unknown-place"


async def test_drill_down_stays_inside_the_keys_area(rig: Rig) -> None:
    await populate(rig)
    engine = make_async_engine(rig.database_url)
    _, raw = await KeyStore(engine).create(
        name="武昌区民政局", scopes=["metrics:read"], place=WUCHANG
    )
    await engine.dispose()
    async with httpx.AsyncClient(base_url=rig.metrics_url) as anonymous:
        assert (await anonymous.get(f"/v1/dashboard/places/{WUCHANG}")).status_code == 401
        key = {"X-API-Key": raw}
        r = await anonymous.get(f"/v1/dashboard/places/{WUHAN}", headers=key)
        assert r.status_code == 403 and r.json()["type"].endswith("place-outside-key")
        r = await anonymous.get(f"/v1/dashboard/places/{WUCHANG}", headers=key)
        assert r.status_code == 200 and r.json()["place"]["name"] == "武昌区"


async def test_the_national_set_drills_from_the_country(rig: Rig) -> None:
    await populate(rig)
    r = await rig.metrics.get("/v1/dashboard/places/100000", params={"as_of": "2024-06-30"})
    assert r.status_code == 200, r.text
    country = r.json()
    assert country["place"]["name"] == "全国" and country["parent"] is None
    assert {c["code"] for c in country["children"]} == {"330000", "420000", "510000"}
    r = await rig.metrics.get("/v1/dashboard/places/420000")
    assert r.json()["parent"] == "100000" and {c["code"] for c in r.json()["children"]} == {WUHAN}
