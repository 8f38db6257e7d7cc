"""Plain input at the edges is a clear 4xx problem, never a 500: dates the calendar ends on."""

from __future__ import annotations

import httpx

from tests.integration.registry.builders import is_problem, registered


async def test_as_of_the_last_day_of_the_calendar_is_a_422(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    url = f"/v1/organizations/{org['id']}"
    body = is_problem(await api.get(url, params={"as_of": "9999-12-31"}), 422, "date-out-of-range")
    assert "9999-12-31" in body["detail"]
    assert (await api.get(url, params={"as_of": "9999-12-30"})).status_code == 200
    assert (await api.get(url, params={"as_of": "2030-01-01"})).json()["name"] == org["name"]
