"""The notifier: its zombie scan over the national register's projection, and the time from
a REGISTRY event to a webhook receiver's 2xx under a steady registry write load.

- scan: `Scanner.scan()` (services/notifier/app/scan.py: candidates and the no-report signal
  in SQL over the projection, the diff against the flags, the flag events recorded 500 a
  transaction) on SCAN_DAY over the projection of the whole national register
  (bench/projections.py fills it through the projection's own apply_batch); the first scan
  flags every candidate (`zombie_scan_s`, with the number flagged), a second one of the same
  day finds nothing to change (`zombie_rescan_s`, an extra figure);
- webhook: registry (its relay a process of its own) and notifier (`python -m shared.cli
  serve notifier`, development mode: a loopback receiver is allowed) as production runs
  them, each on a fresh database, one nats-server; organizations registered in 2019 with no
  report since, flagged by a scan of today; a receiver in the bench process (uvicorn, 204 at
  once) subscribed to `zombie_cleared`; then each flagged organization's late report is
  posted at a steady rate while registrations are posted at LOAD_RATE/s (open loop); each
  lag runs from the report's 201 (its event committed on the registry) to the moment the
  receiver got the notifier's `zombie_cleared` for that organization.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import date
from typing import Any

import httpx
import psycopg
import uvicorn
from fastapi import FastAPI, Request, Response

from bench.common import conninfo, pg_url
from bench.registry import Latencies, client, registration_bodies, registry_server, serve
from services.notifier.app.scan import Scanner
from services.notifier.bootstrap import CODEC, projection
from services.notifier.consumers.registry import RegistryProjection
from services.notifier.domain.zombie import ZombieConfig
from shared import natsserver
from shared.clock import ShanghaiClock
from shared.db import make_async_engine
from shared.eventstore.model import DEFAULT_MAX_EVENT_BYTES
from shared.eventstore.sql import SqlEventStore

SCAN_DAY = date(2025, 6, 1)  # the national demo's facts run to 31 May 2025
LOAD_RATE = 50.0  # registrations per second while the webhook lag is measured


def notifier_projection() -> RegistryProjection:
    return projection(ZombieConfig(), DEFAULT_MAX_EVENT_BYTES)


async def scan(db: str, organizations: int) -> dict[str, Latencies]:
    """The first scan of SCAN_DAY (flags every candidate) and a second one (no change)."""
    store = SqlEventStore(make_async_engine(pg_url(db)))
    scanner = Scanner(store=store, config=ZombieConfig(), codec=CODEC)
    out: dict[str, Latencies] = {}
    try:
        for key in ("zombie_scan", "zombie_rescan"):
            started = time.perf_counter()
            found = await scanner.scan(SCAN_DAY, client="bench")
            seconds = time.perf_counter() - started
            out[key] = Latencies(
                "Scanner.scan (first)" if key == "zombie_scan" else "Scanner.scan (again)",
                organizations,
                seconds,
                [seconds],
                note=f"zombie scan of {SCAN_DAY} over {organizations:,} organizations: "
                + (
                    "every candidate flagged, its events recorded"
                    if key == "zombie_scan"
                    else "the same day again, nothing to change"
                ),
                extra=_extra(found),
            )
    finally:
        await store.engine.dispose()
    return out


def _extra(found: Any) -> dict[str, Any]:
    return {
        "candidates": found.candidates,
        "flagged": found.flagged,
        "cleared": found.cleared,
        "signals_raised": found.signals_raised,
        "signals_cleared": found.signals_cleared,
    }


# ---- webhook: a REGISTRY event → the receiver's 2xx ---------------------------------------


@contextmanager
def notifier_server(db: str, nats_url: str) -> Iterator[str]:
    port = natsserver.free_port()
    env = {
        "SOCORG_NOTIFIER_MODE": "development",  # a loopback receiver is allowed
        "SOCORG_NOTIFIER_DATABASE_URL": pg_url(db),
        "SOCORG_NOTIFIER_NATS_URL": nats_url,
        "SOCORG_NOTIFIER_HOST": "127.0.0.1",
        "SOCORG_NOTIFIER_PORT": str(port),
        "SOCORG_NOTIFIER_SCAN_ENABLED": "false",  # the bench scans on demand
    }
    with serve(
        "notifier", [sys.executable, "-m", "shared.cli", "serve", "notifier"], env, port
    ) as url:
        yield url


@asynccontextmanager
async def receiver(arrived: dict[str, float]) -> AsyncIterator[str]:
    """A healthy local receiver: 204 at once; when each organization's alert came."""
    app = FastAPI()

    @app.post("/hook")
    async def hook(request: Request) -> Response:
        event = json.loads(await request.body())
        arrived.setdefault(event["data"]["organization_id"], time.perf_counter())
        return Response(status_code=204)

    port = natsserver.free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("the webhook receiver stopped before starting")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        server.should_exit = True
        await task


