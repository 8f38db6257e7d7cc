"""Rebuilding a projection: replay its stream from sequence 1 into shadow tables, then swap.

Readers keep reading the live tables throughout; the swap is one transaction of renames,
taken between two batches of the live consumer (under its apply lock).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from sqlalchemy import MetaData, Table

from shared import checkpoints
from shared.consumer.projection import decode
from shared.consumer.subscription import discard, subscribe, unsubscribe

if TYPE_CHECKING:
    from shared.consumer.runner import ConsumerRunner

log = logging.getLogger("socorg.consumer")


def shadow_tables(tables: Sequence[Table], suffix: str) -> dict[str, Table]:
    """Copies of `tables` named `<name>__<suffix>` (indexes renamed alike), keyed by live name."""
    md = MetaData()
    out: dict[str, Table] = {}
    for t in tables:
        copy = t.to_metadata(md, name=f"{t.name}__{suffix}")
        for index in copy.indexes:
            index.name = f"{index.name}__{suffix}"  # type: ignore[assignment]
        out[t.name] = copy
    return out


async def rebuild(runner: ConsumerRunner) -> int:
    """Rebuild `runner`'s projection and swap it in; the number of events applied."""
    projection = runner.projection
    suffix = f"r{int(time.time() * 1000)}"
    shadow = shadow_tables(projection.tables, suffix)
    async with runner.writer.begin() as conn:
        for t in shadow.values():
            await conn.run_sync(t.create)
    js = runner.link.jetstream()
    durable = f"{projection.name}_rebuild_{suffix}"
    sub = await subscribe(js, projection, runner.config, durable, after=0, expires=True)
    applied, seen = 0, 0
    # As in the live runner, the next batch is fetched while this one is applied.
    ahead: asyncio.Task[list[Msg]] | None = None
    try:
        msgs = await _fetch(sub, runner)
        while True:
            if msgs:
                ahead = asyncio.create_task(_fetch(sub, runner))
                applied += await _apply(runner, msgs, shadow, durable)
                seen = msgs[-1].metadata.sequence.stream
                await msgs[-1].ack()  # cumulative: the batch
            caught_up = not msgs or msgs[-1].metadata.num_pending == 0
            if caught_up and await _swap_if_caught_up(runner, shadow, suffix, seen):
                return applied
            msgs = await ahead if ahead is not None else await _fetch(sub, runner)
            ahead = None
    finally:
        await discard(ahead)
        await unsubscribe(sub)
        try:
            await js.delete_consumer(projection.stream, durable)
        except Exception:  # noqa: BLE001 - it expires on its own (inactive_threshold)
            log.warning("rebuild %s: could not delete its consumer", durable)


async def _fetch(sub: JetStreamContext.PullSubscription, runner: ConsumerRunner) -> list[Msg]:
    try:
        return await sub.fetch(runner.config.batch_size, timeout=runner.config.fetch_timeout)
    except TimeoutError:
        return []


async def _apply(
    runner: ConsumerRunner, msgs: Sequence[Msg], shadow: Mapping[str, Table], durable: str
) -> int:
    """Apply a batch to the shadow tables, as the live runner does: whole in one transaction
    (no savepoint), or else one by one, each in a savepoint (an event that fails is skipped:
    the live consumer parked it)."""
    try:
        async with runner.writer.begin() as conn:
            await runner.projection.apply_batch(conn, [decode(m) for m in msgs], shadow)
        return len(msgs)
    except Exception:  # noqa: BLE001 - find the failing events one by one
        pass
    applied = 0
    async with runner.writer.begin() as conn:
        for m in msgs:
            try:
                async with conn.begin_nested():
                    await runner.projection.apply(conn, decode(m), shadow)
                applied += 1
            except Exception as exc:  # noqa: BLE001 - skipped, see above
                seq = m.metadata.sequence.stream
                log.warning("rebuild %s: seq %d skipped: %s", durable, seq, exc)
    return applied


async def _swap_if_caught_up(
    runner: ConsumerRunner, shadow: Mapping[str, Table], suffix: str, seen: int
) -> bool:
    async with runner.apply_lock, runner.writer.begin() as conn:
        live_seen = await checkpoints.load(conn, runner.checkpoint_name)
        if seen < live_seen:
            return False  # the live consumer is ahead: catch up first
        q = conn.dialect.identifier_preparer.quote
        for name, t in shadow.items():
            old = f"{name}__old_{suffix}"
            await conn.exec_driver_sql(f"ALTER TABLE {q(name)} RENAME TO {q(old)}")
            await conn.exec_driver_sql(f"ALTER TABLE {q(t.name)} RENAME TO {q(name)}")
            await conn.exec_driver_sql(f"DROP TABLE {q(old)}")
        await checkpoints.save(conn, runner.checkpoint_name, seen)
    # The live runner goes on from here (one of another replica finds the checkpoint moved
    # and starts again from it).
    runner.position = seen
    log.info("projection %s rebuilt and swapped in at seq %d", runner.projection.name, seen)
    return True
