"""What the idempotency layer keeps: nothing for a caller without a valid key or scope, and
no row past its time to live once the service's sweep has run (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry.settings import RegistrySettings
from shared import catalog
from shared.http.app import create_service_app
from shared.http.keys import KeyStore, hash_key
from shared.tables import idempotency_keys
from tests.conftest import NatsServer
from tests.integration.servers import serve
from tests.integration.test_http_platform import DEV, demo_router


async def stored(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.execute(select(idempotency_keys.c.key))).scalars())


def app_on(database_url: str, nats_url: str, sweep_every: float = 3600.0) -> FastAPI:
    config = RegistrySettings(
        database_url=database_url, nats_url=nats_url, idempotency_sweep_seconds=sweep_every
    )
    return create_service_app(
        replace(catalog.get("registry"), stream=None), config, routers=[demo_router()]
    )


async def test_requests_without_a_valid_key_store_no_idempotency_row(
    database_url: str,
    nats_server: NatsServer,
    engine: AsyncEngine,
) -> None:
    _, read_key = await KeyStore(engine).create(name="reader", scopes=["registry:read"])
    async with (
        serve(app_on(database_url, nats_server.url)) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        for i in range(20):
            r = await http.post(
                "/v1/things", json={"name": "x", "count": 1}, headers={"Idempotency-Key": f"a{i}"}
            )
            assert r.status_code == 401
        unknown = {"X-API-Key": "sok_unknown", "Idempotency-Key": "b"}
        assert (await http.post("/v1/things", json={}, headers=unknown)).status_code == 401
        unscoped = {"X-API-Key": read_key, "Idempotency-Key": "c"}
        body = {"name": "x", "count": 1}
        assert (await http.post("/v1/things", json=body, headers=unscoped)).status_code == 403
        assert await stored(engine) == []
        # a valid key's request is kept as before
        allowed = {**DEV, "Idempotency-Key": "d"}
        assert (await http.post("/v1/things", json=body, headers=allowed)).status_code == 201
        assert await stored(engine) == ["d"]
        replay = await http.post("/v1/things", json=body, headers=allowed)
        assert replay.headers["idempotent-replayed"] == "true"


async def test_expired_idempotency_keys_are_swept_on_a_schedule(
    database_url: str,
    nats_server: NatsServer,
    engine: AsyncEngine,
) -> None:
    now = datetime.now(UTC)
    row = {"client": "c", "request_hash": "h", "status": 201, "headers": {}, "body": "{}"}
    async with engine.begin() as conn:
        await conn.execute(
            insert(idempotency_keys),
            [
                {**row, "key": "old", "created_at": now - timedelta(hours=25)},
                {**row, "key": "fresh", "created_at": now - timedelta(hours=23)},
                # a bare claim its killed request never forgot: past the claim timeout
                {
                    **row,
                    "status": None,
                    "headers": None,
                    "body": None,
                    "key": "dead",
                    "created_at": now - timedelta(minutes=2),
                },
            ],
        )
    app = app_on(database_url, nats_server.url, sweep_every=0.05)
    async with serve(app):
        for _ in range(200):  # the sweep runs at start, then every 50 ms
            if await stored(engine) == ["fresh"]:
                break
            await asyncio.sleep(0.05)
        assert await stored(engine) == ["fresh"]
        # rows expiring while the service runs go at a later sweep, not only at start
        async with engine.begin() as conn:
            await conn.execute(
                insert(idempotency_keys).values(
                    **row, key="later", created_at=now - timedelta(hours=30)
                )
            )
        for _ in range(200):
            if "later" not in await stored(engine):
                break
            await asyncio.sleep(0.05)
        assert await stored(engine) == ["fresh"]


async def test_a_claim_left_by_a_killed_request_is_taken_over_once_stale(
    database_url: str,
    nats_server: NatsServer,
    engine: AsyncEngine,
) -> None:
    """A process killed mid-request leaves its key claimed with no response and no write: a
    retry within the claim timeout is told the request is running (409); once the claim is
    older than the timeout, the retry performs the write and its answer is kept."""
    body = b'{"name":"x","count":1}'
    digest = hashlib.sha256(b"POST /v1/things\n" + body).hexdigest()
    now = datetime.now(UTC)
    claim = {"client": hash_key(DEV["Authorization"]), "request_hash": digest}
    async with engine.begin() as conn:
        await conn.execute(
            insert(idempotency_keys),
            [
                {**claim, "key": "fresh", "created_at": now - timedelta(seconds=10)},
                {**claim, "key": "stale", "created_at": now - timedelta(seconds=90)},
            ],
        )
    headers = {**DEV, "Content-Type": "application/json"}
    async with (
        serve(app_on(database_url, nats_server.url)) as url,
        httpx.AsyncClient(base_url=url, headers=headers) as http,
    ):
        running = await http.post("/v1/things", content=body, headers={"Idempotency-Key": "fresh"})
        assert running.status_code == 409, running.text
        assert running.json()["type"] == "urn:socorg:problem:idempotency-in-progress"
        taken = await http.post("/v1/things", content=body, headers={"Idempotency-Key": "stale"})
        assert taken.status_code == 201, taken.text
        again = await http.post("/v1/things", content=body, headers={"Idempotency-Key": "stale"})
        assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
        assert again.json() == taken.json()
    async with engine.connect() as conn:
        rows = await conn.execute(select(idempotency_keys.c.key, idempotency_keys.c.status))
        assert {key: status for key, status in rows} == {"fresh": None, "stale": 201}
