"""The HTTP pieces every service shares, over real HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from services.registry.settings import RegistrySettings
from shared import catalog
from shared.db import make_async_engine
from shared.http.app import create_service_app
from shared.http.auth import require
from shared.http.keys import Client, KeyStore
from shared.natsserver import free_port
from shared.settings import DEV_API_KEY
from tests.integration.servers import serve

calls: list[str] = []


class ThingCreate(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    count: int = Field(ge=0)


def demo_router() -> APIRouter:
    router = APIRouter(prefix="/v1/things")

    @router.post("", status_code=201)
    async def create(
        body: ThingCreate, client: Annotated[Client, Depends(require("registry:write"))]
    ) -> dict[str, object]:
        calls.append(body.name)
        return {"n": len(calls), "name": body.name, "by": client.name}

    @router.get("")
    async def read(client: Annotated[Client, Depends(require("registry:read"))]) -> list[str]:
        return calls

    return router


@pytest.fixture
async def base(database_url: str, nats_server) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    calls.clear()
    settings = RegistrySettings(database_url=database_url, nats_url=nats_server.url)
    app = create_service_app(catalog.get("registry"), settings, routers=[demo_router()])
    async with serve(app) as url:
        yield url


@pytest.fixture
async def keys(database_url: str) -> AsyncIterator[KeyStore]:
    engine = make_async_engine(database_url)
    yield KeyStore(engine)
    await engine.dispose()


DEV = {"Authorization": f"Bearer {DEV_API_KEY}"}


def is_problem(r: httpx.Response, status: int) -> dict[str, object]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["type"].startswith("urn:socorg:problem:")
    assert body["detail"]
    return body  # type: ignore[no-any-return]


async def test_health_ready_metrics_openapi_asyncapi(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as http:
        assert (await http.get("/healthz")).json()["status"] == "ok"
        for _ in range(50):
            r = await http.get("/readyz")
            if r.status_code == 200:
                break
            await asyncio.sleep(0.1)
        assert r.json()["checks"]["database"]["ok"] and r.json()["checks"]["nats"]["ok"]
        assert "socorg_http_requests_total" in (await http.get("/metrics")).text
        assert (await http.get("/openapi.json")).json()["info"]["title"] == "socorg registry"
        assert (await http.get("/asyncapi.json")).json()["asyncapi"] == "3.0.0"


async def test_readyz_is_503_while_nats_is_down(database_url: str) -> None:
    settings = RegistrySettings(
        database_url=database_url, nats_url=f"nats://127.0.0.1:{free_port()}"
    )
    app = create_service_app(replace(catalog.get("registry"), stream=None), settings)
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as http:
        body = is_problem(await http.get("/readyz"), 503)
        assert body["checks"]["nats"]["ok"] is False  # type: ignore[index]
        assert "nats" in str(body["detail"])


async def test_requests_without_a_key_are_401_problems(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as http:
        r = await http.get("/v1/things")
        assert "API key" in str(is_problem(r, 401)["detail"])
        assert r.headers["www-authenticate"] == "Bearer"
        is_problem(await http.get("/v1/things", headers={"X-API-Key": "sok_nope"}), 401)


async def test_the_development_key_works_in_development_mode(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as http:
        assert (await http.get("/v1/things", headers=DEV)).status_code == 200


async def test_a_created_key_has_its_scopes_and_a_revoked_key_none(
    base: str, keys: KeyStore
) -> None:
    rec, raw = await keys.create(name="武昌区民政局", scopes=["registry:read"], place="420106")
    h = {"Authorization": f"Bearer {raw}"}
    async with httpx.AsyncClient(base_url=base) as http:
        assert (await http.get("/v1/things", headers=h)).status_code == 200
        body = is_problem(
            await http.post("/v1/things", json={"name": "a", "count": 1}, headers=h), 403
        )
        assert body["required_scope"] == "registry:write"
        assert await keys.revoke(rec.id)
        is_problem(await http.get("/v1/things", headers=h), 401)
    assert not await keys.revoke(rec.id)


async def test_keys_are_stored_hashed(keys: KeyStore, database_url: str) -> None:
    _, raw = await keys.create(name="x", scopes=["registry:read"])
    from sqlalchemy import select

    from shared.tables import api_keys

    async with keys.engine.connect() as conn:
        stored = [tuple(r) for r in (await conn.execute(select(api_keys))).all()]
    assert raw not in repr(stored)


async def test_bad_key_parameters_are_refused(keys: KeyStore) -> None:
    with pytest.raises(ValueError, match="scope"):
        await keys.create(name="x", scopes=[])
    with pytest.raises(ValueError, match="place"):
        await keys.create(name="x", scopes=["registry:read"], place="42")


async def test_validation_errors_are_problems_that_name_the_field(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, headers=DEV) as http:
        body = is_problem(await http.post("/v1/things", json={"name": "", "count": -1}), 422)
        locations = {e["location"] for e in body["errors"]}  # type: ignore[attr-defined]
        assert locations == {"body.name", "body.count"}
        assert "body.name" in str(body["detail"])
        is_problem(
            await http.post(
                "/v1/things", content=b"{not json", headers={"content-type": "application/json"}
            ),
            422,
        )
        is_problem(
            await http.post(
                "/v1/things", content=b"\xff\xfe", headers={"content-type": "application/json"}
            ),
            422,
        )
        is_problem(await http.post("/v1/things", json={"name": "x", "count": "many"}), 422)
    assert calls == []


async def test_unknown_paths_and_methods_are_problems(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as http:
        is_problem(await http.get("/v1/nothing"), 404)
        is_problem(await http.delete("/healthz"), 405)


async def test_idempotency_key_replays_the_stored_response(base: str) -> None:
    h = {**DEV, "Idempotency-Key": "k-1"}
    async with httpx.AsyncClient(base_url=base) as http:
        first = await http.post("/v1/things", json={"name": "甲", "count": 1}, headers=h)
        again = await http.post("/v1/things", json={"name": "甲", "count": 1}, headers=h)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert calls == ["甲"]


async def test_idempotency_key_with_another_body_is_422(base: str) -> None:
    h = {**DEV, "Idempotency-Key": "k-2"}
    async with httpx.AsyncClient(base_url=base) as http:
        await http.post("/v1/things", json={"name": "a", "count": 1}, headers=h)
        body = is_problem(
            await http.post("/v1/things", json={"name": "b", "count": 1}, headers=h), 422
        )
    assert body["type"] == "urn:socorg:problem:idempotency-key-reused"
    assert calls == ["a"]


async def test_without_idempotency_key_each_post_runs(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, headers=DEV) as http:
        await http.post("/v1/things", json={"name": "a", "count": 1})
        await http.post("/v1/things", json={"name": "a", "count": 1})
    assert calls == ["a", "a"]


async def test_concurrent_retries_with_one_key_run_the_request_once(base: str) -> None:
    h = {**DEV, "Idempotency-Key": "k-3"}
    async with httpx.AsyncClient(base_url=base) as http:
        rs = await asyncio.gather(
            *(http.post("/v1/things", json={"name": "c", "count": 1}, headers=h) for _ in range(5))
        )
    assert calls == ["c"]
    assert {r.status_code for r in rs} <= {201, 409}


async def test_request_id_is_echoed_and_logged_as_json(
    base: str, caplog: pytest.LogCaptureFixture
) -> None:
    from shared.logs import JsonFormatter

    caplog.set_level(logging.INFO, logger="socorg.access")
    async with httpx.AsyncClient(base_url=base) as http:
        r = await http.get("/healthz", headers={"X-Request-ID": "req-42"})
    assert r.headers["x-request-id"] == "req-42"
    records = [rec for rec in caplog.records if rec.name == "socorg.access"]
    line = json.loads(JsonFormatter("registry").format(records[-1]))
    assert line["status"] == 200 and line["service"] == "registry"


async def test_idempotency_key_on_a_body_past_the_limit_is_refused_clearly(base: str) -> None:
    from shared.http.idempotency import MAX_BODY

    h = {**DEV, "Idempotency-Key": "k-big", "content-type": "application/json"}
    big = b'{"name": "x", "count": 1, "pad": "' + b"a" * MAX_BODY + b'"}'
    async with httpx.AsyncClient(base_url=base) as http:
        body = is_problem(await http.post("/v1/things", content=big, headers=h), 413)
    assert "without it" in str(body["detail"])
    assert calls == []
