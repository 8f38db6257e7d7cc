"""Odd bytes in headers and queries are 4xx problems, never 500s (real HTTP, both databases)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.registry.settings import RegistrySettings
from shared import catalog
from shared.http.app import create_service_app
from shared.natsserver import free_port
from shared.settings import DEV_API_KEY
from tests.integration.servers import serve


@pytest.fixture
async def http(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = RegistrySettings(
        database_url=database_url,
        nats_url=f"nats://127.0.0.1:{free_port()}",
        relay_enabled=False,
    )
    app = create_service_app(catalog.get("registry"), settings)
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        yield client


def problem(r: httpx.Response, status: int, slug: str) -> dict[str, object]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = r.json()
    assert body["type"] == f"urn:socorg:problem:{slug}" and body["detail"]
    return body


# Header bytes reach the app decoded as Latin-1: b"\xe9" is "é", b"\xb2" is "²".
@pytest.mark.parametrize(
    "headers",
    [
        {b"X-API-Key": b"sok_\xe9t\xe9"},
        {b"Authorization": b"Bearer sok_\xe9t\xe9"},
        {b"Authorization": b"Bearer \xff\xfe"},
        {b"X-API-Key": DEV_API_KEY.encode() + b"\xe9"},
    ],
)
async def test_a_key_with_a_non_ascii_byte_is_a_401(
    http: httpx.AsyncClient, headers: dict[bytes, bytes]
) -> None:
    r = await http.get("/v1/events", headers=headers)
    problem(r, 401, "unknown-key")
    assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("value", [b"\xb2", b"1\xb2", b"abc", b"-1", b"9" * 5000])
async def test_a_last_event_id_that_is_no_position_is_a_400(
    http: httpx.AsyncClient, value: bytes
) -> None:
    r = await http.get(
        "/v1/events/stream", headers={b"X-API-Key": DEV_API_KEY.encode(), b"Last-Event-ID": value}
    )
    problem(r, 400, "bad-last-event-id")


async def test_a_place_of_non_ascii_digits_is_refused(http: httpx.AsyncClient) -> None:
    r = await http.get("/v1/events", params={"place": "٤٢"}, headers={"X-API-Key": DEV_API_KEY})
    assert r.status_code == 422, r.text
