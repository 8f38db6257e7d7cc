"""The evaluation: eligibility of one organization at the national register's size, over
HTTP, and the close of a round of many applications (each re-checked).

- eligibility: `GET /v1/eligibility/{id}?on=ON_DAY` on the evaluation service (`python -m
  shared.cli serve evaluation`, development mode, its own database holding the projection of
  the whole national register, bench/projections.py), organizations drawn at random (seeded)
  from the projection, one request at a time from an aiohttp session (`lean_session`) after
  WARMUP requests for other organizations
  (the server's statements prepared, its pool's connections open), once the filled database
  is vacuumed and analysed and PostgreSQL has settled (bench/services.py);
- round close: a round of the registration authority that registered the most organizations,
  announced through the workflow's handlers (services/evaluation/app/round_handlers.py) on
  OPEN_DAY; its applications, organizations of that authority drawn at random (seeded) among
  those not ended, written by the handlers' own unit of work (`_commit`, 1,000 a unit; the
  check at submission is left out: the close checks every one again); then
  `WorkflowHandlers.round(CloseRound)` on CLOSE_DAY, timed from the call until it returns:
  every application loaded, its organization's record read and judged, the round's event
  and each application's re-check recorded.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import psycopg

from bench.common import conninfo, pg_url
from bench.registry import Latencies, lean_session, serve
from services.evaluation.adapters.registry_http import HttpxRegistry
from services.evaluation.app import round_commands as rc
from services.evaluation.app.round_handlers import application_id
from services.evaluation.app.views import Actor
from services.evaluation.bootstrap import bootstrap, projection
from services.evaluation.consumers.registry import RegistryProjection
from services.evaluation.domain.application import Application
from services.evaluation.settings import EvaluationSettings
from shared import natsserver
from shared.clock import FixedClock
from shared.contracts.evaluation import ApplicationSubmitted
from shared.db import make_async_engine
from shared.eventstore.model import DEFAULT_MAX_EVENT_BYTES, EventMetadata
from shared.eventstore.sql import SqlEventStore

ON_DAY = date(2025, 6, 1)  # the national demo's facts run to 31 May 2025
OPEN_DAY, CLOSES_ON, CLOSE_DAY = date(2025, 5, 1), date(2025, 5, 31), date(2025, 6, 1)
UNIT = 1000  # applications written per unit of work while the round is prepared
SEED = 13
WARMUP = 20  # requests before the measured ones, for organizations not among them


def evaluation_projection() -> RegistryProjection:
    return projection(DEFAULT_MAX_EVENT_BYTES)


def sample(db: str, n: int, seed: int = SEED) -> list[str]:
    """`n` organizations of the projection, at random (seeded), and WARMUP others after them."""
    with psycopg.connect(conninfo(db)) as conn:
        ids = [r[0] for r in conn.execute("SELECT organization_id FROM evaluation_organizations")]
    ids.sort()
    return random.Random(seed).sample(ids, min(n + WARMUP, len(ids)))


@contextmanager
def evaluation_server(db: str, nats_url: str) -> Iterator[str]:
    port = natsserver.free_port()
    env = {
        "SOCORG_EVALUATION_MODE": "development",
        "SOCORG_EVALUATION_DATABASE_URL": pg_url(db),
        "SOCORG_EVALUATION_NATS_URL": nats_url,
        "SOCORG_EVALUATION_HOST": "127.0.0.1",
        "SOCORG_EVALUATION_PORT": str(port),
        "SOCORG_EVALUATION_EXPIRY_SCAN_ENABLED": "false",
        "SOCORG_EVALUATION_REGISTRY_SENDER_ENABLED": "false",
    }
    cmd = [sys.executable, "-m", "shared.cli", "serve", "evaluation"]
    with serve("evaluation", cmd, env, port) as url:
        yield url


async def eligibility(url: str, ids: list[str], count: int, rounds: int = 1) -> Latencies:
    """`ids` (their last WARMUP for the warm-up) asked one at a time, in `rounds` rounds of
    equal size back to back; each round's p99 goes in `extra["round_p99_ms"]`."""
    latencies: list[float] = []
    eligible = 0
    async with lean_session(url) as http:
        warm, ids = ids[-WARMUP:], ids[:-WARMUP]
        for i, org in enumerate(warm + ids):
            start = time.perf_counter()
            path = f"/v1/eligibility/{org}"
            async with http.get(path, params={"on": ON_DAY.isoformat()}) as r:
                body = await r.read()
            took = time.perf_counter() - start
            if r.status != 200:
                raise RuntimeError(f"GET {path}: {r.status} {body[:300]!r}")
            if i >= len(warm):
                latencies.append(took)
                eligible += bool(json.loads(body).get("eligible"))
    size = len(latencies) // rounds
    each = [
        Latencies("round", size, 0.0, latencies[k * size : (k + 1) * size]) for k in range(rounds)
    ]
    return Latencies(
        "GET /v1/eligibility/{id}",
        len(ids),
        sum(latencies),
        latencies,
        note=f"one organization's eligibility on {ON_DAY} (every rule, the facts behind each "
        f"refusal), one request at a time, random organizations of {count:,}, in {rounds} "
        f"rounds of {size}",
        extra={
            "organizations_count": count,
            "eligible": eligible,
            "round_p99_ms": [round(r.p99_ms, 2) for r in each],
        },
    )


