"""What every workload shares: sizes, the event payload, timing, the PostgreSQL URLs."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from shared.eventstore import EventMetadata

QUICK = os.environ.get("BENCH_QUICK") == "1"
ADMIN_URL = os.environ.get("SOCORG_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
CONCURRENCY = 16
LAG_RATE = 200.0  # registrations per second while the metrics lag is measured
META = EventMetadata(client="bench")
DIVISIONS = ("420106", "330203", "110105", "440305")
EVENT_TYPE = "registration_changed"


@dataclass(frozen=True)
class Sizes:
    append: int  # events appended one per transaction (single client and 16 concurrent)
    copy: int  # rows in the COPY figure
    pipeline: int  # events through the relay and the consumer
    warmup: int
    register: int  # POST /v1/organizations requests, registry and bare each
    import_rows: int  # rows of the ningbo-profile file posted to /v1/imports
    organizations: int  # national-profile register the list and get are measured on
    reads: int  # GET requests, list and get each
    rebuild_events: int  # national events published and rebuilt by the metrics projection
    lag_writes: int  # registrations posted at LAG_RATE per second for the metrics lag
    page_requests: int  # GET of the whole target set


SIZES = (
    Sizes(
        append=1_600,
        copy=20_000,
        pipeline=10_000,
        warmup=200,
        register=800,
        import_rows=3_000,
        organizations=100_000,
        reads=300,
        rebuild_events=200_000,
        lag_writes=2_000,
        page_requests=50,
    )
    if QUICK
    else Sizes(
        append=8_000,
        copy=100_000,
        pipeline=50_000,
        warmup=500,
        register=4_000,
        import_rows=15_000,
        organizations=1_000_000,
        reads=300,
        rebuild_events=1_000_000,
        lag_writes=4_000,
        page_requests=100,
    )
)


def payload(i: int) -> dict[str, Any]:
    """An event's data: about 200 bytes of JSON, like a typical registry change."""
    return {
        "field": "residence",
        "old": f"武汉市武昌区中南路{i % 97}号",
        "new": f"武汉市武昌区中北路{i % 89}号",
        "seq": i,
        "note": "x" * 96,
    }


def pg_url(database: str, drivername: str = "postgresql+psycopg") -> str:
    return (
        make_url(ADMIN_URL)
        .set(drivername=drivername, database=database)
        .render_as_string(hide_password=False)
    )


def conninfo(database: str) -> str:
    """libpq keywords for raw psycopg and for eventsourcing's datastore."""
    u: URL = make_url(ADMIN_URL)
    parts = {
        "host": u.host or "127.0.0.1",
        "port": str(u.port or 5432),
        "user": u.username or "postgres",
        "dbname": database,
    }
    if u.password:
        parts["password"] = str(u.password)
    return " ".join(f"{k}={v}" for k, v in parts.items())


@dataclass(frozen=True)
class Figure:
    name: str
    events: int
    seconds: float
    note: str = ""

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "seconds": round(self.seconds, 4),
            "events_per_s": round(self.rate, 1),
            "note": self.note,
        }


async def timed(
    name: str, events: int, fn: Callable[[], Awaitable[None]], note: str = ""
) -> Figure:
    start = time.perf_counter()
    await fn()
    return Figure(name, events, time.perf_counter() - start, note)


def stop(proc: subprocess.Popen[Any], timeout: float = 20) -> None:
    """SIGTERM a child process, SIGKILL it if it has not exited within `timeout`."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def settle_postgres(log: Any, longest: float = 120.0) -> None:
    """Let PostgreSQL finish with what earlier measurements wrote before a steady load is
    measured: a CHECKPOINT (their dirty pages written now, not during the load), then wait
    (up to `longest` seconds) until no autovacuum worker is busy with their tables."""
    admin = create_engine(pg_url("postgres"), isolation_level="AUTOCOMMIT")
    started = time.monotonic()
    try:
        with admin.connect() as conn:
            conn.execute(text("CHECKPOINT"))
            busy = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
            while conn.execute(text(busy)).scalar_one() and time.monotonic() - started < longest:
                time.sleep(0.5)
    finally:
        admin.dispose()
    log(f"  (PostgreSQL settled in {time.monotonic() - started:.1f}s: checkpoint, autovacuum idle)")


def vacuum_analyze(db: str, log: Any) -> None:
    """VACUUM (ANALYZE) the database `db` after a bulk fill, as autovacuum would get to in a
    while: the planner's statistics and the visibility map as a register running for some
    time has them, and no autovacuum worker starting on its tables during a measurement."""
    engine = create_engine(pg_url(db), isolation_level="AUTOCOMMIT")
    started = time.monotonic()
    try:
        with engine.connect() as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
    finally:
        engine.dispose()
    log(f"  (VACUUM ANALYZE of the filled database: {time.monotonic() - started:.1f}s)")


def prewarm(db: str, log: Any) -> None:
    """Read every table and index of `db` once (pg_prewarm, into the operating system's
    cache), as a service answering all day has its working set in memory: the latency of a
    random organization is then the service's, not that of this machine's disk, whose reads
    here sometimes stall for tens of milliseconds. Without pg_prewarm the figure is measured
    cold, and says so."""
    engine = create_engine(pg_url(db), isolation_level="AUTOCOMMIT")
    started = time.monotonic()
    try:
        with engine.connect() as conn:
            if not conn.execute(
                text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_prewarm'")
            ).first():
                log("  (pg_prewarm is not installed: measured with a cold cache)")
                return
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
            blocks = conn.execute(
                text(
                    "SELECT coalesce(sum(pg_prewarm(c.oid, 'read')), 0) FROM pg_class c "
                    "WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    size, took = blocks * 8192 / 2**20, time.monotonic() - started
    log(f"  (read {size:,.0f} MB of tables and indexes into the cache in {took:.1f}s)")
