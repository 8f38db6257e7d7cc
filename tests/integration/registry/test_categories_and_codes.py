"""Categories and credit codes over the API: the taxonomy listed and checked; codes as pasted."""

from __future__ import annotations

import httpx

from tests.integration.registry.builders import (
    code,
    community_org,
    is_problem,
    organization,
    registered,
)
from tests.integration.registry.test_import_export import community, group, imported, ndjson


async def test_the_categories_are_listed_with_their_codes_and_kinds(
    api: httpx.AsyncClient,
) -> None:
    categories = {c["name"]: c for c in (await api.get("/v1/categories")).json()}
    assert {"科技创新类", "产业发展类", "工商服务类", "社会服务类", "公益慈善类"} <= set(categories)
    assert {"生活服务类", "社区事务类", "文体活动类", "农村自我管理自我服务类"} <= set(categories)
    assert categories["社区社会组织联合会"]["kinds"] == ["social_group"]
    assert categories["社区发展基金会"]["kinds"] == ["foundation"]
    assert "community_org" in categories["公益慈善类"]["kinds"]
    assert categories["科技创新类"]["code"] == "tech_innovation"


async def test_an_unknown_category_is_refused_by_name_on_registration_filing_and_change(
    api: httpx.AsyncClient,
) -> None:
    refused = is_problem(
        await api.post("/v1/organizations", json=organization(1, category="体育类")), 422
    )
    assert "体育类" in refused["detail"] and "科技创新类" in refused["detail"]
    refused = is_problem(
        await api.post("/v1/community-organizations", json=community_org(1, category="体育类")),
        422,
    )
    assert "体育类" in refused["detail"] and "文体活动类" in refused["detail"]
    org = await registered(api, 2)
    r = await api.patch(
        f"/v1/organizations/{org['id']}", json={"category": "体育类"}, headers={"If-Match": '"1"'}
    )
    is_problem(r, 422, "unknown-category")


async def test_a_pasted_code_is_stored_and_found_normalised(api: httpx.AsyncClient) -> None:
    canonical = code("1", 7)
    pasted = "  " + "".join(chr(ord(ch) + 0xFEE0) for ch in canonical.lower()) + "\u3000"
    created = await api.post("/v1/organizations", json=organization(7, credit_code=pasted))
    assert created.status_code == 201, created.text
    assert created.json()["credit_code"] == canonical
    found = await api.get(f"/v1/organizations/by-credit-code/{canonical.lower()}")
    assert found.status_code == 200 and found.json()["id"] == created.json()["id"]


async def test_a_level_the_authority_does_not_register_at_is_a_warning_the_override_accepts(
    api: httpx.AsyncClient,
) -> None:
    body = organization(8, level="city")  # the code's authority 420106 is a district bureau
    is_problem(await api.post("/v1/organizations", json=body), 422, "level-mismatch")
    override = {"allowed_by": "张科长", "reason": "区局登记、市局管理的历史数据"}
    r = await api.post("/v1/organizations", json=body | {"code_override": override})
    assert r.status_code == 201, r.text
    assert r.json()["code_override"]["failed_checks"] == ["level_mismatch"]


async def test_an_authority_that_is_no_known_place_is_refused(api: httpx.AsyncClient) -> None:
    body = organization(9, credit_code=code("1", 9, authority="110105"))
    problem = is_problem(await api.post("/v1/organizations", json=body), 422)
    assert "unknown_authority" in problem["detail"]


async def test_an_import_refuses_unknown_categories_and_stores_pasted_codes_normalised(
    api: httpx.AsyncClient,
) -> None:
    pasted = group(31, credit_code=" " + code("1", 31).lower() + " ")
    body = ndjson(pasted, group(32, category="体育类"), community(33, category="科技创新类"))
    summary, errors = await imported(api, body)
    assert (summary["created"], summary["failed"]) == (1, 2)
    assert {e["row"]: e["problem"] for e in errors} == {
        2: "unknown-category",
        3: "unknown-category",
    }
    found = await api.get(f"/v1/organizations/by-credit-code/{code('1', 31)}")
    assert found.status_code == 200 and found.json()["credit_code"] == code("1", 31)


async def test_a_search_by_zone_finds_organizations_of_its_streets_in_both_counties(
    api: httpx.AsyncClient,
) -> None:
    hongshan = organization(41, domicile="420111080", credit_code=code("1", 41, "420111"))
    jiangxia = organization(42, domicile="420115089", credit_code=code("1", 42, "420115"))
    outside = organization(43, domicile="420111001", credit_code=code("1", 43, "420111"))
    for body in (hongshan, jiangxia, outside):
        r = await api.post("/v1/organizations", json=body)
        assert r.status_code == 201, r.text
    zone = (await api.get("/v1/organizations", params={"place": "420191"})).json()
    assert sorted(i["domicile"] for i in zone["items"]) == ["420111080", "420115089"]
    county = (await api.get("/v1/organizations", params={"place": "420111"})).json()
    assert {i["domicile"] for i in county["items"]} >= {"420111080", "420111001"}
