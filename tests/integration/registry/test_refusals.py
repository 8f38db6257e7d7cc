"""Every refusal of the registry API is a problem+json whose slug says which rule refused."""

from __future__ import annotations

import httpx

from tests.integration.registry.builders import (
    code,
    filed,
    is_problem,
    organization,
    registered,
)


async def test_a_report_on_a_year_not_ended_is_refused(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    r = await api.post(f"/v1/organizations/{org['id']}/annual-reports", json={"year": 2025})
    assert "2025" in is_problem(r, 422, "report-year-not-ended")["detail"]


async def test_a_second_report_on_the_same_year_is_a_conflict(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    url = f"/v1/organizations/{org['id']}/annual-reports"
    assert (await api.post(url, json={"year": 2024})).status_code == 201
    is_problem(await api.post(url, json={"year": 2024}), 409, "duplicate-report")


async def test_a_revoked_organization_accepts_only_reads_and_deregistration(
    api: httpx.AsyncClient,
) -> None:
    org = await registered(api)
    url = f"/v1/organizations/{org['id']}"
    await api.post(f"{url}/registration-revocation", json={"reason": "骗取登记"})
    refused = [
        await api.post(f"{url}/annual-reports", json={"year": 2024}),
        await api.patch(url, json={"name": "新名称"}, headers={"If-Match": '"2"'}),
        await api.post(f"{url}/charity-recognition", json={}),
        await api.post(f"{url}/disposals", json={"due_on": "2025-12-01", "reason": "整改"}),
        await api.put(f"{url}/rating", json={"grade": "3A"}),
        await api.post(f"{url}/registration-revocation", json={"reason": "再次撤销"}),
    ]
    for r in refused:
        is_problem(r, 409, "organization-in-liquidation")
    assert (await api.get(url)).json()["status"] == "in_liquidation"
    assert (await api.post(f"{url}/deregistration", json={"reason": "清算完毕"})).status_code == 201


async def test_a_deregistered_organization_accepts_nothing(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    url = f"/v1/organizations/{org['id']}"
    await api.post(f"{url}/deregistration", json={"reason": "自行解散"})
    refused = [
        await api.post(f"{url}/deregistration", json={"reason": "again"}),
        await api.post(f"{url}/annual-reports", json={"year": 2024}),
        await api.patch(url, json={"name": "新名称"}, headers={"If-Match": '"2"'}),
        await api.post(f"{url}/registration-revocation", json={"reason": "撤销"}),
        await api.put(f"{url}/rating", json={"grade": None}),
    ]
    for r in refused:
        is_problem(r, 409, "organization-deregistered")
    assert len((await api.get(f"{url}/history")).json()["items"]) == 2


async def test_certificate_revocation_of_a_non_charity_is_refused(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    r = await api.post(
        f"/v1/organizations/{org['id']}/certificate-revocation", json={"reason": "违法"}
    )
    is_problem(r, 409, "not-a-charity")


async def test_a_community_organization_is_not_rated(api: httpx.AsyncClient) -> None:
    org = await filed(api)
    r = await api.put(
        f"/v1/organizations/{org['id']}/rating",
        json={"grade": "3A", "decided_on": "2025-01-01", "valid_until": "2029-12-31"},
    )
    is_problem(r, 409, "rating-on-community-org")


async def test_a_code_whose_type_digit_does_not_match_the_kind_needs_an_override(
    api: httpx.AsyncClient,
) -> None:
    body = organization(kind="foundation")  # type digit 1: a social group's code
    r = await api.post("/v1/organizations", json=body)
    assert "kind_mismatch" in is_problem(r, 422, "kind-mismatch")["detail"]
    override = {"allowed_by": "武昌区民政局 刘科长", "reason": "2015年前换发的旧代码"}
    r = await api.post(
        "/v1/organizations",
        json={**body, "code_override": override},
        headers={"X-Request-ID": "o1"},
    )
    assert r.status_code == 201, r.text
    org = r.json()
    assert org["code_override"] == {**override, "failed_checks": ["kind_mismatch"]}
    event = (await api.get(f"/v1/organizations/{org['id']}/history")).json()["items"][0]
    assert event["data"]["code_override"]["allowed_by"] == override["allowed_by"]
    assert (event["client"], event["correlation_id"]) == ("development", "o1")
    page = (await api.get("/v1/organizations", params={"code_override": "true"})).json()
    assert [i["id"] for i in page["items"]] == [org["id"]]


async def test_an_override_needs_the_override_scope(client_with) -> None:  # type: ignore[no-untyped-def]
    http = await client_with("registry:read", "registry:write", place="420106")
    body = organization(kind="foundation", code_override={"allowed_by": "某人", "reason": "旧代码"})
    r = await http.post("/v1/organizations", json=body)
    assert is_problem(r, 403, "missing-scope")["required_scope"] == "registry:override"


async def test_an_invalid_check_character_is_refused(api: httpx.AsyncClient) -> None:
    r = await api.post("/v1/organizations", json=organization(credit_code="53100000500020462H"))
    assert "c18" in is_problem(r, 422, "invalid-credit-code")["detail"]


async def test_an_unknown_domicile_is_refused_naming_the_code(api: httpx.AsyncClient) -> None:
    r = await api.post("/v1/organizations", json=organization(domicile="420199001"))
    assert "420199001" in is_problem(r, 422, "unknown-place")["detail"]
    r = await api.post(
        "/v1/community-organizations",
        json={"filing_number": "x-1", "name": "某队", "community": "420106001999"},
    )
    assert "420106001999" in is_problem(r, 422, "unknown-place")["detail"]


async def test_a_district_key_writes_only_its_district(client_with) -> None:  # type: ignore[no-untyped-def]
    wuchang = await client_with("registry:read", "registry:write", place="420106")
    jiangan = await client_with("registry:read", "registry:write", place="420102")
    org = (await wuchang.post("/v1/organizations", json=organization())).json()
    r = await jiangan.post(f"/v1/organizations/{org['id']}/annual-reports", json={"year": 2024})
    assert is_problem(r, 403, "outside-client-area")["place"] == org["domicile"]
    r = await jiangan.post("/v1/organizations", json=organization(1))
    is_problem(r, 403, "outside-client-area")
    assert (await jiangan.get(f"/v1/organizations/{org['id']}")).status_code == 200
    r = await wuchang.patch(
        f"/v1/organizations/{org['id']}", json={"domicile": "420102"}, headers={"If-Match": '"1"'}
    )
    is_problem(r, 403, "outside-client-area")


async def test_scopes_are_checked(client_with) -> None:  # type: ignore[no-untyped-def]
    reader = await client_with("registry:read")
    is_problem(await reader.post("/v1/organizations", json=organization()), 403, "missing-scope")
    writer = await client_with("registry:read", "registry:write")
    org = (await writer.post("/v1/organizations", json=organization())).json()
    rating = {"grade": "3A", "decided_on": "2025-01-01", "valid_until": "2029-12-31"}
    url = f"/v1/organizations/{org['id']}/rating"
    is_problem(await writer.put(url, json=rating), 403, "missing-scope")
    evaluation = await client_with("evaluation:decide", name="评估系统")
    r = await evaluation.put(url, json=rating)
    assert r.status_code == 200, r.text
    event = (await writer.get(f"/v1/organizations/{org['id']}/history")).json()["items"][-1]
    assert event["actor"] == "评估系统"


async def test_if_match_is_required_and_checked(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    url = f"/v1/organizations/{org['id']}"
    is_problem(await api.patch(url, json={"name": "新名称"}), 428, "if-match-required")
    await api.post(f"{url}/annual-reports", json={"year": 2024})
    r = await api.patch(url, json={"name": "新名称"}, headers={"If-Match": '"1"'})
    body = is_problem(r, 409, "version-conflict")
    assert body["current_version"] == 2 and r.headers["etag"] == '"2"'
    is_problem(await api.patch(url, json={"name": "x"}, headers={"If-Match": "abc"}), 400)
    r = await api.patch(url, json={"name": "新名称"}, headers={"If-Match": '"2"'})
    assert r.status_code == 200 and r.json()["name"] == "新名称"


async def test_dates_after_today_and_duplicates_are_refused(api: httpx.AsyncClient) -> None:
    r = await api.post("/v1/organizations", json=organization(registered_on="2025-06-16"))
    is_problem(r, 422, "date-in-future")
    holder = (await registered(api))["id"]
    r = await api.post("/v1/organizations", json=organization(name="另一个名称"))
    # refused by the read model's unique key, the holder named, nothing written
    assert is_problem(r, 409, "duplicate-identifier")["organization_id"] == holder
    listed = (await api.get("/v1/organizations", params={"name_contains": "另一个名称"})).json()
    assert listed["total"] == 0
    first = (await filed(api))["id"]
    r = await api.post(
        "/v1/community-organizations",
        json={"filing_number": "武昌积玉桥备2024-000", "name": "同号", "community": "420106001002"},
    )
    assert is_problem(r, 409, "duplicate-identifier")["organization_id"] == first


async def test_unknown_organizations_are_404(api: httpx.AsyncClient) -> None:
    missing = "0" * 32
    is_problem(await api.get(f"/v1/organizations/{missing}"), 404, "organization-not-found")
    is_problem(await api.get(f"/v1/organizations/by-credit-code/{code('1', 77)}"), 404)
    r = await api.post(f"/v1/organizations/{missing}/annual-reports", json={"year": 2024})
    is_problem(r, 404, "organization-not-found")
    is_problem(await api.get(f"/v1/organizations/{missing}/history"), 404)
