"""Plain input at the edges is a clear 4xx problem, never a 500: dates after today."""

from __future__ import annotations

import httpx

from tests.integration.registry.builders import is_problem, registered


async def test_as_of_after_today_is_a_422(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    url = f"/v1/organizations/{org['id']}"
    body = is_problem(await api.get(url, params={"as_of": "9999-12-31"}), 422, "as-of-in-future")
    assert "9999-12-31" in body["detail"] and body["today"] == "2025-06-15"
    is_problem(await api.get(url, params={"as_of": "2025-06-16"}), 422, "as-of-in-future")
    assert (await api.get(url, params={"as_of": "2025-06-15"})).json()["name"] == org["name"]
