"""Credit lists over the API on SQLite and PostgreSQL: candidates as of a date, the bureau's
decisions, the `credit_list` search, the organization's answer and the export."""

from __future__ import annotations

import httpx

from tests.integration.registry.builders import code, is_problem, registered

WUCHANG = "420106"


async def candidates(api: httpx.AsyncClient, **params: str) -> set[tuple[str, str, str, str]]:
    r = await api.get("/v1/credit-list-candidates", params={"place": WUCHANG, **params})
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["complete"]
    return {
        (i["organization_id"], i["action"], i["list"], i["trigger"] or i["reason"])
        for i in page["items"]
    }


async def listed(api: httpx.AsyncClient, list_: str) -> set[str]:
    r = await api.get("/v1/organizations", params={"credit_list": list_})
    assert r.status_code == 200, r.text
    return {i["id"] for i in r.json()["items"]}


async def test_candidates_decisions_search_and_export(api: httpx.AsyncClient) -> None:
    # today 2025-06-15; registered 2020-05-01, nothing reported: 2020–2024 overdue
    silent = (await registered(api, 0, registered_on="2024-01-10"))["id"]
    fined = (await registered(api, 1, credit_code=code("1", 1), registered_on="2025-01-10"))["id"]
    r = await api.post(
        f"/v1/organizations/{fined}/penalties",
        json={
            "penalty": "fine",
            "decision_number": "武民罚〔2025〕9号",
            "decided_on": "2025-03-01",
            "amount_yuan": 80000,
        },
    )
    assert r.status_code == 201, r.text
    assert await candidates(api) == {
        (silent, "list", "abnormal", "report_not_filed"),
        (fined, "list", "serious", "large_fine"),
    }
    # as of a day before the 2024 deadline passed (and before the fine): nothing
    assert await candidates(api, on="2025-02-01") == set()

    r = await api.post(
        f"/v1/organizations/{silent}/credit-listings",
        json={"list": "abnormal", "trigger": "report_not_filed", "listed_on": "2025-06-05"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["credit_lists"]["abnormal"]["trigger"] == "report_not_filed"
    assert await listed(api, "abnormal") == {silent}
    assert await listed(api, "serious") == set()
    r = await api.get("/v1/exports/organizations", headers={"Accept": "text/csv"})
    header, *rows = r.text.splitlines()
    assert header.endswith("abnormal_list,serious_list")
    assert sorted(row.endswith("true,false") for row in rows) == [False, True]

    r = await api.post(
        f"/v1/organizations/{silent}/annual-reports",
        json={"year": 2024, "submitted_on": "2025-06-10"},
    )
    assert r.status_code == 201, r.text
    assert (silent, "remove", "abnormal", "obligation_fulfilled") in await candidates(api)
    r = await api.post(
        f"/v1/organizations/{silent}/credit-removals",
        json={"list": "abnormal", "reason": "obligation_fulfilled"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["credit_lists"] == {"abnormal": None, "serious": None}
    assert await listed(api, "abnormal") == set()


async def test_credit_refusals_are_problems(api: httpx.AsyncClient) -> None:
    oid = (await registered(api))["id"]
    url = f"/v1/organizations/{oid}/credit-listings"
    r = await api.post(url, json={"list": "abnormal", "trigger": "large_fine"})
    is_problem(r, 422, "invalid-credit-trigger")
    r = await api.post(
        f"/v1/organizations/{oid}/credit-removals",
        json={"list": "serious", "reason": "clean_two_years"},
    )
    is_problem(r, 409, "not-on-credit-list")
    r = await api.get("/v1/credit-list-candidates", params={"place": WUCHANG, "on": "2025-06-16"})
    is_problem(r, 422, "date-in-future")


async def test_unreachable_is_a_recorded_fact_that_proposes_the_abnormal_list(
    api: httpx.AsyncClient,
) -> None:
    oid = (await registered(api, registered_on="2025-01-10"))["id"]
    r = await api.post(f"/v1/organizations/{oid}/unreachable", json={"found_on": "2025-06-01"})
    assert r.status_code == 201, r.text
    assert r.json()["unreachable_on"] == ["2025-06-01"]
    assert await candidates(api) == {(oid, "list", "abnormal", "unreachable_at_address")}
