"""Append workloads: socorg's SqlEventStore beside raw psycopg and the eventsourcing library.

Every workload writes one event per transaction with the same ~200-byte JSON payload into a
table of the `events` shape (eventsourcing: its own `stored_events` shape, payload as bytea),
on the same PostgreSQL database. Streams hold 10 events each, appended in version order.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from bench.common import CONCURRENCY, DIVISIONS, EVENT_TYPE, META, Figure, conninfo, payload, timed
from shared.eventstore import NewEvent
from shared.eventstore.sql import SqlEventStore

PER_STREAM = 10
RAW_COLUMNS = (
    "event_id, stream_id, version, type, schema_version, data, metadata, division, "
    "occurred_at, recorded_at"
)
RAW_INSERT = (
    f"INSERT INTO {{table}} ({RAW_COLUMNS}) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING position"
)


def stream_of(tag: str, i: int) -> tuple[str, int]:
    """Stream id and expected version of the i-th event of a workload."""
    return f"org-{tag}-{i // PER_STREAM}", i % PER_STREAM


# ---- socorg ------------------------------------------------------------------------------


async def _socorg_run(store: SqlEventStore, tag: str, start: int, count: int) -> None:
    for i in range(start, start + count):
        stream, expected = stream_of(tag, i)
        await store.append(
            stream,
            expected,
            [NewEvent(EVENT_TYPE, payload(i))],
            metadata=META,
            division=DIVISIONS[i % len(DIVISIONS)],
        )


async def socorg_single(store: SqlEventStore, n: int, warmup: int) -> Figure:
    await _socorg_run(store, "warm1", 0, warmup)
    return await timed(
        "socorg append, 1 client",
        n,
        lambda: _socorg_run(store, "single", 0, n),
        "SqlEventStore.append (SQLAlchemy async + psycopg), one event per transaction",
    )


async def socorg_concurrent(store: SqlEventStore, n: int, warmup: int) -> Figure:
    per = n // CONCURRENCY

    async def all_clients(tag: str, count: int) -> None:
        await asyncio.gather(
            *(_socorg_run(store, f"{tag}{c}", 0, count) for c in range(CONCURRENCY))
        )

    await all_clients("warm16-", max(1, warmup // CONCURRENCY))
    return await timed(
        f"socorg append, {CONCURRENCY} clients",
        per * CONCURRENCY,
        lambda: all_clients("conc", per),
        f"{CONCURRENCY} concurrent tasks on one engine (pool 10+20), one event per transaction",
    )


# ---- raw psycopg -------------------------------------------------------------------------


def _raw_row(tag: str, i: int, now: datetime) -> tuple[Any, ...]:
    stream, expected = stream_of(tag, i)
    return (
        uuid.uuid4(),
        stream,
        expected + 1,
        EVENT_TYPE,
        1,
        Jsonb(payload(i)),
        Jsonb(META.to_json()),
        DIVISIONS[i % len(DIVISIONS)],
        now,
        now,
    )


async def _raw_run(db: str, table: str, tag: str, count: int) -> None:
    sql = RAW_INSERT.format(table=table)
    async with await psycopg.AsyncConnection.connect(conninfo(db), autocommit=True) as conn:
        for i in range(count):
            # autocommit: the single INSERT is its own transaction (one round trip, one commit)
            await conn.execute(sql, _raw_row(tag, i, datetime.now(UTC)), prepare=True)


async def raw_insert_single(db: str, n: int, warmup: int) -> Figure:
    await _raw_run(db, "raw_events", "warm1", warmup)
    return await timed(
        "raw psycopg INSERT, 1 client",
        n,
        lambda: _raw_run(db, "raw_events", "single", n),
        "psycopg AsyncConnection, autocommit, prepared INSERT … RETURNING, one row per transaction",
    )


async def raw_insert_concurrent(db: str, n: int, warmup: int) -> Figure:
    per = n // CONCURRENCY

    async def all_clients(tag: str, count: int) -> None:
        await asyncio.gather(
            *(_raw_run(db, "raw_events", f"{tag}{c}", count) for c in range(CONCURRENCY))
        )

    await all_clients("warm16-", max(1, warmup // CONCURRENCY))
    return await timed(
        f"raw psycopg INSERT, {CONCURRENCY} clients",
        per * CONCURRENCY,
        lambda: all_clients("conc", per),
        f"{CONCURRENCY} psycopg AsyncConnections, autocommit, one row per transaction",
    )


async def raw_copy(db: str, n: int) -> Figure:
    async def run() -> None:
        now = datetime.now(UTC)
        meta = json.dumps(META.to_json())
        async with (
            await psycopg.AsyncConnection.connect(conninfo(db)) as conn,
            conn.cursor() as cur,
            cur.copy(f"COPY raw_copy ({RAW_COLUMNS}) FROM STDIN") as copy,
        ):
            for i in range(n):
                stream, expected = stream_of("copy", i)
                await copy.write_row(
                    (
                        uuid.uuid4(),
                        stream,
                        expected + 1,
                        EVENT_TYPE,
                        1,
                        json.dumps(payload(i), ensure_ascii=False),
                        meta,
                        DIVISIONS[i % len(DIVISIONS)],
                        now,
                        now,
                    )
                )

    return await timed(
        "raw psycopg COPY", n, run, "one COPY … FROM STDIN of all rows, one transaction"
    )


# ---- eventsourcing -----------------------------------------------------------------------


def _eventsourcing_run(db: str, n: int, warmup: int) -> float:
    import time

    from eventsourcing.persistence import StoredEvent
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    info = dict(kv.split("=", 1) for kv in conninfo(db).split())
    datastore = PostgresDatastore(
        dbname=info["dbname"],
        host=info["host"],
        port=info["port"],
        user=info["user"],
        password=info.get("password", ""),
        pool_size=1,
    )
    try:
        recorder = PostgresApplicationRecorder(datastore, events_table_name="es_events")
        recorder.create_table()
        topic = f"bench:{EVENT_TYPE}"

        def run(count: int) -> None:
            ids = [uuid.uuid4() for _ in range(count // PER_STREAM + 1)]
            for i in range(count):
                state = json.dumps(payload(i), ensure_ascii=False).encode()
                event = StoredEvent(
                    originator_id=ids[i // PER_STREAM],
                    originator_version=i % PER_STREAM + 1,
                    topic=topic,
                    state=state,
                )
                recorder.insert_events([event])

        run(warmup)
        start = time.perf_counter()
        run(n)
        return time.perf_counter() - start
    finally:
        datastore.close()


async def eventsourcing_single(db: str, n: int, warmup: int) -> Figure:
    seconds = await asyncio.to_thread(_eventsourcing_run, db, n, warmup)
    return Figure(
        "eventsourcing append, 1 client",
        n,
        seconds,
        "PostgresApplicationRecorder.insert_events, one StoredEvent per call (sync psycopg)",
    )
