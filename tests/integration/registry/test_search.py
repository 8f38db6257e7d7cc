"""Searching the register: filters, Chinese name search, cursor pages with a total."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.integration.registry.builders import (
    HUANGPI_VILLAGE,
    WUCHANG_COMMUNITY,
    code,
    filed,
    is_problem,
    registered,
)


async def a_small_register(api: httpx.AsyncClient) -> dict[str, str]:
    ids = {
        "group": (await registered(api, 0, name="武昌区软件行业协会"))["id"],
        "agency": (
            await registered(
                api,
                1,
                name="武昌区青少年发展服务中心",
                kind="social_service_agency",
                credit_code=code("2", 1),
                category="社会服务类",
                registered_on="2022-03-01",
            )
        )["id"],
        "city": (
            await registered(
                api,
                2,
                name="武汉市科技创新促进会",
                credit_code=code("1", 2, "420100"),
                level="city",
                category="科技创新类",
                domicile="420102",
                registered_on="2023-07-01",
            )
        )["id"],
        "urban": (await filed(api, 0, name="尚隆苑社区舞蹈队"))["id"],
        "rural": (await filed(api, 1, name="五里村红白理事会", community=HUANGPI_VILLAGE))["id"],
    }
    await api.post(
        f"/v1/organizations/{ids['group']}/registration-revocation", json={"reason": "x"}
    )
    return ids


async def ids_of(api: httpx.AsyncClient, **params: str) -> set[str]:
    r = await api.get("/v1/organizations", params=params)
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == len(page["items"])
    return {i["id"] for i in page["items"]}


async def test_filters(api: httpx.AsyncClient) -> None:
    ids = await a_small_register(api)
    assert await ids_of(api, kind="community_org") == {ids["urban"], ids["rural"]}
    assert await ids_of(api, category="社会服务类") == {ids["agency"]}
    assert await ids_of(api, level="city") == {ids["city"]}
    assert await ids_of(api, status="in_liquidation") == {ids["group"]}
    assert await ids_of(api, place="420100") == set(ids.values())
    assert await ids_of(api, place="420000") == set(ids.values())
    assert await ids_of(api, place="420106") == {ids["group"], ids["agency"], ids["urban"]}
    assert await ids_of(api, place=WUCHANG_COMMUNITY) == {ids["urban"]}
    assert await ids_of(api, place="330200") == set()
    assert await ids_of(api, urban="false") == {ids["rural"]}
    assert await ids_of(api, registered_from="2022-01-01", registered_to="2023-12-31") == {
        ids["agency"],
        ids["city"],
    }
    assert await ids_of(api, kind="social_group", status="active") == {ids["city"]}


async def test_chinese_name_search(api: httpx.AsyncClient) -> None:
    ids = await a_small_register(api)
    assert await ids_of(api, name_contains="协会") == {ids["group"]}
    assert await ids_of(api, name_contains="社区舞蹈") == {ids["urban"]}
    assert await ids_of(api, name_contains="武") == {ids["group"], ids["agency"], ids["city"]}
    assert await ids_of(api, name_contains="%") == set()


async def test_name_search_is_exact_with_a_place_and_for_names_holding_the_bigrams_apart(
    api: httpx.AsyncClient,
) -> None:
    """On PostgreSQL the name index narrows by bigrams (in the city searched); LIKE decides."""
    ids = await a_small_register(api)
    apart = (await registered(api, 3, name="武昌区舞蹈艺术蹈队研究会", credit_code=code("1", 3)))[
        "id"
    ]
    assert await ids_of(api, name_contains="舞蹈队") == {ids["urban"]}
    assert await ids_of(api, name_contains="舞蹈") == {ids["urban"], apart}
    assert await ids_of(api, name_contains="舞蹈队", place="420100") == {ids["urban"]}
    assert await ids_of(api, name_contains="舞蹈", place="420106") == {ids["urban"], apart}
    assert await ids_of(api, name_contains="舞蹈", place="420102") == set()
    assert await ids_of(api, name_contains="舞蹈", place="420000") == {ids["urban"], apart}
    assert await ids_of(api, name_contains="舞蹈", place="330200") == set()
    assert await ids_of(api, name_contains="科技", level="city") == {ids["city"]}
    assert await ids_of(api, name_contains="区_") == set()
    assert await ids_of(api, name_contains="协会%") == set()


async def test_cursor_pages_walk_the_register_in_registration_order(api: httpx.AsyncClient) -> None:
    ids = await a_small_register(api)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/v1/organizations", params=params)).json()
        assert page["total"] == 5
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 and set(seen) == set(ids.values())
    assert seen[0] == ids["group"]  # registered 2020-05-01, the earliest


async def test_bad_queries_are_problems(api: httpx.AsyncClient) -> None:
    r = await api.get("/v1/organizations", params={"cursor": "bm90LWEtY3Vyc29y"})
    is_problem(r, 422, "invalid-cursor")
    r = await api.get("/v1/organizations", params={"place": "420199"})
    assert "420199" in is_problem(r, 422, "unknown-place")["detail"]
    is_problem(await api.get("/v1/organizations", params={"kind": "company"}), 422, "validation")


async def test_past_the_cap_the_total_says_at_least_and_pages_still_walk_everything(
    api: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.registry.adapters import search

    await a_small_register(api)
    monkeypatch.setattr(search, "TOTAL_CAP", 3)
    first = (await api.get("/v1/organizations", params={"limit": 2})).json()
    assert (first["total"], first["total_exact"]) == (3, False)
    seen = [o["id"] for o in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = (await api.get("/v1/organizations", params={"limit": 2, "cursor": cursor})).json()
        seen += [o["id"] for o in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 5
    few = (await api.get("/v1/organizations", params={"kind": "foundation"})).json()
    assert (few["total"], few["total_exact"]) == (0, True)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("name", "domicile"),
    [
        ("尚隆苑社区舞蹈队", "420106001001"),
        ("A&B 协会", "330212"),
        ("𠮷野家🍜会", "511802"),
        ("武", "420106"),
    ],
)
def test_the_query_side_name_keys_are_those_postgresql_indexes(
    pg_url: str, name: str, domicile: str
) -> None:
    """name_keys() (what a search asks the index for) and socorg_name_keys() (what the index
    holds, registry_0003) must agree, or a search would miss names the register has."""
    from services.registry.adapters.search import name_keys

    engine = create_engine(pg_url)
    with engine.connect() as conn:
        held = conn.execute(
            text("SELECT socorg_name_keys(:name, :domicile)"), {"name": name, "domicile": domicile}
        ).scalar_one()
    engine.dispose()
    expected = set(name_keys(name)) | set(name_keys(name, domicile))
    assert set(held) == expected
    assert set(name_keys(name[1:3], domicile)) <= set(held)
