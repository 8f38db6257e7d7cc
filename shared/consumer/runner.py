"""The consumer runner: a durable JetStream pull consumer feeding a projection.

A batch's effects and the consumer's checkpoint (the stream sequence) commit in one database
transaction, then the messages are acked: a redelivery or duplicate at or below the checkpoint
is acked with no effect. A message that fails is retried in place with back-off (so nothing
after it is applied first, keeping each organization's events in order) and, after
`max_attempts`, parked in `dead_letters` with its error (shared.consumer.dead_letters); the
consumer then goes on. A projection can be rebuilt while readers read
(shared.consumer.rebuild).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared import checkpoints
from shared.consumer.config import APPLIED, LAG, ConsumerConfig
from shared.consumer.dead_letters import DeadLetters
from shared.consumer.projection import Delivered, Projection, decode
from shared.consumer.rebuild import rebuild as rebuild_projection
from shared.consumer.subscription import discard, subscribe, unsubscribe
from shared.db import WRITE
from shared.eventstore.sql import APPENDED_ON
from shared.natslink import NatsLink

log = logging.getLogger("socorg.consumer")


@dataclass
class ConsumerRunner:
    engine: AsyncEngine
    link: NatsLink
    projection: Projection
    config: ConsumerConfig = field(default_factory=ConsumerConfig)
    # Called after a batch whose projection appended events commits (the store's on_commit:
    # the relay and the webhook worker wake up on it instead of at their next poll).
    on_commit: Sequence[Callable[[], None]] = ()

    def __post_init__(self) -> None:
        self.writer = self.engine.execution_options(**WRITE)
        self.checkpoint_name = f"consumer:{self.projection.name}"
        self.live = {t.name: t for t in self.projection.tables}
        self.parked = DeadLetters(
            self.engine, self.writer, self.projection.name, self.checkpoint_name
        )
        # Held while applying a batch; a rebuild takes it to swap tables between batches.
        self.apply_lock = asyncio.Lock()
        self.lag = 0
        self.last_progress = time.monotonic()
        self._stopping = False

    # ---- lifecycle -------------------------------------------------------------------------

    def stop(self) -> None:
        self._stopping = True

    async def create_tables(self) -> None:
        async with self.writer.begin() as conn:
            for t in self.projection.tables:
                await conn.run_sync(_create_if_missing, t)

    async def run(self) -> None:
        await self.create_tables()
        backoff = self.config.backoff_initial
        sub: JetStreamContext.PullSubscription | None = None
        # The next batch is fetched while the current one is applied and committed.
        ahead: asyncio.Task[list[Msg]] | None = None
        try:
            while not self._stopping:
                try:
                    if not self.link.is_connected:
                        await asyncio.sleep(0.2)
                        continue
                    if sub is None:
                        sub = await subscribe(
                            self.link.jetstream(),
                            self.projection,
                            self.config,
                            self.projection.name,
                        )
                    msgs = await ahead if ahead is not None else await self._fetch(sub)
                    ahead = None
                    if msgs:
                        if not self._stopping:
                            ahead = asyncio.create_task(self._fetch(sub))
                        await self.handle(msgs)
                    backoff = self.config.backoff_initial
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - log, back off, resubscribe
                    log.warning("consumer %s: %s", self.projection.name, exc)
                    await discard(ahead)
                    ahead = None
                    await unsubscribe(sub)
                    sub = None
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, self.config.backoff_max)
            if ahead is not None:  # stopping: apply what was already fetched
                msgs = await ahead
                ahead = None
                if msgs:
                    await self.handle(msgs)
        finally:
            await discard(ahead)
            await unsubscribe(sub)

    def stalled(self) -> bool:
        idle = time.monotonic() - self.last_progress
        return self.lag > 0 and idle > self.config.stall_after

    async def _fetch(self, sub: JetStreamContext.PullSubscription) -> list[Msg]:
        try:
            return await sub.fetch(self.config.batch_size, timeout=self.config.fetch_timeout)
        except TimeoutError:
            self.lag = 0
            LAG.labels(self.projection.name).set(0)
            self.last_progress = time.monotonic()
            return []

    # ---- applying --------------------------------------------------------------------------

    async def handle(self, msgs: Sequence[Msg]) -> None:
        """Apply a fetched batch in order; ack what is applied, parked or already seen."""
        async with self.apply_lock:
            start = 0
            while start < len(msgs):
                failed_at = await self._apply_run(msgs, start)
                if failed_at is None:
                    break
                await self._retry_or_park(msgs[failed_at])
                start = failed_at + 1
        meta = msgs[-1].metadata
        self.lag = int(meta.num_pending)
        LAG.labels(self.projection.name).set(self.lag)
        self.last_progress = time.monotonic()

    async def _apply_run(self, msgs: Sequence[Msg], start: int) -> int | None:
        """Apply msgs[start:]; the index of the first that fails, or None."""
        try:
            await self._apply_all(msgs[start:])
            return None
        except Exception:  # noqa: BLE001 - find the failing message one by one
            return await self._apply_each(msgs, start)

    async def _apply_all(self, msgs: Sequence[Msg]) -> None:
        """The fast path: every new message in one transaction, no savepoints."""
        async with self.writer.begin() as conn:
            seen = await checkpoints.load(conn, self.checkpoint_name)
            numbered = ((m, m.metadata.sequence.stream) for m in msgs)
            fresh = [decode(m, seq) for m, seq in numbered if seq > seen]
            if fresh:
                await self.projection.apply_batch(conn, fresh, self.live)
                await checkpoints.save(conn, self.checkpoint_name, fresh[-1].stream_seq)
            appended = _appended(conn)
        self._committed(appended)
        for m in msgs:
            await m.ack()
        APPLIED.labels(self.projection.name).inc(len(fresh))

    async def _apply_each(self, msgs: Sequence[Msg], start: int) -> int | None:
        """Apply msgs[start:] in one transaction, each in a savepoint, up to the first failure."""
        failed_at: int | None = None
        done = start
        async with self.writer.begin() as conn:
            seen = await checkpoints.load(conn, self.checkpoint_name)
            for i in range(start, len(msgs)):
                seq = msgs[i].metadata.sequence.stream
                if seq > seen:
                    try:
                        async with conn.begin_nested():
                            await self.projection.apply(conn, decode(msgs[i], seq), self.live)
                    except Exception:  # noqa: BLE001 - handled by retry, then dead-letter
                        failed_at = i
                        break
                    seen = seq
                    APPLIED.labels(self.projection.name).inc()
                done = i + 1
            await checkpoints.save(conn, self.checkpoint_name, seen)
            appended = _appended(conn)
        self._committed(appended)
        for m in msgs[start:done]:
            await m.ack()
        return failed_at

    async def _retry_or_park(self, msg: Msg) -> None:
        seq = msg.metadata.sequence.stream
        delay = self.config.backoff_initial
        error = ""
        for attempt in range(2, self.config.max_attempts + 1):
            await msg.in_progress()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.config.backoff_max)
            try:
                async with self.writer.begin() as conn:
                    if seq <= await checkpoints.load(conn, self.checkpoint_name):
                        break  # applied meanwhile (another replica)
                    await self.projection.apply(conn, decode(msg, seq), self.live)
                    await checkpoints.save(conn, self.checkpoint_name, seq)
                    appended = _appended(conn)
                self._committed(appended)
                APPLIED.labels(self.projection.name).inc()
                await msg.ack()
                return
            except Exception as exc:  # noqa: BLE001 - the error is what gets parked
                error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "consumer %s: seq %d failed (attempt %d): %s",
                    self.projection.name,
                    seq,
                    attempt,
                    error,
                )
        else:
            await self.parked.park(msg, error or "failed", self.config.max_attempts)
        await msg.ack()

    # ---- dead letters and rebuilds -----------------------------------------------------------

    async def dead_letters(self, *, include_replayed: bool = False) -> list[dict[str, Any]]:
        return await self.parked.rows(include_replayed=include_replayed)

    async def replay(self, dead_letter_id: int) -> None:
        """Apply a parked message now (after a fix); once only. Raises if it fails again."""
        async with self.apply_lock:
            await self.parked.replay(dead_letter_id, self._apply_live)

    async def rebuild(self) -> int:
        """Replay the stream from sequence 1 into shadow tables, then swap them in; the
        number of events applied (shared.consumer.rebuild)."""
        return await rebuild_projection(self)

    def _committed(self, appended: bool) -> None:
        if appended:
            for callback in self.on_commit:
                callback()

    async def _apply_live(self, conn: AsyncConnection, event: Delivered) -> None:
        await self.projection.apply(conn, event, self.live)


def _create_if_missing(sync_conn: Any, table: Table) -> None:
    table.create(sync_conn, checkfirst=True)


def _appended(conn: AsyncConnection) -> bool:
    """Whether a unit of work appended events in this transaction (the mark is taken off)."""
    return bool(conn.info.pop(APPENDED_ON, False))