def _authority(db: str) -> tuple[str, list[str]]:
    """The authority that registered the most organizations, and those of them not ended."""
    with psycopg.connect(conninfo(db)) as conn:
        row = conn.execute(
            "SELECT registration_authority FROM evaluation_organizations "
            "WHERE registration_authority IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        assert row is not None, "no organization with a registration authority"
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT organization_id FROM evaluation_organizations "
                "WHERE registration_authority = %s AND ended_on IS NULL AND revoked_on IS NULL "
                "ORDER BY organization_id",
                (row[0],),
            )
        ]
    return str(row[0]), ids


async def round_close(db: str, applications: int) -> Latencies:
    """Announce a round, write its applications, close it (the figure)."""
    authority, ids = _authority(db)
    chosen = random.Random(SEED).sample(ids, min(applications, len(ids)))
    store = SqlEventStore(make_async_engine(pg_url(db)))
    settings = EvaluationSettings(database_url=pg_url(db))
    registry = HttpxRegistry("http://127.0.0.1:9", "unused", timeout=1)  # nothing is sent

    def handlers(day: date) -> Any:
        return bootstrap(
            store=store,
            switches=settings.switches(),
            clock=FixedClock(day),
            defaults=settings.defaults(),
            registry=registry,
        ).workflow

    actor = Actor(EventMetadata(client="bench", actor="round close"), lambda place: True)
    try:
        opening = handlers(OPEN_DAY)
        announced = await opening.round(
            rc.AnnounceRound(
                authority=authority, title="bench", opens_on=OPEN_DAY, closes_on=CLOSES_ON
            ),
            actor,
        )
        for i in range(0, len(chosen), UNIT):
            changes = []
            for org in chosen[i : i + UNIT]:
                event = ApplicationSubmitted(
                    application_id=application_id(announced.round_id, org),
                    round_id=announced.round_id,
                    organization_id=org,
                    submitted_on=OPEN_DAY,
                    authority=authority,
                )
                changes.append((None, Application(event), event))
            await opening._commit(actor, announced, changes)
        closing = handlers(CLOSE_DAY)
        started = time.perf_counter()
        closed = await closing.round(rc.CloseRound(round_id=announced.round_id), actor)
        seconds = time.perf_counter() - started
    finally:
        await store.engine.dispose()
    assert closed.closed is not None
    return Latencies(
        "WorkflowHandlers.round(CloseRound)",
        len(chosen),
        seconds,
        [seconds],
        note=f"a round of {len(chosen):,} applications of authority {authority} closed on "
        f"{CLOSE_DAY}, each application's organization re-checked",
        extra={
            "applications": len(chosen),
            "admitted": closed.closed.admitted,
            "excluded": closed.closed.excluded,
            "authority": authority,
        },
    )
