"""Bounded bodies: a request the schemas accept makes an event the store takes, and one that
would make a larger event is refused with nothing written (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.registry.app.types import MAX_FIGURES
from services.registry.main import create_app
from shared.clock import FixedClock
from tests.integration.registry.builders import organization
from tests.integration.registry.conftest import DEV, registry_settings
from tests.integration.servers import serve


async def registered(api: httpx.AsyncClient) -> str:
    r = await api.post("/v1/organizations", json=organization())
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def figures(n: int) -> dict[str, float]:
    """`n` figures as large as the schema takes: 100-character names, 24-character amounts."""
    return {f"{i:06d}" + "资" * 94: -1.2345678901234567e-300 for i in range(n)}


async def test_a_report_of_11000_figures_is_refused_and_nothing_written(
    api: httpx.AsyncClient,
) -> None:
    org = await registered(api)
    body = {"year": 2024, "figures": {f"项目{i}": float(i) for i in range(11_000)}}
    r = await api.post(f"/v1/organizations/{org}/annual-reports", json=body)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["type"] == "urn:socorg:problem:validation"
    assert "figures" in problem["detail"] and str(MAX_FIGURES) in problem["detail"]
    history = (await api.get(f"/v1/organizations/{org}/history")).json()["items"]
    assert [e["type"] for e in history] == ["organization_registered"]


async def test_the_largest_report_the_schema_takes_is_stored(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    body = {"year": 2024, "figures": figures(MAX_FIGURES)}
    r = await api.post(f"/v1/organizations/{org}/annual-reports", json=body)
    assert r.status_code == 201, r.text


@pytest.fixture
async def small_events(registry_url: str, clock: FixedClock) -> AsyncIterator[httpx.AsyncClient]:
    """The registry with events limited to 4 KiB."""
    settings = registry_settings(registry_url).model_copy(update={"event_max_bytes": 4096})
    async with serve(create_app(settings, clock=clock)) as url:
        async with httpx.AsyncClient(base_url=url, headers=DEV) as http:
            yield http


async def test_a_command_whose_event_is_over_the_limit_is_a_413_naming_it(
    small_events: httpx.AsyncClient,
) -> None:
    api = small_events
    org = await registered(api)
    body = {"year": 2024, "figures": figures(40)}
    r = await api.post(f"/v1/organizations/{org}/annual-reports", json=body)
    assert r.status_code == 413, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["type"] == "urn:socorg:problem:event-too-large"
    assert problem["limit_bytes"] == 4096 and problem["size_bytes"] > 4096
    assert "EVENT_MAX_BYTES" in problem["detail"] and "nothing was written" in problem["detail"]
    read = (await api.get(f"/v1/organizations/{org}")).json()
    assert read["version"] == 1 and read["annual_reports"] == []
    r = await api.post(f"/v1/organizations/{org}/annual-reports", json={"year": 2024})
    assert r.status_code == 201, r.text


async def test_a_body_over_1_mib_is_a_413_however_it_is_sent(api: httpx.AsyncClient) -> None:
    org = await registered(api)
    padding = " " * (1024 * 1024)  # whitespace: valid JSON, and no field over its bound
    body = ('{"year": 2024,' + padding + '"figures": {}}').encode()

    async def chunked() -> AsyncIterator[bytes]:
        for i in range(0, len(body), 64 * 1024):
            yield body[i : i + 64 * 1024]

    url = f"/v1/organizations/{org}/annual-reports"
    json_type = {"content-type": "application/json"}
    sent = [
        await api.post(url, content=body, headers=json_type),
        await api.post(url, content=chunked(), headers=json_type),
        await api.post(url, content=chunked(), headers={**json_type, "Idempotency-Key": "k-1"}),
    ]
    for r in sent:
        assert r.status_code == 413, r.text
        problem = r.json()
        assert problem["type"].endswith("too-large") and "1024 KiB" in problem["detail"]
    history = (await api.get(f"/v1/organizations/{org}/history")).json()["items"]
    assert len(history) == 1
    small = body.replace(padding.encode(), b" ")
    assert (await api.post(url, content=small, headers=json_type)).status_code == 201


async def test_an_import_row_whose_event_is_over_the_limit_is_that_rows_error(
    small_events: httpx.AsyncClient,
) -> None:
    from tests.integration.registry.test_import_export import group, imported, ndjson

    long = group(1, business_scope="业" * 2000)  # 6 KB of event: over the 4 KiB limit
    summary, errors = await imported(small_events, ndjson(long, group(2)))
    assert (summary["created"], summary["failed"]) == (1, 1)
    [error] = errors
    assert error["problem"] == "event-too-large" and "4096 bytes" in error["detail"]
    r = await small_events.get(f"/v1/organizations/by-credit-code/{group(2)['credit_code']}")
    assert r.status_code == 200
