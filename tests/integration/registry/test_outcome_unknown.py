"""A write whose connection dies at COMMIT (PostgreSQL): 503 `outcome-unknown`, and a retry
under the same Idempotency-Key answers what was stored, or performs what was not.

The fault is injected at the driver, where the unit of work commits: its pipelined COMMIT, or
the one statement that autocommits (a new organization's unit: its rows and its event). That
either goes through and then its backend is terminated before the reply is read (stored,
answer lost), or its backend is terminated first, so it meets a dead connection (not
stored)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import httpx
import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.integration.registry.builders import organization

pytestmark = pytest.mark.postgres
Moment = Literal["after", "before"]


@pytest.fixture
def database_url(pg_url: str) -> str:
    """These tests run on PostgreSQL alone: the pipelined COMMIT is PostgreSQL's."""
    return pg_url


class DyingCommit:
    """Arms the next commit of a unit of work (a pipelined COMMIT, or a statement that
    autocommits and takes the append lock) to lose its connection."""

    def __init__(self, url: str) -> None:
        self.dsn = make_url(url).set(drivername="postgresql").render_as_string(False)
        self.armed: Moment | None = None
        self.fired = 0

    async def terminate(self, pid: int) -> None:
        async with await psycopg.AsyncConnection.connect(self.dsn, autocommit=True) as admin:
            cur = await admin.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
            assert (await cur.fetchone()) == (True,)

    async def fire(self, conn: psycopg.AsyncConnection[Any], commit: Any) -> Any:
        moment = self.armed
        self.armed, self.fired = None, self.fired + 1
        if moment == "before":
            await self.terminate(conn.info.backend_pid)
            return await commit()  # fails for real: its server process is gone
        await commit()  # committed
        await self.terminate(conn.info.backend_pid)
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    def patch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_commit, real_execute = psycopg.AsyncConnection.commit, psycopg.AsyncConnection.execute

        async def commit(conn: psycopg.AsyncConnection[Any]) -> None:
            if self.armed is None or conn._pipeline is None:
                return await real_commit(conn)
            await self.fire(conn, lambda: real_commit(conn))

        async def execute(
            conn: psycopg.AsyncConnection[Any], query: Any, *a: Any, **kw: Any
        ) -> Any:
            committing = conn.autocommit and "pg_advisory_xact_lock" in str(query)
            if self.armed is None or not committing:
                return await real_execute(conn, query, *a, **kw)
            return await self.fire(conn, lambda: real_execute(conn, query, *a, **kw))

        monkeypatch.setattr(psycopg.AsyncConnection, "commit", commit)
        monkeypatch.setattr(psycopg.AsyncConnection, "execute", execute)


@pytest.fixture
def dying(registry_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[DyingCommit]:
    fault = DyingCommit(registry_url)
    fault.patch(monkeypatch)
    yield fault


def registrations(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM events WHERE type = 'organization_registered'"))
        count = int(n.scalar_one())
    engine.dispose()
    return count


def outcome_unknown(r: httpx.Response) -> None:
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["type"] == "urn:socorg:problem:outcome-unknown"
    assert "may or may not have been stored" in problem["detail"]
    assert "same Idempotency-Key" in problem["detail"]
    assert problem["request_id"] == r.headers["x-request-id"]
    assert r.headers["retry-after"]


async def test_a_registration_stored_as_its_connection_died_is_answered_on_retry(
    api: httpx.AsyncClient, dying: DyingCommit, registry_url: str
) -> None:
    body, key = organization(1), {"Idempotency-Key": "register-1"}
    before = registrations(registry_url)
    dying.armed = "after"
    outcome_unknown(await api.post("/v1/organizations", json=body, headers=key))
    assert dying.fired == 1
    assert registrations(registry_url) == before + 1  # it was stored

    retry = await api.post("/v1/organizations", json=body, headers=key)
    assert retry.status_code == 201, retry.text
    assert registrations(registry_url) == before + 1  # and not stored twice
    stored = await api.get(retry.headers["location"])
    assert stored.status_code == 200 and retry.json() == stored.json()
    assert retry.json()["credit_code"] == body["credit_code"]
    assert retry.headers["etag"] == stored.headers["etag"]

    again = await api.post("/v1/organizations", json=body, headers=key)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == retry.json()
    plain = await api.post("/v1/organizations", json=body)  # no key: a new registration
    assert plain.status_code == 409 and registrations(registry_url) == before + 1


async def test_a_registration_lost_with_its_connection_is_performed_on_retry(
    api: httpx.AsyncClient, dying: DyingCommit, registry_url: str
) -> None:
    body, key = organization(2), {"Idempotency-Key": "register-2"}
    before = registrations(registry_url)
    dying.armed = "before"
    outcome_unknown(await api.post("/v1/organizations", json=body, headers=key))
    assert dying.fired == 1
    assert registrations(registry_url) == before  # it was not stored

    retry = await api.post("/v1/organizations", json=body, headers=key)
    assert retry.status_code == 201, retry.text
    assert retry.headers.get("idempotent-replayed") is None
    assert registrations(registry_url) == before + 1
    stored = await api.get(retry.headers["location"])
    assert retry.json() == stored.json()


async def test_a_decision_stored_as_its_connection_died_is_answered_on_retry(
    api: httpx.AsyncClient, dying: DyingCommit
) -> None:
    created = await api.post("/v1/organizations", json=organization(3))
    assert created.status_code == 201
    where, etag = created.headers["location"], created.headers["etag"]
    disposal = {"due_on": "2025-09-30", "reason": "财务制度不健全"}
    headers = {"Idempotency-Key": "dispose-3", "If-Match": etag}
    dying.armed = "after"
    outcome_unknown(await api.post(f"{where}/disposals", json=disposal, headers=headers))
    # the If-Match the retry repeats is one version behind now: the stored write answers
    retry = await api.post(f"{where}/disposals", json=disposal, headers=headers)
    assert retry.status_code == 201, retry.text
    now = await api.get(where)
    assert now.json()["version"] == created.json()["version"] + 1  # decided once
    assert len(now.json()["disposals"]) == 1
    assert retry.json() == now.json() and retry.headers["etag"] == now.headers["etag"]
