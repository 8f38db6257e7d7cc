"""The metrics service: rebuild beside raw fetch + ack, lag from a 201 to the projection, and
the target-set page at the national register's size.

- rebuild: the first `SIZES.rebuild_events` events of the national register (bench/national.py)
  published straight from its `events` table to a `REGISTRY` stream (nats-py `publish_async`,
  the relay's subjects and CloudEvent bodies, `Nats-Msg-Id` = event id; not through the
  relay), then `ConsumerRunner.rebuild()` of the metrics projection (`RegistryCounts`) from
  sequence 1 into shadow tables until swapped in, beside raw nats-py fetch + ack of the same
  messages (same batch size and consumer configuration);
- the rest of the register is then applied by the projection's own `apply_batch`, read
  straight from the `events` table (not timed against anything: it fills the projection for
  the page);
- page: `GET /v1/target-sets/wuhan-three-year?as_of=…&history=true` on the metrics service
  (`python -m shared.cli serve metrics`) over that projection, one request at a time;
- lag: registry and metrics served as production runs them (each its own database, the
  registry's relay as a process of its own), POST /v1/organizations at a steady 200/s; each
  organization's lag runs from its 201 to the moment its row is in the projection's
  `metrics_org_spans` (a watcher polls that table every 10 ms for the ids still pending).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import nats
import psycopg

from bench.common import Figure, conninfo, pg_url, timed
from bench.pipeline import default_relay_config, fetch_ack
from bench.registry import (
    Latencies,
    client,
    lean_session,
    registration_bodies,
    registry_server,
    serve,
)
from services.metrics.adapters.tables import TABLES
from services.metrics.consumers.registry import RegistryCounts
from shared import natsserver
from shared.consumer import ConsumerConfig, ConsumerRunner, Delivered
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore
from shared.natslink import NatsLink
from shared.outbox.envelope import subject, to_cloudevent
from shared.outbox.stream import stream_config

STREAM = "REGISTRY"
TARGET_SET = "wuhan-three-year"
AS_OF = date(2024, 12, 31)  # the national demo's facts run to 31 May 2025
READ_CHUNK = 5000
# The open-loop generator's connections: enough for 200/s at 80 ms a request, and no more
# than the registry's pool holds (a request past it opens and closes a connection).
LAG_CONNECTIONS = 16


async def _chunks(db: str, after: int, until: int | None) -> Any:
    """The stored events of `db` after `after` (up to `until`), READ_CHUNK at a time."""
    store = SqlEventStore(make_async_engine(pg_url(db)))
    try:
        while until is None or after < until:
            limit = READ_CHUNK if until is None else min(READ_CHUNK, until - after)
            batch = await store.read_all(after, limit=limit)
            if not batch:
                return
            yield batch
            after = batch[-1].position
    finally:
        await store.engine.dispose()


async def publish(db: str, nats_url: str, n: int) -> float:
    """Publish the first `n` events to a REGISTRY stream as the relay would; seconds."""
    nc = await nats.connect(nats_url, name="socorg-bench-metrics")
    started = time.perf_counter()
    try:
        js = nc.jetstream()
        await js.add_stream(stream_config(STREAM, ["registry.>"], default_relay_config()))
        async for batch in _chunks(db, 0, n):
            for s in range(0, len(batch), 1000):
                futures = []
                for e in batch[s : s + 1000]:
                    body = json.dumps(to_cloudevent("registry", e), ensure_ascii=False).encode()
                    futures.append(
                        await js.publish_async(
                            subject("registry", e.division, e.type),
                            body,
                            headers={"Nats-Msg-Id": str(e.event_id)},
                        )
                    )
                for f in futures:
                    await f
        held = (await js.stream_info(STREAM)).state.messages
        if held != n:
            raise RuntimeError(f"metrics bench: the stream holds {held} of {n}")
    finally:
        await nc.close()
    return time.perf_counter() - started


async def rebuild(metrics_db: str, nats_url: str, n: int) -> Figure:
    engine = make_async_engine(pg_url(metrics_db))
    link = NatsLink(nats_url, name="socorg-bench-rebuild")
    link.start()
    try:
        await asyncio.wait_for(link.connected.wait(), 10)
        runner = ConsumerRunner(engine, link, RegistryCounts(), ConsumerConfig())
        await runner.create_tables()
        started = time.perf_counter()
        applied = await runner.rebuild()
        seconds = time.perf_counter() - started
    finally:
        await link.close()
        await engine.dispose()
    if applied != n:
        raise RuntimeError(f"rebuild applied {applied} of {n}")
    return Figure(
        "socorg metrics rebuild",
        n,
        seconds,
        f"ConsumerRunner.rebuild() of RegistryCounts from sequence 1 (batch "
        f"{ConsumerConfig().batch_size}, apply_batch into shadow tables, then swapped in) over "
        f"the first {n:,} events of the national register",
    )


async def raw_fetch_ack(nats_url: str, n: int) -> Figure:
    nc = await nats.connect(nats_url, name="socorg-bench-raw")
    try:
        config = ConsumerConfig()
        return await timed(
            "raw nats-py fetch + ack",
            n,
            lambda: fetch_ack(nc.jetstream(), "registry", n, config, STREAM, "registry.>"),
            f"pull fetch({config.batch_size}) then ack() each of the same {n:,} messages",
        )
    finally:
        await nc.close()


async def purge(nats_url: str) -> None:
    """Empty the stream: the metrics service's own consumer then has nothing to replay."""
    nc = await nats.connect(nats_url, name="socorg-bench-purge")
    try:
        await nc.jetstream().purge_stream(STREAM)
    finally:
        await nc.close()


