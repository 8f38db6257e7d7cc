"""Fixtures of the registry API tests: the service over real HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date

import httpx
import pytest
from sqlalchemy import create_engine, text

from services.registry.main import create_app
from services.registry.settings import RegistrySettings
from shared.clock import FixedClock
from shared.db import is_sqlite, make_async_engine
from shared.http.keys import KeyStore
from shared.natsserver import free_port
from shared.settings import DEV_API_KEY
from tests.integration.servers import serve

TODAY = date(2025, 6, 15)
DEV = {"Authorization": f"Bearer {DEV_API_KEY}"}
MakeClient = Callable[..., Awaitable[httpx.AsyncClient]]


def registry_settings(database_url: str) -> RegistrySettings:
    # No relay: these tests are about the API; the relay has its own tests with a nats-server.
    return RegistrySettings(
        database_url=database_url,
        nats_url=f"nats://127.0.0.1:{free_port()}",
        relay_enabled=False,
    )


@pytest.fixture
def registry_url(database_url: str) -> str:
    """The test database with the registry's read model emptied too (PostgreSQL is reused)."""
    if not is_sqlite(database_url):
        engine = create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE organizations, annual_reports"))
        engine.dispose()
    return database_url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture
async def base(registry_url: str, clock: FixedClock) -> AsyncIterator[str]:
    app = create_app(registry_settings(registry_url), clock=clock)
    async with serve(app) as url:
        yield url


@pytest.fixture
async def api(base: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client with the development key (every scope, every place)."""
    async with httpx.AsyncClient(base_url=base, headers=DEV) as http:
        yield http


@pytest.fixture
async def client_with(base: str, registry_url: str) -> AsyncIterator[MakeClient]:
    """Make an HTTP client holding a real key with the given scopes and place."""
    engine = make_async_engine(registry_url)
    keys = KeyStore(engine)
    opened: list[httpx.AsyncClient] = []

    async def make(
        *scopes: str, place: str | None = None, name: str = "测试系统"
    ) -> httpx.AsyncClient:
        _, raw = await keys.create(name=name, scopes=scopes, place=place)
        http = httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {raw}"})
        opened.append(http)
        return http

    yield make
    for http in opened:
        await http.aclose()
    await engine.dispose()
