"""Ratings over the API as the two regimes define them (SQLite and PostgreSQL): validity by
the decision date, two full years registered, overrides with a reason, evaluation retries."""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from shared.clock import FixedClock
from tests.integration.registry.builders import is_problem, registered


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(date(2026, 12, 2))  # after the 2026 revision came into force


async def test_the_regime_of_the_decision_date_gives_the_validity(api: httpx.AsyncClient) -> None:
    old = await registered(api, 0, registered_on="2019-04-01")
    r = await api.put(
        f"/v1/organizations/{old['id']}/rating", json={"grade": "4A", "decided_on": "2026-02-27"}
    )
    assert r.status_code == 200, r.text
    rating = r.json()["rating"]
    assert (rating["regime"], rating["valid_from"], rating["valid_until"]) == (
        "mca_order_39",
        "2026-02-27",
        "2031-02-26",
    )
    new = await registered(api, 1, registered_on="2019-04-01")
    body = {"grade": "5A", "decided_on": "2026-03-10", "announced_on": "2026-04-02"}
    r = await api.put(f"/v1/organizations/{new['id']}/rating", json=body)
    rating = r.json()["rating"]
    assert (
        rating["regime"],
        rating["announced_on"],
        rating["valid_from"],
        rating["valid_until"],
    ) == (
        "revision_2026",
        "2026-04-02",
        "2027-01-01",
        "2031-12-31",
    )
    assert r.json()["grade"] is None  # announced in 2026, in force from 1 January 2027
    assert (await api.get("/v1/organizations", params={"grade": "4A"})).json()["items"][0][
        "id"
    ] == old["id"]


async def test_a_validity_the_regime_cannot_produce_needs_an_override_reason(
    api: httpx.AsyncClient,
) -> None:
    org = await registered(api, registered_on="2019-04-01")
    url = f"/v1/organizations/{org['id']}/rating"
    body = {"grade": "3A", "decided_on": "2026-06-01", "valid_until": "2030-12-31"}
    problem = is_problem(await api.put(url, json=body), 422, "invalid-rating-validity")
    assert "2031-12-31" in problem["detail"]
    r = await api.put(url, json={**body, "override_reason": "评估委员会决定缩短有效期"})
    assert r.status_code == 200, r.text
    assert r.json()["rating"]["override_reason"] == "评估委员会决定缩短有效期"


async def test_a_grade_within_two_years_of_registration_is_refused(api: httpx.AsyncClient) -> None:
    org = await registered(api, registered_on="2025-01-15")
    url = f"/v1/organizations/{org['id']}/rating"
    problem = is_problem(
        await api.put(url, json={"grade": "3A", "decided_on": "2026-12-01"}),
        409,
        "rating-too-early",
    )
    assert "2027-01-15" in problem["detail"]
    r = await api.put(
        url, json={"grade": "3A", "decided_on": "2026-12-01", "override_reason": "省级试点"}
    )
    assert r.status_code == 200, r.text


async def test_a_repeated_evaluation_is_answered_with_the_current_state(
    api: httpx.AsyncClient,
) -> None:
    org = await registered(api, registered_on="2019-04-01")
    url = f"/v1/organizations/{org['id']}/rating"
    body = {"grade": "4A", "decided_on": "2026-06-01", "evaluation_id": "wh-2026-03"}
    first = await api.put(url, json=body)
    assert first.status_code == 200, first.text
    again = await api.put(url, json=body)
    assert again.status_code == 200 and again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"]
    history = (await api.get(f"/v1/organizations/{org['id']}/history")).json()["items"]
    assert [e["type"] for e in history].count("rating_changed") == 1
    other = {**body, "grade": "5A"}
    is_problem(await api.put(url, json=other), 409, "evaluation-already-recorded")


async def test_a_grade_not_yet_started_leaves_the_one_it_replaces_in_force_in_searches(
    api: httpx.AsyncClient, clock: FixedClock
) -> None:
    org = await registered(api, registered_on="2019-04-01")
    url = f"/v1/organizations/{org['id']}/rating"
    r = await api.put(url, json={"grade": "4A", "decided_on": "2025-06-01"})
    assert r.status_code == 200, r.text
    body = {"grade": "5A", "decided_on": "2026-06-01", "announced_on": "2026-06-15"}
    r = await api.put(url, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["grade"] == "4A"  # 5A from 1 January 2027; 4A (39号, to 2030-05-31) until

    async def found(grade: str) -> list[str]:
        page = (await api.get("/v1/organizations", params={"grade": grade})).json()
        return [item["id"] for item in page["items"]]

    assert (await found("5A"), await found("4A")) == ([], [org["id"]])
    [summary] = (await api.get("/v1/organizations")).json()["items"]
    assert (summary["grade"], summary["rating_valid_from"]) == ("5A", "2027-01-01")
    clock.day = date(2027, 1, 1)
    assert (await found("5A"), await found("4A")) == ([org["id"]], [])
    [_, row] = (await api.get("/v1/exports/organizations")).text.splitlines()
    assert json.loads(row)["rating_valid_from"] == "2027-01-01"