async def fill(db: str, metrics_db: str, after: int) -> Figure:
    """Apply the events after position `after` with the projection's apply_batch."""
    engine = make_async_engine(pg_url(metrics_db))
    projection, live = RegistryCounts(), {t.name: t for t in TABLES}
    count, seq = 0, after
    started = time.perf_counter()
    try:
        async for batch in _chunks(db, after, None):
            delivered = []
            for e in batch:
                seq += 1
                envelope = to_cloudevent("registry", e)
                delivered.append(
                    Delivered.of(envelope, subject("registry", e.division, e.type), seq)
                )
            async with engine.begin() as conn:
                await projection.apply_batch(conn, delivered, live)
            count += len(batch)
        async with engine.begin() as conn:
            for t in TABLES:
                await conn.exec_driver_sql(f"ANALYZE {t.name}")
    finally:
        await engine.dispose()
    return Figure(
        "metrics apply_batch from the table",
        count,
        time.perf_counter() - started,
        f"the rest of the register, {READ_CHUNK} events a transaction, read from the events table",
    )


@contextmanager
def metrics_server(db: str, nats_url: str) -> Iterator[str]:
    port = natsserver.free_port()
    env = {
        "SOCORG_METRICS_MODE": "development",
        "SOCORG_METRICS_DATABASE_URL": pg_url(db),
        "SOCORG_METRICS_NATS_URL": nats_url,
        "SOCORG_METRICS_HOST": "127.0.0.1",
        "SOCORG_METRICS_PORT": str(port),
    }
    cmd = [sys.executable, "-m", "shared.cli", "serve", "metrics"]
    with serve("metrics", cmd, env, port) as url:
        yield url


async def page(url: str, requests: int, count: int) -> Latencies:
    """The whole target set as of AS_OF with every target's history, one request at a time."""
    path = f"/v1/target-sets/{TARGET_SET}"
    params = {"as_of": AS_OF.isoformat(), "history": "true"}
    latencies: list[float] = []
    async with client(url) as http:
        for i in range(requests + 3):  # 3 warm-up requests
            start = time.perf_counter()
            r = await http.get(path, params=params)
            took = time.perf_counter() - start
            if r.status_code != 200:
                raise RuntimeError(f"GET {path}: {r.status_code} {r.text[:300]}")
            if i >= 3:
                latencies.append(took)
        targets = len(r.json()["progress"])
    return Latencies(
        f"GET /v1/target-sets/{TARGET_SET}",
        requests,
        sum(latencies),
        latencies,
        note=f"{targets} targets as of {AS_OF}, each with its monthly history and forecast "
        f"(history=true), one request at a time, on {count:,} organizations",
        extra={"organizations_count": count, "targets": targets},
    )


