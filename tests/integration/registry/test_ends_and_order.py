"""A grade ends with the organization, acts are recorded in date order, and a community
organization ends as filings do (注销备案 / 撤销备案) — over the API, SQLite and PostgreSQL."""

from __future__ import annotations

import json

import httpx

from tests.integration.registry.builders import filed, is_problem, registered


async def _rated(api: httpx.AsyncClient, n: int = 0, grade: str = "5A") -> str:
    org = await registered(api, n, registered_on="2018-03-01")
    url = f"/v1/organizations/{org['id']}"
    r = await api.put(f"{url}/rating", json={"grade": grade, "decided_on": "2023-01-10"})
    assert r.status_code == 200, r.text
    return url


async def _exported(api: httpx.AsyncClient, **params: str) -> list[dict[str, object]]:
    r = await api.get("/v1/exports/organizations", params=params)
    return [json.loads(line) for line in r.text.splitlines()[1:]]


async def test_deregistration_ends_the_grade_in_search_export_and_history(
    api: httpx.AsyncClient,
) -> None:
    url = await _rated(api, 0)
    still = await _rated(api, 1)
    r = await api.post(
        f"{url}/deregistration", json={"deregistered_on": "2025-03-01", "reason": "清算完毕"}
    )
    assert r.status_code == 201, r.text
    now = r.json()
    assert now["grade"] is None and now["rating"]["ended_on"] == "2025-03-01"
    assert (await api.get(url, params={"as_of": "2025-02-28"})).json()["grade"] == "5A"
    assert (await api.get(url, params={"as_of": "2025-03-01"})).json()["grade"] is None
    found = (await api.get("/v1/organizations", params={"grade": "5A"})).json()["items"]
    assert [o["id"] for o in found] == [still.rsplit("/", 1)[1]]
    exported = await _exported(api, grade="5A")
    assert [o["id"] for o in exported] == [still.rsplit("/", 1)[1]]
    history = (await api.get(f"{url}/history")).json()["items"]
    assert history[-1]["type"] == "deregistered" and history[-1]["data"]["voided_grade"] == "5A"


