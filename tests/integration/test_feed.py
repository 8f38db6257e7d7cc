"""The HTTP event feed and its resumable SSE stream, over real HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.registry.settings import RegistrySettings
from shared import catalog
from shared.eventstore import EventMetadata, NewEvent
from shared.http.app import create_service_app
from shared.natsserver import free_port
from shared.settings import DEV_API_KEY
from tests.integration.servers import serve

META = EventMetadata(client="test")


@pytest.fixture
async def service(database_url: str) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    settings = RegistrySettings(
        database_url=database_url,
        nats_url=f"nats://127.0.0.1:{free_port()}",  # the feed needs no NATS
        relay_enabled=False,
        feed_heartbeat_seconds=0.2,
    )
    app = create_service_app(catalog.get("registry"), settings)
    async with (
        serve(app) as url,
        httpx.AsyncClient(base_url=url, headers={"X-API-Key": DEV_API_KEY}, timeout=10) as http,
    ):
        yield app, http


async def append(app: FastAPI, n: int, tag: str, division: str = "420106") -> None:
    for i in range(n):
        await app.state.platform.store.append(
            f"{tag}-{i}",
            0,
            [NewEvent("registration_changed", {"i": i})],
            metadata=META,
            division=division,
        )


async def test_pages_through_every_event_after_a_position(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, http = service
    await append(app, 5, "a")
    first = (await http.get("/v1/events", params={"limit": 3})).json()
    assert [e["position"] for e in first["events"]] == [1, 2, 3]
    assert first["head"] == 5 and first["next_after"] == 3
    rest = (await http.get("/v1/events", params={"after": 3})).json()
    assert [e["position"] for e in rest["events"]] == [4, 5]
    assert rest["events"][0]["specversion"] == "1.0"
    empty = (await http.get("/v1/events", params={"after": 5})).json()
    assert empty["events"] == [] and empty["next_after"] == 5


async def test_the_feed_filters_by_place_prefix(service: tuple[FastAPI, httpx.AsyncClient]) -> None:
    app, http = service
    await append(app, 2, "wuhan", "420106")
    await append(app, 2, "ningbo", "330203")
    wuhan = (await http.get("/v1/events", params={"place": "4201"})).json()
    assert {e["division"] for e in wuhan["events"]} == {"420106"}
    bad = await http.get("/v1/events", params={"place": "4"})
    assert bad.status_code == 422


async def test_future_and_unknown_positions_are_clear_errors(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, http = service
    await append(app, 2, "a")
    ahead = await http.get("/v1/events", params={"after": 99})
    assert ahead.status_code == 409 and "past the newest position 2" in ahead.json()["detail"]
    stream = await http.get("/v1/events/stream", params={"after": 99})
    assert stream.status_code == 409
    assert (await http.get("/v1/events", params={"after": -1})).status_code == 422
    bad_id = await http.get("/v1/events/stream", headers={"Last-Event-ID": "abc"})
    assert bad_id.status_code == 400


async def read_sse(
    http: httpx.AsyncClient, want: int, headers: dict[str, str] | None = None, **params: Any
) -> tuple[list[dict[str, Any]], int]:
    """Events until `want` arrived; also how many heartbeats were seen."""
    got: list[dict[str, Any]] = []
    heartbeats = 0
    async with http.stream("GET", "/v1/events/stream", params=params, headers=headers) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        async for line in r.aiter_lines():
            if line == ": heartbeat":
                heartbeats += 1
            if line.startswith("data: "):
                got.append(json.loads(line[6:]))
            if len(got) >= want and heartbeats:
                break
    return got, heartbeats


async def test_the_stream_resumes_after_the_last_position_seen_exactly_once(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, http = service
    await append(app, 3, "a")
    first, heartbeats = await asyncio.wait_for(read_sse(http, 3), 10)
    assert [e["position"] for e in first] == [1, 2, 3] and heartbeats >= 1

    later = asyncio.create_task(append(app, 4, "b"))
    resumed, _ = await asyncio.wait_for(
        read_sse(http, 4, headers={"Last-Event-ID": str(first[-1]["position"])}), 10
    )
    await later
    assert [e["position"] for e in resumed] == [4, 5, 6, 7]
    again, _ = await asyncio.wait_for(read_sse(http, 2, after=5), 10)
    assert [e["position"] for e in again] == [6, 7]
