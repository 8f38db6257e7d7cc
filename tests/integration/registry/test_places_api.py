"""The places API: the community counts behind density targets, from the shipped NBS data."""

from __future__ import annotations

import httpx

from tests.integration.registry.builders import is_problem


async def test_a_city_has_the_published_urban_and_rural_community_counts(
    api: httpx.AsyncClient,
) -> None:
    wuhan = (await api.get("/v1/places/420100")).json()
    # shared/places/README.md: 武汉市 has 1,516 居委会 and 1,925 村委会 (NBS 2022).
    assert (wuhan["name"], wuhan["level"]) == ("武汉市", "city")
    assert (wuhan["urban_communities"], wuhan["rural_communities"]) == (1516, 1925)
    assert {c["code"] for c in wuhan["children"]} >= {"420102", "420106", "420117"}
    assert [p["code"] for p in wuhan["parents"]] == ["420000"]


async def test_a_street_lists_its_communities_and_parents_from_the_province_down(
    api: httpx.AsyncClient,
) -> None:
    street = (await api.get("/v1/places/420106001")).json()
    assert street["level"] == "township"
    assert [p["code"] for p in street["parents"]] == ["420000", "420100", "420106"]
    assert street["urban_communities"] == len(street["children"]) > 0
    assert street["rural_communities"] == 0
    community = (await api.get(f"/v1/places/{street['children'][0]['code']}")).json()
    assert community["committee"] == "resident" and community["urban_communities"] == 1


async def test_unknown_and_malformed_place_codes_are_problems(api: httpx.AsyncClient) -> None:
    is_problem(await api.get("/v1/places/429999"), 404)
    is_problem(await api.get("/v1/places/4201"), 422)


async def test_a_functional_zone_is_a_place_and_its_streets_count_in_both(
    api: httpx.AsyncClient,
) -> None:
    zone = (await api.get("/v1/places/420191")).json()
    assert (zone["name"], zone["level"]) == ("东湖新技术开发区", "zone")
    streets = [c["code"] for c in zone["children"]]
    assert streets[:4] == ["420111080", "420111081", "420111082", "420111083"]
    assert streets[4:] == ["420115086", "420115087", "420115088", "420115089"]
    totals = [(await api.get(f"/v1/places/{s}")).json() for s in streets]
    assert zone["urban_communities"] == sum(t["urban_communities"] for t in totals) > 0
    assert totals[0]["zones"] == [{"code": "420191", "name": "东湖新技术开发区", "level": "zone"}]
    assert [p["code"] for p in totals[0]["parents"]] == ["420000", "420100", "420111"]
    wuhan = (await api.get("/v1/places/420100")).json()
    assert [z["code"] for z in wuhan["zones"]] == ["420191"]
    assert (wuhan["urban_communities"], wuhan["rural_communities"]) == (1516, 1925)