async def test_revocation_ends_the_grade_and_the_grade_can_still_be_cancelled(
    api: httpx.AsyncClient,
) -> None:
    url = await _rated(api, 0, grade="4A")
    r = await api.post(
        f"{url}/registration-revocation", json={"revoked_on": "2025-02-01", "reason": "严重违法"}
    )
    assert r.json()["grade"] is None and r.json()["rating"]["ended_on"] == "2025-02-01"
    assert (await api.get("/v1/organizations", params={"grade": "4A"})).json()["items"] == []
    cancelled = await api.put(
        f"{url}/rating",
        json={"grade": None, "decided_on": "2025-03-01", "reason": "评估中提供虚假材料"},
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "in_liquidation"
    assert cancelled.json()["rating"]["grade"] is None
    is_problem(
        await api.put(f"{url}/rating", json={"grade": "3A", "decided_on": "2025-03-02"}),
        409,
        "organization-in-liquidation",
    )


async def test_a_deregistration_dated_before_a_recorded_report_is_refused(
    api: httpx.AsyncClient,
) -> None:
    org = await registered(api)
    url = f"/v1/organizations/{org['id']}"
    report = {"year": 2024, "submitted_on": "2025-04-01"}
    assert (await api.post(f"{url}/annual-reports", json=report)).status_code == 201
    r = await api.post(
        f"{url}/deregistration", json={"deregistered_on": "2025-01-15", "reason": "清算完毕"}
    )
    body = is_problem(r, 409, "act-out-of-order")
    assert "2025-01-15" in body["detail"] and "2025-04-01" in body["detail"]
    assert (await api.get(url)).json()["status"] == "active"


async def test_two_name_changes_out_of_date_order_are_refused(api: httpx.AsyncClient) -> None:
    org = await registered(api, name="武昌区老年协会")
    url = f"/v1/organizations/{org['id']}"
    first = {"name": "武昌区老龄事业协会", "changed_on": "2024-05-01"}
    assert (await api.patch(url, json=first, headers={"If-Match": '"1"'})).status_code == 200
    earlier = {"name": "武昌区长者协会", "changed_on": "2024-03-01"}
    r = await api.patch(url, json=earlier, headers={"If-Match": '"2"'})
    body = is_problem(r, 409, "act-out-of-order")
    assert "2024-03-01" in body["detail"] and "2024-05-01" in body["detail"]
    later = {"name": "武昌区长者协会", "changed_on": "2024-06-01"}
    assert (await api.patch(url, json=later, headers={"If-Match": '"2"'})).status_code == 200
    history = (await api.get(f"{url}/history")).json()["items"]
    assert history[-1]["data"]["changes"]["name"] == ["武昌区老龄事业协会", "武昌区长者协会"]
    on_march = (await api.get(url, params={"as_of": "2024-03-01"})).json()
    assert on_march["name"] == "武昌区老年协会"


async def test_a_late_report_and_its_inspection_may_be_dated_before_the_latest_act(
    api: httpx.AsyncClient,
) -> None:
    org = await registered(api)
    url = f"/v1/organizations/{org['id']}"
    change = {"name": "武昌区软件协会", "changed_on": "2025-05-01"}
    assert (await api.patch(url, json=change, headers={"If-Match": '"1"'})).status_code == 200
    report = {"year": 2024, "submitted_on": "2025-03-20"}
    assert (await api.post(f"{url}/annual-reports", json=report)).status_code == 201
    inspection = {"year": 2024, "conclusion": "合格", "concluded_on": "2025-04-10"}
    r = await api.post(f"{url}/inspections", json=inspection)
    assert r.status_code == 201, r.text
    assert (await api.get(url, params={"as_of": "2025-03-31"})).json()["annual_reports"][0][
        "year"
    ] == 2024


async def test_a_community_organization_ends_by_cancelling_its_filing(
    api: httpx.AsyncClient,
) -> None:
    org = await filed(api)
    url = f"/v1/organizations/{org['id']}"
    disposal = {"ordered_on": "2024-07-01", "due_on": "2024-10-01", "reason": "未开展活动"}
    assert (await api.post(f"{url}/disposals", json=disposal)).status_code == 201
    for path in ("registration-revocation", "deregistration"):
        day = "revoked_on" if path == "registration-revocation" else "deregistered_on"
        r = await api.post(f"{url}/{path}", json={day: "2025-01-10", "reason": "x"})
        body = is_problem(r, 409, "not-registered-but-filed")
        assert "filing-cancellation" in body["detail"]
    r = await api.post(
        f"/v1/community-organizations/{org['id']}/filing-cancellation",
        json={"how": "撤销备案", "cancelled_on": "2025-01-10", "reason": "长期未开展活动"},
    )
    assert r.status_code == 201, r.text
    ended = r.json()
    assert ended["status"] == "deregistered" and ended["deregistered_on"] == "2025-01-10"
    assert ended["filing_cancelled"] == "revocation"
    history = (await api.get(f"{url}/history")).json()["items"]
    assert history[-1]["type"] == "filing_cancelled"
    again = {"ordered_on": "2025-02-01", "due_on": "2025-03-01", "reason": "x"}
    is_problem(await api.post(f"{url}/disposals", json=again), 409, "organization-deregistered")
    gone = await api.get("/v1/organizations", params={"status": "active", "kind": "community_org"})
    assert gone.json()["items"] == []


async def test_a_registered_organization_has_no_filing_to_cancel(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    r = await api.post(
        f"/v1/community-organizations/{org['id']}/filing-cancellation",
        json={"how": "注销备案", "cancelled_on": "2025-01-10", "reason": "x"},
    )
    is_problem(r, 409, "not-filed")
