"""行政处罚, their execution and 整改完成 over the API and through the import, on SQLite and
PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.registry.builders import code, is_problem, registered
from tests.integration.registry.test_import_export import as_csv, group, imported, ndjson

NUMBER = "武民罚决字〔2025〕3号"


async def test_a_fine_is_imposed_carried_out_and_shown(api: httpx.AsyncClient) -> None:
    oid = (await registered(api))["id"]
    r = await api.post(
        f"/v1/organizations/{oid}/penalties",
        json={
            "penalty": "fine",
            "decision_number": NUMBER,
            "decided_on": "2025-03-10",
            "amount_yuan": 20000,
            "minor": True,
        },
    )
    assert r.status_code == 201, r.text
    [p] = r.json()["penalties"]
    assert (p["penalty"], p["amount_yuan"], p["minor"], p["carried_out_on"]) == (
        "fine",
        20000,
        True,
        None,
    )
    r = await api.post(
        f"/v1/organizations/{oid}/penalty-executions",
        json={"decision_number": NUMBER, "carried_out_on": "2025-04-01"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["penalties"][0]["carried_out_on"] == "2025-04-01"
    history = (await api.get(f"/v1/organizations/{oid}/history")).json()["items"]
    assert [e["type"] for e in history][-2:] == ["penalty_imposed", "penalty_carried_out"]


async def test_penalty_refusals_are_problems(api: httpx.AsyncClient) -> None:
    oid = (await registered(api))["id"]
    url = f"/v1/organizations/{oid}/penalties"
    no_amount = {"penalty": "fine", "decision_number": NUMBER, "decided_on": "2025-03-10"}
    is_problem(await api.post(url, json=no_amount), 422, "invalid-penalty")
    suspension = {
        "penalty": "suspension",
        "decision_number": NUMBER,
        "decided_on": "2025-03-10",
        "suspended_from": "2025-03-11",
        "suspended_until": "2025-06-10",
    }
    assert (await api.post(url, json=suspension)).status_code == 201
    is_problem(await api.post(url, json=suspension), 409, "duplicate-penalty")
    r = await api.post(
        f"/v1/organizations/{oid}/penalty-executions", json={"decision_number": "其他"}
    )
    is_problem(r, 409, "unknown-penalty")


async def test_a_rectification_closes_its_order(api: httpx.AsyncClient) -> None:
    oid = (await registered(api))["id"]
    r = await api.post(
        f"/v1/organizations/{oid}/disposals",
        json={"ordered_on": "2025-01-10", "due_on": "2025-04-10", "reason": "未按期年检"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["disposals"][0]["completed_on"] is None
    url = f"/v1/organizations/{oid}/rectifications"
    r = await api.post(url, json={"ordered_on": "2025-01-10", "completed_on": "2025-03-01"})
    assert r.status_code == 201, r.text
    assert r.json()["disposals"][0]["completed_on"] == "2025-03-01"
    is_problem(
        await api.post(url, json={"ordered_on": "2025-01-10"}),
        409,
        "rectification-already-completed",
    )
    is_problem(await api.post(url, json={"ordered_on": "2025-01-11"}), 409, "unknown-disposal")


PENALTIES: list[dict[str, Any]] = [
    {"penalty": "警告", "decision_number": "武民罚〔2023〕1号", "decided_on": "2023-05-01"},
    {
        "penalty": "fine",
        "decision_number": "武民罚〔2024〕2号",
        "decided_on": "2024-05-01",
        "amount_yuan": 60000,
        "carried_out_on": "2024-06-01",
    },
]


async def test_penalties_import_in_ndjson_and_csv(api: httpx.AsyncClient) -> None:
    rows = [group(1, penalties=PENALTIES), group(2, penalties=PENALTIES)]
    summary, errors = await imported(api, ndjson(rows[0]))
    assert (summary["created"], errors) == (1, [])
    summary, errors = await imported(api, as_csv(rows[1]), {"Content-Type": "text/csv"})
    assert (summary["created"], errors) == (1, [])
    for n in (1, 2):
        org = (await api.get(f"/v1/organizations/by-credit-code/{code('1', n)}")).json()
        assert [
            (p["penalty"], p["amount_yuan"], p["carried_out_on"]) for p in org["penalties"]
        ] == [
            ("warning", None, None),
            ("fine", 60000, "2024-06-01"),
        ]
    summary, _ = await imported(api, ndjson(rows[0]))
    assert summary["unchanged"] == 1  # a re-run appends nothing


async def test_an_imported_penalty_the_domain_refuses_fails_its_row(api: httpx.AsyncClient) -> None:
    bad = [{"penalty": "fine", "decision_number": "x", "decided_on": "2023-05-01"}]
    summary, errors = await imported(api, ndjson(group(3, penalties=bad)))
    assert summary["failed"] == 1 and "amount" in errors[0]["detail"]
