"""Run every workload in one go on PostgreSQL, print the table, write bench/results.json.

A database of its own (`socorg_bench_<random>`, dropped after) on the server named by
SOCORG_BENCH_POSTGRES_URL (default: postgres@127.0.0.1:5432), and a nats-server of its own
on a free port with a temporary store. BENCH_QUICK=1 shrinks the sizes, not the keys.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench import appends, national, pipeline, registry
from bench import metrics as metrics_bench
from bench import services as services_bench
from bench.common import (
    ADMIN_URL,
    CONCURRENCY,
    LAG_RATE,
    QUICK,
    SIZES,
    Figure,
    pg_url,
    settle_postgres,
    stop,
)
from bench.registry import Latencies
from shared import natsserver
from shared.consumer import ConsumerConfig
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore
from shared.migrate import upgrade

RESULTS = Path(__file__).resolve().parent / "results.json"
TARGETS = {
    "relay_vs_raw_publish": 0.5,
    "consumer_vs_raw_fetch_ack": 0.5,
    "append_single_vs_raw_insert": 0.5,
    "append_vs_eventsourcing": 1.0,
    "api_register_vs_bare": 0.3,
    "import_vs_copy": 0.25,
    "rebuild_vs_raw_fetch_ack": 0.5,
}
# Upper bounds (ms), for a register of 1,000,000 organizations (the lag: at LAG_RATE writes/s).
# The metrics lag counts as measured at LAG_RATE when the generator reached this share of it.
LAG_RATE_MET = 0.95
LATENCY_TARGETS = {
    "list_p99_ms": 50.0,
    "get_p99_ms": 50.0,
    "targets_as_of_p99_ms": 200.0,
    "metrics_lag_p99_ms": 500.0,
}


@contextmanager
def bench_database() -> Iterator[str]:
    name = f"socorg_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def nats_server() -> Iterator[str]:
    tmp = Path(tempfile.mkdtemp(prefix="socorg-bench-nats-"))
    port = natsserver.free_port()
    proc = natsserver.start(port, tmp)
    try:
        yield f"nats://127.0.0.1:{port}"
    finally:
        stop(proc, timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def prepare_schema(db: str) -> None:
    url = pg_url(db)
    upgrade("registry", url)
    engine = create_engine(url)
    with engine.begin() as conn:
        for table in ("raw_events", "raw_copy"):
            conn.execute(text(f"CREATE TABLE {table} (LIKE events INCLUDING ALL)"))
    engine.dispose()


async def reset_events(store: SqlEventStore) -> None:
    async with store.engine.begin() as conn:
        await conn.execute(text("TRUNCATE events, checkpoints, leases RESTART IDENTITY"))


def versions(pg_version: str) -> dict[str, Any]:
    def pkg(name: str) -> str:
        try:
            return importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            return "absent"

    nats_v = subprocess.run(
        [str(natsserver.binary()), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "postgresql": pg_version,
        "nats_server": nats_v,
        "packages": {
            p: pkg(p) for p in ("sqlalchemy", "psycopg", "nats-py", "eventsourcing", "asyncpg")
        },
    }


async def measure(db: str, nats_url: str, log: Any) -> tuple[dict[str, Figure], dict[str, Any]]:
    s = SIZES
    engine = make_async_engine(pg_url(db))
    # As the services build it: a dedicated autocommit pool for appends made alone.
    autocommit = make_async_engine(pg_url(db), isolation_level="AUTOCOMMIT")
    store = SqlEventStore(engine, autocommit=autocommit)
    figures: dict[str, Figure] = {}
    try:
        async with engine.connect() as conn:
            pg_version = str((await conn.execute(text("SHOW server_version"))).scalar_one())
            settings = {
                k: str((await conn.execute(text(f"SHOW {k}"))).scalar_one())
                for k in ("synchronous_commit", "fsync", "wal_sync_method", "shared_buffers")
            }

        def add(key: str, fig: Figure) -> None:
            figures[key] = fig
            log(
                f"  {fig.name:<38} {fig.rate:>10,.0f} events/s"
                f"  ({fig.events} in {fig.seconds:.2f}s)"
            )

        log("appends (one event per transaction)")
        add("raw_insert_single", await appends.raw_insert_single(db, s.append, s.warmup))
        add("append_single", await appends.socorg_single(store, s.append, s.warmup))
        add("eventsourcing_single", await appends.eventsourcing_single(db, s.append, s.warmup))
        add("raw_insert_concurrent", await appends.raw_insert_concurrent(db, s.append, s.warmup))
        add("append_concurrent", await appends.socorg_concurrent(store, s.append, s.warmup))
        add("raw_copy", await appends.raw_copy(db, s.copy))

        log("relay (events table → JetStream)")
        relay_config = pipeline.default_relay_config()
        await reset_events(store)
        add(
            "relay_publish",
            await pipeline.relay_publish(store, nats_url, s.pipeline, s.warmup, relay_config),
        )
        msgs = await pipeline.bodies(store, s.pipeline + s.warmup)
        add(
            "raw_publish",
            await pipeline.raw_publish(nats_url, msgs[: s.pipeline], s.warmup, relay_config),
        )
        add(
            "raw_chained_publish",
            await pipeline.raw_publish(
                nats_url, msgs[: s.pipeline], s.warmup, relay_config, chained=True
            ),
        )

        log("consumer (JetStream → projection)")
        consumer_config = ConsumerConfig()
        await pipeline.make_consume_stream(nats_url, relay_config)
        await pipeline.prepublish(nats_url, msgs[: s.warmup], "warm")
        await pipeline.prepublish(nats_url, msgs[: s.pipeline], "main")
        add(
            "consumer_apply",
            await pipeline.consumer_apply(engine, nats_url, s.pipeline, s.warmup, consumer_config),
        )
        await pipeline.prepublish(nats_url, msgs[: s.warmup], "rwarm")
        add(
            "raw_fetch_ack",
            await pipeline.raw_fetch_ack(nats_url, s.pipeline, s.warmup, consumer_config),
        )
        body_sizes = [len(b) for _, b in msgs]
        facts = {
            "pg_version": pg_version,
            "pg_settings": settings,
            "message_bytes_avg": round(sum(body_sizes) / max(1, len(body_sizes)), 1),
        }
        return figures, facts
    finally:
        await autocommit.dispose()
        await engine.dispose()


async def measure_writes(db: str, nats_url: str, tmp: Path, log: Any) -> dict[str, Latencies]:
    s = SIZES
    log(f"registry writes over HTTP ({CONCURRENCY} clients; registry and bare uvicorn processes)")
    api, bare = await registry.register(db, nats_url, s.register, max(100, s.register // 10), log)
    log("registry import (POST /v1/imports) vs raw COPY")
    imported, copied, read_model = await registry.imports(db, nats_url, s.import_rows, tmp, log)
    return {
        "api_register": api,
        "bare_register": bare,
        "import": imported,
        "import_raw_copy": copied,
        "import_raw_copy_read_model": read_model,
    }


def measure_registry(
    tmp: Path, log: Any
) -> tuple[dict[str, Latencies], national.Filled, dict[str, Figure], services_bench.Measured]:
    """Registration and import on a fresh registry database, reads on a national one."""
    with bench_database() as writes_db, bench_database() as reads_db, nats_server() as nats_url:
        upgrade("registry", pg_url(writes_db))
        upgrade("registry", pg_url(reads_db))
        found = asyncio.run(measure_writes(writes_db, nats_url, tmp, log))
        found["metrics_lag"] = measure_lag(log)
        log(f"registry reads on the national profile ({SIZES.organizations:,} organizations)")
        filled = national.fill(reads_db, SIZES.organizations, log)
        # Relay off: it would otherwise publish the millions of filled events meanwhile.
        with registry.registry_server(reads_db, nats_url, relay=False) as url:
            listing, getting = asyncio.run(
                registry.reads(url, reads_db, SIZES.reads, filled.organizations, log)
            )
        found |= {"list": listing, "get": getting}
        rebuilt, served = measure_metrics(reads_db, filled, log)
        more = services_bench.measure(reads_db, filled, log, bench_database, nats_server)
    return found | served | more.served, filled, rebuilt | more.figures, more


def measure_metrics(
    reads_db: str, filled: national.Filled, log: Any
) -> tuple[dict[str, Figure], dict[str, Latencies]]:
    """The metrics projection over the national register: rebuild vs raw fetch + ack, the
    target-set page."""
    s, m = SIZES, metrics_bench
    n = min(s.rebuild_events, filled.events)
    log(f"metrics on the national register (rebuild of its first {n:,} events; the page)")
    figures: dict[str, Figure] = {}
    with bench_database() as met_db, nats_server() as nats_url:
        upgrade("metrics", pg_url(met_db))
        published = asyncio.run(m.publish(reads_db, nats_url, n))
        log(f"  published {n:,} events to REGISTRY in {published:.0f}s (direct publish_async)")
        figures["metrics_rebuild"] = asyncio.run(m.rebuild(met_db, nats_url, n))
        figures["metrics_raw_fetch_ack"] = asyncio.run(m.raw_fetch_ack(nats_url, n))
        asyncio.run(m.purge(nats_url))
        figures["metrics_fill"] = asyncio.run(m.fill(reads_db, met_db, n))
        for key in ("metrics_rebuild", "metrics_raw_fetch_ack", "metrics_fill"):
            f = figures[key]
            log(f"  {f.name:<38} {f.rate:>10,.0f} events/s  ({f.events} in {f.seconds:.2f}s)")
        with m.metrics_server(met_db, nats_url) as url:
            served = {
                "targets_page": asyncio.run(m.page(url, s.page_requests, filled.organizations))
            }
        m.announce(log, served["targets_page"])
    return figures, served


def measure_lag(log: Any) -> Latencies:
    """The lag from a 201 to the metrics projection, on fresh databases, measured before the
    national register is built and once PostgreSQL has settled: the rows of the measurements
    before would otherwise still be flushed and vacuumed while the steady load runs beside it.
    The load's generator runs in a fresh interpreter: this one's heap, grown by the
    measurements before, would otherwise pause it for its collections and make it late."""
    log(f"metrics lag: POST /v1/organizations at {LAG_RATE:g}/s, 201 → metrics projection")
    settle_postgres(log)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as fresh:
        found = fresh.submit(_lag).result()
    metrics_bench.announce(log, found)
    return found


def _lag() -> Latencies:
    with bench_database() as reg_db, bench_database() as lag_db, nats_server() as nats_url:
        upgrade("registry", pg_url(reg_db))
        upgrade("metrics", pg_url(lag_db))
        return asyncio.run(
            metrics_bench.lag_run(reg_db, lag_db, nats_url, SIZES.lag_writes, LAG_RATE)
        )


def registry_ratios(f: dict[str, Latencies]) -> dict[str, float]:
    def r(a: str, b: str) -> float:
        return round(f[a].rate / f[b].rate, 3) if f[b].rate else 0.0

    return {
        "api_register_vs_bare": r("api_register", "bare_register"),
        "import_vs_copy": r("import", "import_raw_copy"),
        "import_vs_copy_read_model": r("import", "import_raw_copy_read_model"),
    }


def registry_table(f: dict[str, Latencies], rs: dict[str, float], count: int) -> str:
    lines = [
        f"{'registry':<30}{'per s':>10}{'p50 ms':>8}{'p99 ms':>8}   {'reference':<32}"
        f"{'per s':>10}{'p50 ms':>8}{'p99 ms':>8}   {'ratio':>6}  {'target':<8}",
        "-" * 136,
    ]
    for ours, ref, ratio in (
        ("api_register", "bare_register", "api_register_vs_bare"),
        ("import", "import_raw_copy", "import_vs_copy"),
        ("import", "import_raw_copy_read_model", "import_vs_copy_read_model"),
    ):
        a, b = f[ours], f[ref]

        def lat(x: Latencies) -> str:
            return f"{x.p50_ms:>8.1f}{x.p99_ms:>8.1f}" if x.latencies else " " * 16

        target = TARGETS.get(ratio)
        verdict = "" if target is None else f"≥{target:g} {'ok' if rs[ratio] >= target else 'MISS'}"
        lines.append(
            f"{a.name:<30}{a.rate:>10,.0f}{lat(a)}   {b.name:<32}{b.rate:>10,.0f}{lat(b)}   "
            f"{rs[ratio]:>6.2f}  {verdict:<8}"
        )
    for key, bound in (
        ("list", "list_p99_ms"),
        ("get", "get_p99_ms"),
        ("targets_page", "targets_as_of_p99_ms"),
        ("metrics_lag", "metrics_lag_p99_ms"),
    ):
        x = f[key]
        target = LATENCY_TARGETS[bound]
        met = x.p99_ms < target
        rate = float(x.extra.get("rate_per_s", 0.0))
        if key == "metrics_lag" and rate < LAG_RATE * LAG_RATE_MET:
            met = False  # not measured at the rate the target names
        verdict = f"p99<{target:g} ms {'ok' if met else 'MISS'}"
        lines.append(
            f"{x.name:<30}{x.rate:>10,.0f}{x.p50_ms:>8.1f}{x.p99_ms:>8.1f}   "
            f"{_under(key, count, rate):<32}{'':>26}   {'':>6}  {verdict}"
        )
    return "\n".join(lines)


def _under(key: str, count: int, lag_rate: float = 0.0) -> str:
    if key == "metrics_lag":
        return f"{lag_rate:.0f} of {LAG_RATE:g} registrations/s asked"
    return f"sequential, {count:,} organizations"


def ratios(f: dict[str, Figure]) -> dict[str, float]:
    def r(a: str, b: str) -> float:
        return round(f[a].rate / f[b].rate, 3) if f[b].rate else 0.0

    return {
        "append_single_vs_raw_insert": r("append_single", "raw_insert_single"),
        "append_concurrent_vs_raw_insert": r("append_concurrent", "raw_insert_concurrent"),
        "append_vs_eventsourcing": r("append_single", "eventsourcing_single"),
        "relay_vs_raw_publish": r("relay_publish", "raw_publish"),
        "relay_vs_raw_chained_publish": r("relay_publish", "raw_chained_publish"),
        "consumer_vs_raw_fetch_ack": r("consumer_apply", "raw_fetch_ack"),
        "rebuild_vs_raw_fetch_ack": r("metrics_rebuild", "metrics_raw_fetch_ack"),
        "append_single_vs_raw_copy": r("append_single", "raw_copy"),
        "append_concurrent_vs_append_single": r("append_concurrent", "append_single"),
    }


PAIRS = (
    ("append_single", "raw_insert_single", "append_single_vs_raw_insert"),
    ("append_concurrent", "raw_insert_concurrent", "append_concurrent_vs_raw_insert"),
    ("append_single", "eventsourcing_single", "append_vs_eventsourcing"),
    ("relay_publish", "raw_publish", "relay_vs_raw_publish"),
    ("relay_publish", "raw_chained_publish", "relay_vs_raw_chained_publish"),
    ("consumer_apply", "raw_fetch_ack", "consumer_vs_raw_fetch_ack"),
    ("metrics_rebuild", "metrics_raw_fetch_ack", "rebuild_vs_raw_fetch_ack"),
    ("append_single", "raw_copy", "append_single_vs_raw_copy"),
)


def table(figures: dict[str, Figure], rs: dict[str, float]) -> str:
    lines = [
        f"{'socorg':<30}{'events/s':>10}   {'reference':<32}{'events/s':>10}   "
        f"{'ratio':>6}  {'target':<8}",
        "-" * 108,
    ]
    for ours, ref, ratio in PAIRS:
        target = TARGETS.get(ratio)
        verdict = ""
        if target is not None:
            verdict = f"≥{target:g} {'ok' if rs[ratio] >= target else 'MISS'}"
        lines.append(
            f"{figures[ours].name:<30}{figures[ours].rate:>10,.0f}   "
            f"{figures[ref].name:<32}{figures[ref].rate:>10,.0f}   "
            f"{rs[ratio]:>6.2f}  {verdict:<8}"
        )
    return "\n".join(lines)


def main() -> None:
    started = time.perf_counter()
    # The NATS link logs each deliberate close as a disconnect; keep the table readable.
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    logging.getLogger("socorg.nats").setLevel(logging.ERROR)

    def log(msg: str) -> None:
        print(msg, flush=True)

    mode = "quick" if QUICK else "full"
    log(f"socorg bench ({mode}: {SIZES}); PostgreSQL {ADMIN_URL.split('@')[-1]}")
    with bench_database() as db, nats_server() as nats_url:
        prepare_schema(db)
        figures, facts = asyncio.run(measure(db, nats_url, log))
    with tempfile.TemporaryDirectory(prefix="socorg-bench-") as tmp:
        found, filled, rebuilt, more = measure_registry(Path(tmp), log)
    figures |= rebuilt
    rs = ratios(figures) | registry_ratios(found) | more.ratios()
    count = filled.organizations
    latency = {
        "list_p50_ms": round(found["list"].p50_ms, 2),
        "list_p99_ms": round(found["list"].p99_ms, 2),
        "get_p50_ms": round(found["get"].p50_ms, 2),
        "get_p99_ms": round(found["get"].p99_ms, 2),
        "targets_as_of_p50_ms": round(found["targets_page"].p50_ms, 2),
        "targets_as_of_p99_ms": round(found["targets_page"].p99_ms, 2),
        "metrics_lag_p50_ms": round(found["metrics_lag"].p50_ms, 2),
        "metrics_lag_p99_ms": round(found["metrics_lag"].p99_ms, 2),
        "organizations_count": count,
    }
    lag_rate = found["metrics_lag"].extra["rate_per_s"]
    wall = time.perf_counter() - started
    print()
    print(table(figures, rs))
    print()
    print(registry_table(found, rs, count))
    print()
    print(more.table())
    print(f"\nwall time {wall:.0f}s; results in {RESULTS.relative_to(Path.cwd())}")
    out = {
        "mode": mode,
        "concurrency": CONCURRENCY,
        "sizes": SIZES.__dict__,
        "wall_seconds": round(wall, 1),
        "machine": versions(facts.pop("pg_version")),
        **facts,
        "figures": {k: f.as_json() for k, f in figures.items()}
        | {k: f.as_json() for k, f in found.items()},
        "ratios": rs,
        **latency,
        "metrics_lag_rate_per_s": lag_rate,
        **more.values,
        "reads_register": filled.as_json(),
        "targets": {k: {"target": t, "value": rs[k], "met": rs[k] >= t} for k, t in TARGETS.items()}
        | {
            k: {
                "target": t,
                "below": True,
                "value": latency[k],
                "met": latency[k] < t,
                "organizations_count": count,
                "target_organizations": 1_000_000,
            }
            for k, t in LATENCY_TARGETS.items()
        }
        | {
            # met only at the rate the issue names: the lag at a lower rate says little
            "metrics_lag_p99_ms": {
                "target": LATENCY_TARGETS["metrics_lag_p99_ms"],
                "below": True,
                "value": latency["metrics_lag_p99_ms"],
                "rate_per_s": lag_rate,
                "target_rate_per_s": LAG_RATE,
                "met": latency["metrics_lag_p99_ms"] < LATENCY_TARGETS["metrics_lag_p99_ms"]
                and lag_rate >= LAG_RATE * LAG_RATE_MET,
            }
        }
        | more.targets(count),
    }
    RESULTS.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
