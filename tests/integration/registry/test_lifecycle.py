"""The registry's happy paths over real HTTP: register, file, read, change, report, decide, end."""

from __future__ import annotations

import httpx

from tests.integration.registry.builders import (
    HUANGPI_VILLAGE,
    WUCHANG_COMMUNITY,
    WUCHANG_STREET,
    code,
    community_org,
    filed,
    organization,
    registered,
)


async def test_registration_returns_the_organization_with_its_version_and_place(
    api: httpx.AsyncClient,
) -> None:
    r = await api.post("/v1/organizations", json=organization(legal_representative="王五"))
    assert r.status_code == 201, r.text
    org = r.json()
    assert r.headers["etag"] == '"1"' and r.headers["location"] == f"/v1/organizations/{org['id']}"
    assert org["status"] == "active" and org["version"] == 1
    assert org["registration_authority"] == "420106" and org["code_override"] is None
    assert org["domicile_name"] == "湖北省武汉市武昌区积玉桥街道"
    got = await api.get(f"/v1/organizations/{org['id']}")
    assert got.json() == org and got.headers["etag"] == '"1"'
    by_code = await api.get(f"/v1/organizations/by-credit-code/{org['credit_code']}")
    assert by_code.json()["id"] == org["id"]


async def test_a_city_level_domicile_is_a_known_place(api: httpx.AsyncClient) -> None:
    org = await registered(api, domicile="420100", level="city", credit_code=code("1", 9, "420100"))
    assert org["domicile_name"] == "湖北省武汉市"


async def test_filing_a_community_organization_takes_street_and_urban_from_the_places(
    api: httpx.AsyncClient,
) -> None:
    urban = await filed(api)
    assert (urban["kind"], urban["street"], urban["urban"]) == (
        "community_org",
        WUCHANG_STREET,
        True,
    )
    assert urban["credit_code"] is None and urban["level"] is None
    rural = await filed(api, 1, community=HUANGPI_VILLAGE)
    assert rural["urban"] is False and rural["domicile"] == HUANGPI_VILLAGE
    r = await api.get(f"/v1/organizations/by-filing-number/{urban['filing_number']}")
    assert r.json()["id"] == urban["id"] and r.json()["community"] == WUCHANG_COMMUNITY


async def test_a_change_with_if_match_records_the_new_values(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    r = await api.patch(
        f"/v1/organizations/{org['id']}",
        json={"legal_representative": "李四", "domicile": WUCHANG_COMMUNITY},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert r.json()["legal_representative"] == "李四" and r.json()["version"] == 2
    assert r.headers["etag"] == '"2"'
    summary = (await api.get("/v1/organizations", params={"place": WUCHANG_COMMUNITY})).json()
    assert [i["id"] for i in summary["items"]] == [org["id"]]
    assert summary["items"][0]["urban"] is True


async def test_community_organization_moves_to_another_community(api: httpx.AsyncClient) -> None:
    org = await filed(api)
    r = await api.patch(
        f"/v1/organizations/{org['id']}",
        json={"community": HUANGPI_VILLAGE},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["street"], r.json()["urban"]) == (HUANGPI_VILLAGE[:9], False)


async def test_report_inspection_charity_disposal_and_rating(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    url = f"/v1/organizations/{org['id']}"
    r = await api.post(f"{url}/annual-reports", json={"year": 2024, "staff_employed": 7})
    assert r.status_code == 201, r.text
    assert r.json()["annual_reports"][0]["submitted_on"] == "2025-06-15"  # the clock's today
    r = await api.post(f"{url}/inspections", json={"year": 2024, "conclusion": "基本合格"})
    assert r.json()["annual_reports"][0]["conclusion"] == "basically_qualified"
    # acts in date order: nothing dated before the inspection recorded today
    r = await api.post(f"{url}/charity-recognition", json={"recognised_on": "2025-06-15"})
    assert r.json()["charity_since"] == "2025-06-15"
    r = await api.post(
        f"{url}/disposals", json={"due_on": "2025-09-30", "reason": "财务制度不健全"}
    )
    assert r.json()["disposals"] == [
        {
            "ordered_on": "2025-06-15",
            "due_on": "2025-09-30",
            "reason": "财务制度不健全",
            "completed_on": None,
        }
    ]
    r = await api.put(f"{url}/rating", json={"grade": "4A"})
    assert r.status_code == 200, r.text
    assert r.json()["rating"]["valid_until"] == "2030-06-14"  # 39号 art. 28: five years
    assert r.json()["grade"] == "4A" and r.json()["version"] == 6
    page = (await api.get("/v1/organizations", params={"grade": "4A"})).json()
    assert page["total"] == 1 and page["items"][0]["charity"] is True


async def test_revocation_then_deregistration(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    url = f"/v1/organizations/{org['id']}"
    r = await api.post(f"{url}/registration-revocation", json={"reason": "一年未开展活动"})
    assert r.status_code == 201 and r.json()["status"] == "in_liquidation"
    assert r.json()["revocation"]["kind"] == "registration_revoked"
    r = await api.post(f"{url}/deregistration", json={"reason": "清算完毕"})
    assert r.status_code == 201 and r.json()["status"] == "deregistered"
    assert r.json()["deregistered_on"] == "2025-06-15"


async def test_a_charitys_certificate_is_revoked(api: httpx.AsyncClient) -> None:
    org = await registered(api, kind="foundation", credit_code=code("3", 1))
    url = f"/v1/organizations/{org['id']}"
    await api.post(f"{url}/charity-recognition", json={"recognised_on": "2021-01-05"})
    r = await api.post(f"{url}/certificate-revocation", json={"reason": "违反慈善法"})
    assert r.status_code == 201, r.text
    assert r.json()["revocation"]["kind"] == "certificate_revoked"


async def test_history_lists_every_event_with_the_acting_client_and_request(
    api: httpx.AsyncClient,
) -> None:
    r = await api.post(
        "/v1/organizations", json=organization(), headers={"X-Request-ID": "req-register-1"}
    )
    org = r.json()
    await api.post(f"/v1/organizations/{org['id']}/annual-reports", json={"year": 2024})
    history = (await api.get(f"/v1/organizations/{org['id']}/history")).json()
    events = history["items"]
    assert [e["type"] for e in events] == ["organization_registered", "annual_report_submitted"]
    assert [e["version"] for e in events] == [1, 2]
    first = events[0]
    assert (first["client"], first["actor"]) == ("development", "development key")
    assert first["correlation_id"] == "req-register-1"
    assert first["occurred_at"].startswith("2020-04-30T16:00:00")  # 2020-05-01 00:00 in Shanghai
    assert first["data"]["credit_code"] == org["credit_code"]


async def test_community_org_fields_example_is_accepted(api: httpx.AsyncClient) -> None:
    r = await api.post("/v1/community-organizations", json=community_org(5, urban=True))
    assert r.status_code == 201, r.text
