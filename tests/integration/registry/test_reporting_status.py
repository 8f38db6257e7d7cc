"""Annual-report standing over the API: on the organization's answer (now and as of a date),
and the `overdue_years` search, on SQLite and PostgreSQL; the deadlines are settings."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.registry.main import create_app
from shared.clock import FixedClock
from tests.integration.registry.builders import code, filed, registered
from tests.integration.registry.conftest import DEV, TODAY, registry_settings
from tests.integration.servers import serve


async def report(api: httpx.AsyncClient, oid: str, year: int, on: str) -> None:
    r = await api.post(
        f"/v1/organizations/{oid}/annual-reports", json={"year": year, "submitted_on": on}
    )
    assert r.status_code == 201, r.text


async def a_register(api: httpx.AsyncClient) -> dict[str, str]:
    """Today is 2025-06-15: the deadlines of 2024 (31 May, 31 March) have passed."""
    ids = {
        "diligent": (await registered(api, 0))["id"],
        "silent": (await registered(api, 1, credit_code=code("1", 1)))["id"],
        "late": (await registered(api, 2, credit_code=code("1", 2), registered_on="2022-03-01"))[
            "id"
        ],
        "charity": (
            await registered(
                api,
                3,
                credit_code=code("3", 3),
                kind="foundation",
                category="公益慈善类",
                registered_on="2023-01-01",
            )
        )["id"],
        "revoked": (await registered(api, 4, credit_code=code("1", 4)))["id"],
        "filed": (await filed(api, 0))["id"],
    }
    for year in range(2020, 2025):
        await report(api, ids["diligent"], year, f"{year + 1}-05-01")
    await report(api, ids["late"], 2022, "2023-07-01")
    await report(api, ids["late"], 2024, "2025-05-20")
    r = await api.post(  # acts are recorded in date order: the recognition before the report
        f"/v1/organizations/{ids['charity']}/charity-recognition",
        json={"recognised_on": "2024-02-01"},
    )
    assert r.status_code == 201, r.text
    await report(api, ids["charity"], 2023, "2024-03-01")
    r = await api.post(
        f"/v1/organizations/{ids['revoked']}/registration-revocation",
        json={"revoked_on": "2023-01-10", "reason": "连续两年未参加年检"},
    )
    assert r.status_code == 201, r.text
    return ids


async def overdue(api: httpx.AsyncClient, n: int) -> set[str]:
    r = await api.get("/v1/organizations", params={"overdue_years": n})
    assert r.status_code == 200, r.text
    return {i["id"] for i in r.json()["items"]}


async def test_the_answer_says_which_years_were_required_filed_and_overdue(
    api: httpx.AsyncClient,
) -> None:
    ids = await a_register(api)
    r = await api.get(f"/v1/organizations/{ids['late']}")
    assert r.json()["reporting"] == {
        "as_of": "2025-06-15",
        "required_years": [2022, 2023, 2024],
        "filed_on_time": [2024],
        "filed_late": [2022],
        "overdue_years": [2023],
    }
    r = await api.get(f"/v1/organizations/{ids['late']}", params={"as_of": "2023-06-15"})
    standing = r.json()["reporting"]
    assert standing["required_years"] == [2022] and standing["overdue_years"] == [2022]
    charity = (await api.get(f"/v1/organizations/{ids['charity']}")).json()["reporting"]
    assert charity["overdue_years"] == [2024]  # a charity since 2024: due 31 March 2025
    revoked = (await api.get(f"/v1/organizations/{ids['revoked']}")).json()["reporting"]
    assert revoked["required_years"] == [2020, 2021]  # 2022 fell due after the revocation
    assert (await api.get(f"/v1/organizations/{ids['filed']}")).json()["reporting"] is None


async def test_search_by_overdue_years(api: httpx.AsyncClient) -> None:
    ids = await a_register(api)
    assert await overdue(api, 1) == {ids[k] for k in ("silent", "late", "charity", "revoked")}
    assert await overdue(api, 2) == {ids["silent"], ids["revoked"]}
    assert await overdue(api, 5) == {ids["silent"]}
    assert await overdue(api, 6) == set()
    r = await api.get("/v1/organizations", params={"overdue_years": 0})
    assert r.status_code == 422


async def test_a_filed_late_report_clears_the_year(api: httpx.AsyncClient) -> None:
    ids = await a_register(api)
    await report(api, ids["late"], 2023, "2025-06-10")
    assert ids["late"] not in await overdue(api, 1)


@pytest.fixture
async def june_deadlines(registry_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A locality whose social groups report by 30 June."""
    settings = registry_settings(registry_url).model_copy(
        update={"report_deadline_social_group": "06-30"}
    )

    app = create_app(settings, clock=FixedClock(TODAY))
    async with serve(app) as url, httpx.AsyncClient(base_url=url, headers=DEV) as http:
        yield http


async def test_the_deadlines_are_the_localitys_settings(
    june_deadlines: httpx.AsyncClient,
) -> None:
    api = june_deadlines
    ids = await a_register(api)
    silent = (await api.get(f"/v1/organizations/{ids['silent']}")).json()["reporting"]
    assert silent["overdue_years"] == [2020, 2021, 2022, 2023]  # 2024 due on 30 June
    assert await overdue(api, 4) == {ids["silent"]}
    assert await overdue(api, 5) == set()