async def steady_load(
    url: str,
    bodies: list[bytes],
    rate: float,
    tasks: int,
    created: Callable[[str, float], None],
) -> tuple[float, list[float]]:
    """POST each body to /v1/organizations, body i due `i / rate` seconds after the start (an
    open loop), from `tasks` tasks over as many keep-alive connections; every answer must
    be 201. `created(id, t)` is told each organization's id and when its 201 arrived.
    Returns the seconds from the start to the last answer and each request's latency from
    when it was due (a server that falls behind shows as latency, not as a slower sender).

    The generator shares the machine with the registry, its relay, the metrics service and
    PostgreSQL, so its own CPU per request must be small (`lean_session`)."""
    latencies: list[float] = []
    queue = enumerate(bodies)
    headers = {"Content-Type": "application/json"}
    async with lean_session(url, connections=tasks) as http:
        async with http.get("/readyz") as ready:
            ready.raise_for_status()
        started = time.perf_counter()

        async def worker() -> None:
            for i, body in queue:
                due = started + i / rate
                if (wait := due - time.perf_counter()) > 0:
                    await asyncio.sleep(wait)
                async with http.post("/v1/organizations", data=body, headers=headers) as r:
                    answer = await r.read()
                answered = time.perf_counter()
                latencies.append(answered - due)
                if r.status != 201:
                    raise RuntimeError(f"lag: {r.status} {answer[:300]!r}")
                created(json.loads(answer)["id"], answered)

        await asyncio.gather(*(worker() for _ in range(tasks)))
        seconds = time.perf_counter() - started
    return seconds, latencies


async def lag(registry_url: str, metrics_db: str, n: int, rate: float) -> Latencies:
    """POST n registrations at `rate`/s; each one's lag from its 201 to its projected row."""
    bodies = registration_bodies(n, seed=31)
    answered: dict[str, float] = {}
    lags: list[float] = []

    def created(organization_id: str, at: float) -> None:
        answered[organization_id] = at

    async def watch(done: asyncio.Event) -> None:
        async with await psycopg.AsyncConnection.connect(
            conninfo(metrics_db), autocommit=True
        ) as conn:
            while not (done.is_set() and not answered):
                pending = list(answered)
                if pending:
                    cur = await conn.execute(
                        "SELECT DISTINCT organization_id FROM metrics_org_spans "
                        "WHERE organization_id = ANY(%s)",
                        (pending,),
                    )
                    now = time.perf_counter()
                    for (oid,) in await cur.fetchall():
                        lags.append(now - answered.pop(oid))
                await asyncio.sleep(0.01)

    done = asyncio.Event()
    watcher = asyncio.create_task(watch(done))
    try:
        seconds, requests = await steady_load(registry_url, bodies, rate, LAG_CONNECTIONS, created)
    except BaseException:  # the load failed: its watcher is not left waiting for rows
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        raise
    finally:
        done.set()
    await asyncio.wait_for(watcher, 60)
    achieved = n / seconds if seconds > 0 else 0.0
    posted = Latencies("POST /v1/organizations", n, seconds, requests)
    return Latencies(
        "201 → metrics projection",
        n,
        seconds,
        lags,
        note=f"POST /v1/organizations at {rate:g}/s asked (open loop, {LAG_CONNECTIONS} "
        f"aiohttp connections), {achieved:.0f}/s reached; lag from each 201 to its row in "
        "metrics_org_spans (polled every 10 ms); registry + relay process + metrics service, "
        "each database its own",
        extra={
            "rate_asked_per_s": rate,
            "rate_per_s": round(achieved, 1),
            # from each request's due time to its 201: a registry (or a generator) that
            # cannot keep the rate shows here, and the rate reached falls short
            "request_p50_ms": round(posted.p50_ms, 2),
            "request_p99_ms": round(posted.p99_ms, 2),
        },
    )


async def lag_run(reg_db: str, met_db: str, nats_url: str, n: int, rate: float) -> Latencies:
    with registry_server(reg_db, nats_url) as r_url, metrics_server(met_db, nats_url):
        return await lag(r_url, met_db, n, rate)


def announce(log: Any, f: Latencies) -> None:
    log(
        f"  {f.name:<38} {f.rate:>10,.0f} /s  p50 {f.p50_ms:.1f} ms  p99 {f.p99_ms:.1f} ms"
        f"  ({f.count} in {f.seconds:.2f}s)"
    )
