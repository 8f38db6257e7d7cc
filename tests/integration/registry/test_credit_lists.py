"""Credit lists over the API on SQLite and PostgreSQL: candidates as of a date, the bureau's
decisions (by command and by import), the `credit_list` search, the organization's answer and
the export."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.registry.builders import code, is_problem, registered
from tests.integration.registry.test_import_export import (
    as_csv,
    community,
    group,
    head,
    imported,
    ndjson,
)

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


UNREACHABLE = [{"found_on": "2024-06-20", "note": "住所无人，电话停机"}]
FINE = [
    {
        "penalty": "fine",
        "decision_number": "武民罚〔2024〕7号",
        "decided_on": "2024-05-01",
        "amount_yuan": 60000,
    }
]
LISTINGS = [
    {
        "list": "活动异常名录",
        "trigger": "unreachable_at_address",
        "listed_on": "2024-07-01",
        "decision_number": "武民异〔2024〕3号",
    },
    {"list": "serious", "trigger": "large_fine", "listed_on": "2024-05-20", "basis": "罚款6万元"},
]
REMOVALS = [{"list": "abnormal", "reason": "obligation_fulfilled", "delisted_on": "2025-01-10"}]


def decided(n: int, **overrides: Any) -> dict[str, Any]:
    """An imported organization found unreachable, listed on both lists, off the abnormal one."""
    later: dict[str, Any] = {
        "penalties": FINE,
        "unreachable": UNREACHABLE,
        "credit_listings": LISTINGS,
        "credit_removals": REMOVALS,
    }
    return group(n, **{**later, **overrides})


async def test_credit_decisions_import_in_ndjson_and_csv(api: httpx.AsyncClient) -> None:
    summary, errors = await imported(api, ndjson(decided(1)))
    assert (summary["created"], errors) == (1, [])
    summary, errors = await imported(api, as_csv(decided(2)), {"Content-Type": "text/csv"})
    assert (summary["created"], errors) == (1, [])
    ids = set()
    for n in (1, 2):
        org = (await api.get(f"/v1/organizations/by-credit-code/{code('1', n)}")).json()
        ids.add(org["id"])
        assert org["unreachable_on"] == ["2024-06-20"]
        assert org["credit_lists"] == {
            "abnormal": None,
            "serious": {
                "trigger": "large_fine",
                "listed_on": "2024-05-20",
                "decision_number": None,
                "basis": "罚款6万元",
            },
        }
        history = (await api.get(f"/v1/organizations/{org['id']}/history")).json()["items"]
        assert [(e["type"], e["data"].get("list")) for e in history if "credit" in e["type"]] == [
            ("credit_listed", "serious"),
            ("credit_listed", "abnormal"),
            ("credit_delisted", "abnormal"),
        ]
    assert await listed(api, "serious") == ids
    assert await listed(api, "abnormal") == set()
    r = await api.get("/v1/exports/organizations", headers={"Accept": "text/csv"})
    header, *rows = r.text.splitlines()
    assert header.endswith("abnormal_list,serious_list")
    assert [row.endswith("false,true") for row in rows] == [True, True]


async def test_a_refused_credit_decision_fails_its_row_while_the_others_land(
    api: httpx.AsyncClient,
) -> None:
    on_list = {"list": "abnormal", "trigger": "report_not_filed", "listed_on": "2025-06-01"}
    body = ndjson(
        group(1, credit_listings=[on_list]),
        group(2, credit_listings=[{**on_list, "trigger": "large_fine"}]),
        group(3, credit_removals=REMOVALS),
        group(4, credit_listings=[{k: v for k, v in on_list.items() if k != "trigger"}]),
        group(5, credit_listings=[{**on_list, "list": "黑名单"}]),
        community(1, credit_listings=[on_list]),
        group(6, unreachable=UNREACHABLE),
    )
    summary, errors = await imported(api, body)
    assert (summary["rows"], summary["created"], summary["failed"]) == (7, 2, 5)
    assert {e["row"]: (e["problem"], e["identifier"]) for e in errors} == {
        2: ("invalid-credit-trigger", code("1", 2)),
        3: ("not-on-credit-list", code("1", 3)),
        4: ("validation", code("1", 4)),
        5: ("validation", code("1", 5)),
        6: ("not-a-legal-person", "武昌积玉桥备2021-0001"),
    }
    details = {e["row"]: e["detail"] for e in errors}
    assert details[4] == "social_group.credit_listings.0.trigger: Field required"
    assert details[5].startswith("social_group.credit_listings.0.list: Input should be")
    assert await listed(api, "abnormal") == {
        (await api.get(f"/v1/organizations/by-credit-code/{code('1', 1)}")).json()["id"]
    }


async def test_a_credit_reimport_changes_nothing_and_a_later_removal_is_appended(
    api: httpx.AsyncClient, registry_url: str
) -> None:
    rows = [decided(n) for n in range(1, 4)]
    first, _ = await imported(api, ndjson(*rows))
    position = head(registry_url)
    again, errors = await imported(api, ndjson(*rows))
    assert first["created"] == 3 and (again["unchanged"], errors) == (3, [])
    as_csv_again, errors = await imported(api, as_csv(*rows), {"Content-Type": "text/csv"})
    assert (as_csv_again["unchanged"], errors) == (3, [])
    assert head(registry_url) == position
    off_serious = {"list": "严重违法失信名单", "reason": "corrected", "delisted_on": "2025-06-01"}
    grown = decided(1, credit_removals=[*REMOVALS, off_serious])
    summary, errors = await imported(api, ndjson(grown))
    assert (summary["updated"], errors) == (1, [])
    assert head(registry_url) == position + 1
    assert await listed(api, "serious") == {
        (await api.get(f"/v1/organizations/by-credit-code/{code('1', n)}")).json()["id"]
        for n in (2, 3)
    }
