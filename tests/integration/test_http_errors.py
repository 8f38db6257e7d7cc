"""An unexpected error over real HTTP: a traceable 500 that keeps the connection open."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from fastapi import APIRouter

from services.registry.settings import RegistrySettings
from shared import catalog
from shared.http.app import create_service_app
from shared.logs import JsonFormatter
from tests.integration.servers import serve


def failing_router() -> APIRouter:
    router = APIRouter(prefix="/test")

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("the handler broke")

    @router.post("/boom")
    async def boom_post() -> None:
        raise RuntimeError("the handler broke while writing")

    @router.get("/fine")
    async def fine() -> dict[str, str]:
        return {"status": "fine"}

    return router


class Collect(logging.Handler):
    """Formats each record as the service's logs do, while the request's context is live."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter("registry"))
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
async def base(sqlite_url: str, nats_server) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    settings = RegistrySettings(database_url=sqlite_url, nats_url=nats_server.url)
    app = create_service_app(
        replace(catalog.get("registry"), stream=None), settings, routers=[failing_router()]
    )
    async with serve(app) as url:
        yield url


def local_port(r: httpx.Response) -> int:
    """The client side's port of the connection a response came on."""
    return int(r.extensions["network_stream"].get_extra_info("client_addr")[1])


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_500_keeps_the_connection_and_names_its_request_id(base: str, method: str) -> None:
    collect = Collect()
    logging.getLogger("socorg.http").addHandler(collect)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    try:
        async with httpx.AsyncClient(base_url=base, limits=limits) as http:
            headers = {"X-Request-ID": "trace-me-1", "Idempotency-Key": "k-1"}
            failed = await http.request(method, "/test/boom", headers=headers, json={})
            first = local_port(failed)
            after = await http.get("/test/fine")
            second = local_port(after)
    finally:
        logging.getLogger("socorg.http").removeHandler(collect)
    assert failed.status_code == 500
    assert failed.headers["content-type"].startswith("application/problem+json")
    body = failed.json()
    assert body["type"] == "urn:socorg:problem:internal"
    assert body["request_id"] == "trace-me-1" == failed.headers["x-request-id"]
    assert after.status_code == 200 and after.json() == {"status": "fine"}
    assert second == first, "the 500 closed the connection"
    [line] = [x for x in collect.lines if x["message"] == "unhandled error"]
    assert line["request_id"] == "trace-me-1"
    assert "RuntimeError: the handler broke" in str(line["exception"])
