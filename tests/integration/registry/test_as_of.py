"""Time travel: `as_of` folds the acts dated that day or before (end of day, Asia/Shanghai)."""

from __future__ import annotations

import httpx

from tests.integration.registry.builders import is_problem, registered


async def test_as_of_returns_the_past_state(api: httpx.AsyncClient) -> None:
    org = await registered(api, name="武昌区老年协会", registered_on="2020-05-01")
    url = f"/v1/organizations/{org['id']}"
    await api.patch(
        url,
        json={"name": "武昌区老龄事业协会", "changed_on": "2023-01-10"},
        headers={"If-Match": '"1"'},
    )
    await api.put(
        f"{url}/rating",
        json={
            "grade": "3A",
            "decided_on": "2023-06-01",
            "valid_until": "2024-05-31",
            "override_reason": "评估委员会决定有效期一年",
        },
    )
    await api.post(
        f"{url}/registration-revocation", json={"revoked_on": "2025-01-20", "reason": "x"}
    )

    before_change = (await api.get(url, params={"as_of": "2023-01-09"})).json()
    assert (before_change["name"], before_change["version"]) == ("武昌区老年协会", 1)
    assert before_change["as_of"] == "2023-01-09"
    on_change = (await api.get(url, params={"as_of": "2023-01-10"})).json()
    assert on_change["name"] == "武昌区老龄事业协会" and on_change["status"] == "active"
    rated = (await api.get(url, params={"as_of": "2023-12-31"})).json()
    assert rated["grade"] == "3A"
    expired = (await api.get(url, params={"as_of": "2024-12-31"})).json()
    assert expired["grade"] is None and expired["rating"]["grade"] == "3A"
    now = await api.get(url)
    assert now.json()["status"] == "in_liquidation" and "etag" in now.headers
    past = await api.get(url, params={"as_of": "2019-12-31"})
    is_problem(past, 404, "organization-not-found")
