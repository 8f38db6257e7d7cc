"""Registry writes under an Idempotency-Key (SQLite and PostgreSQL): the key's row says where
the write is, so a request whose answer was lost is answered again from what it stored."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import create_engine, select, text, update

from shared.tables import idempotency_keys as t
from tests.integration.registry.builders import organization


def events_of(url: str, stream: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        q = text("SELECT count(*) FROM events WHERE stream_id = :s")
        n = int(conn.execute(q, {"s": stream}).scalar_one())
    engine.dispose()
    return n


def unanswered(url: str, key: str) -> str:
    """The key's row as a request that wrote and then never answered leaves it (a 503, a
    crash): no response, the write's place kept. Returns what the row says was written."""
    engine = create_engine(url)
    with engine.begin() as conn:
        row = conn.execute(select(t).where(t.c.key == key)).one()
        assert row.status == 201  # answered and stored
        written = json.dumps({"written": {"stream": _stream(row.headers), "version": 1}})
        conn.execute(update(t).where(t.c.key == key).values(status=503, body=written))
    engine.dispose()
    return written


def _stream(headers: dict[str, str]) -> str:
    return "organization-" + headers["location"].rsplit("/", 1)[1]


async def test_a_registration_whose_answer_was_lost_is_answered_from_the_store(
    api: httpx.AsyncClient, registry_url: str
) -> None:
    body, key = organization(7), {"Idempotency-Key": "register-7"}
    first = await api.post("/v1/organizations", json=body, headers=key)
    assert first.status_code == 201, first.text
    stream = _stream(dict(first.headers))
    unanswered(registry_url, "register-7")

    retry = await api.post("/v1/organizations", json=body, headers=key)
    assert retry.status_code == 201, retry.text
    assert retry.headers.get("idempotent-replayed") is None  # answered anew, from the store
    assert retry.json() == first.json() and retry.headers["location"] == first.headers["location"]
    assert events_of(registry_url, stream) == 1
    replay = await api.post("/v1/organizations", json=body, headers=key)
    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == first.json()
