"""A consuming service's projection of REGISTRY over the national register: rebuilt from the
stream beside raw nats-py fetch + ack of the same messages, then filled with the rest.

- the stream holds the register's first events (bench/metrics.py `publish`: the relay's
  subjects and bodies, straight from the `events` table); `ConsumerRunner.rebuild()` of the
  projection from sequence 1 (default `ConsumerConfig`: its filter subjects, batches through
  `apply_batch` into shadow tables, then the swap), timed from the call until it returns;
- the reference: a durable pull consumer on the same stream with the same filter subjects,
  `fetch(batch)` then `ack()` each, over the same messages;
- the fill: the rest of the register read from the `events` table, READ_CHUNK events a
  transaction, applied by the projection's own `apply_batch` as a rebuild applies them
  (tables of the same names that are not the live Table objects: no reactions are raised,
  no flags cleared, as in a rebuild); one read feeds every projection filled.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence

import nats
import psycopg
from sqlalchemy import MetaData, Table
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.common import Figure, conninfo, pg_url, timed
from bench.metrics import STREAM
from bench.pipeline import fetch_ack
from shared.consumer import ConsumerConfig, ConsumerRunner, Delivered, Projection
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore
from shared.natslink import NatsLink
from shared.outbox.envelope import subject, to_cloudevent

READ_CHUNK = 5000


def types_of(projection: Projection) -> list[str]:
    """The event types of its filter subjects (registry.*.*.*.<type>)."""
    return [s.rsplit(".", 1)[1] for s in projection.filter_subjects]


def matching(db: str, projection: Projection, n: int) -> int:
    """How many of the register's first `n` events the projection's filter selects."""
    with psycopg.connect(conninfo(db)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM events WHERE position <= %s AND type = ANY(%s)",
            (n, types_of(projection)),
        ).fetchone()
    return int(row[0]) if row else 0


async def rebuild(db: str, nats_url: str, projection: Projection, expected: int) -> Figure:
    engine = make_async_engine(pg_url(db))
    link = NatsLink(nats_url, name=f"socorg-bench-{projection.name}")
    link.start()
    try:
        await asyncio.wait_for(link.connected.wait(), 10)
        runner = ConsumerRunner(engine, link, projection, ConsumerConfig())
        await runner.create_tables()
        started = time.perf_counter()
        applied = await runner.rebuild()
        seconds = time.perf_counter() - started
    finally:
        await link.close()
        await engine.dispose()
    if applied != expected:
        raise RuntimeError(f"{projection.name} rebuild applied {applied} of {expected}")
    return Figure(
        f"socorg {projection.name} rebuild",
        applied,
        seconds,
        f"ConsumerRunner.rebuild() of {type(projection).__module__}.{type(projection).__name__} "
        f"from sequence 1 (its {len(projection.filter_subjects)} filter subjects, batch "
        f"{ConsumerConfig().batch_size}, apply_batch into shadow tables, then swapped in)",
    )


async def raw_fetch_ack(nats_url: str, projection: Projection, n: int) -> Figure:
    nc = await nats.connect(nats_url, name="socorg-bench-raw")
    config = ConsumerConfig()
    try:
        return await timed(
            "raw nats-py fetch + ack",
            n,
            lambda: fetch_ack(
                nc.jetstream(), projection.name, n, config, STREAM, projection.filter_subjects
            ),
            f"pull fetch({config.batch_size}) then ack() each of the same {n:,} messages "
            f"(the same filter subjects)",
        )
    finally:
        await nc.close()


async def _delivered(db: str, after: int) -> AsyncIterator[list[Delivered]]:
    """The stored events after position `after`, as the consumer would be handed them."""
    store = SqlEventStore(make_async_engine(pg_url(db)))
    seq = after
    try:
        while batch := await store.read_all(after, limit=READ_CHUNK):
            out = []
            for e in batch:
                seq += 1
                envelope = to_cloudevent("registry", e)
                out.append(Delivered.of(envelope, subject("registry", e.division, e.type), seq))
            yield out
            after = batch[-1].position
    finally:
        await store.engine.dispose()


def _as_rebuilt(projection: Projection) -> dict[str, Table]:
    """Its tables under their own names, not the live objects (a rebuild's mapping)."""
    return {t.name: t.to_metadata(MetaData()) for t in projection.tables}


async def fill(db: str, targets: Sequence[tuple[str, Projection]], after: int) -> dict[str, Figure]:
    """Apply the events after `after` to each (database, projection); a Figure each."""
    engines: list[AsyncEngine] = [make_async_engine(pg_url(t)) for t, _ in targets]
    wanted = [set(types_of(p)) for _, p in targets]
    tables = [_as_rebuilt(p) for _, p in targets]
    counts, spent = [0] * len(targets), [0.0] * len(targets)
    try:

        async def apply(k: int, chunk: list[Delivered]) -> None:
            mine = [d for d in chunk if d.event_type in wanted[k]]
            started = time.perf_counter()
            async with engines[k].begin() as conn:
                await targets[k][1].apply_batch(conn, mine, tables[k])
            spent[k] += time.perf_counter() - started
            counts[k] += len(mine)

        async for chunk in _delivered(db, after):
            # Each projection on its own connection, at once: one's SQL runs while the
            # other's Python folds.
            await asyncio.gather(*(apply(k, chunk) for k in range(len(targets))))
        for k, (_, projection) in enumerate(targets):
            async with engines[k].begin() as conn:
                for t in projection.tables:
                    await conn.exec_driver_sql(f"ANALYZE {t.name}")
    finally:
        for engine in engines:
            await engine.dispose()
    return {
        p.name: Figure(
            f"{p.name} apply_batch from the table",
            counts[k],
            spent[k],
            f"the rest of the register after position {after:,}, {READ_CHUNK} events read a "
            "transaction, applied as a rebuild applies them (time in apply_batch only; the "
            "projections filled side by side, each chunk applied to both at once)",
        )
        for k, (_, p) in enumerate(targets)
    }