async def _post(http: httpx.AsyncClient, path: str, body: Any) -> dict[str, Any]:
    r = (
        await http.post(path, json=body)
        if not isinstance(body, bytes)
        else await http.post(path, content=body, headers={"Content-Type": "application/json"})
    )
    if r.status_code not in (200, 201):
        raise RuntimeError(f"POST {path}: {r.status_code} {r.text[:300]}")
    answer: dict[str, Any] = r.json()
    return answer


async def _until(check: Any, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"webhook bench: {what} not reached in {within:g}s")
        await asyncio.sleep(0.1)


async def _count(db: str, sql: str) -> int:
    async with await psycopg.AsyncConnection.connect(conninfo(db), autocommit=True) as conn:
        row = await (await conn.execute(sql)).fetchone()
    return int(row[0]) if row else 0


async def webhook(reg_url: str, note_url: str, note_db: str, n: int, rate: float) -> Latencies:
    """n organizations flagged, then a late report of each at `rate`/s while registrations go
    on at LOAD_RATE/s; each one's lag from the report's 201 to the receiver's 2xx."""
    bodies = registration_bodies(n + int(LOAD_RATE * (n / rate + 5)), seed=41)
    flagged: list[str] = []
    async with client(reg_url, connections=32) as reg, client(note_url) as note:
        for body in bodies[:n]:  # registered in 2019, no report since: zombie candidates
            data = json.loads(body) | {"registered_on": "2019-03-01"}
            flagged.append((await _post(reg, "/v1/organizations", data))["id"])
        sql = "SELECT count(*) FROM notifier_organizations"
        await _until(lambda: _count_at_least(note_db, sql, n), 120, "the notifier projection")
        today = ShanghaiClock().today()
        scanned = await _post(note, "/v1/scans", {"on": today.isoformat()})
        if scanned["flagged"] < n:
            raise RuntimeError(f"webhook bench: {scanned['flagged']} of {n} flagged: {scanned}")
        arrived: dict[str, float] = {}
        answered: dict[str, float] = {}
        async with receiver(arrived) as hook_url:
            await _post(
                note, "/v1/subscriptions", {"url": hook_url, "event_types": ["zombie_cleared"]}
            )
            started = time.perf_counter()

            async def report(at: float, org: str) -> None:
                await asyncio.sleep(max(0.0, at - time.perf_counter()))
                await _post(
                    reg, f"/v1/organizations/{org}/annual-reports", {"year": today.year - 1}
                )
                answered[org] = time.perf_counter()

            async def register(at: float, body: bytes) -> None:
                await asyncio.sleep(max(0.0, at - time.perf_counter()))
                await _post(reg, "/v1/organizations", body)

            load = [register(started + i / LOAD_RATE, b) for i, b in enumerate(bodies[n:])]
            reports = [report(started + 1 + i / rate, org) for i, org in enumerate(flagged)]
            await asyncio.gather(*load, *reports)
            seconds = time.perf_counter() - started

            async def all_arrived() -> bool:
                return len(arrived) >= n

            await _until(all_arrived, 30, "every alert at the receiver")
    lags = [arrived[org] - answered[org] for org in flagged]
    return Latencies(
        "REGISTRY event → webhook 2xx",
        n,
        seconds,
        lags,
        note=f"{n} flagged organizations' late reports (POST …/annual-reports) at {rate:g}/s "
        f"while registrations are posted at {LOAD_RATE:g}/s (open loop); each lag from the "
        "report's 201 to the receiver's 2xx for its zombie_cleared; registry + its relay "
        "process + notifier service, each database its own",
        extra={"reports_per_s": rate, "registrations_per_s": LOAD_RATE},
    )


async def _count_at_least(db: str, sql: str, n: int) -> bool:
    return await _count(db, sql) >= n


async def webhook_run(reg_db: str, note_db: str, nats_url: str, n: int, rate: float) -> Latencies:
    with registry_server(reg_db, nats_url) as reg_url, notifier_server(note_db, nats_url) as url:
        return await webhook(reg_url, url, note_db, n, rate)
