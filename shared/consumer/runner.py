"""The consumer runner: a durable JetStream pull consumer feeding a projection.

A batch's effects and the consumer's checkpoint (the stream sequence) commit in one database
transaction, then the batch is acked (one cumulative ack): a redelivery or duplicate at or
below the checkpoint is acked with no effect. A message that fails is retried in place with
back-off (so nothing after it is applied first, keeping each organization's events in order)
and, after `max_attempts`, parked in `dead_letters` with its error
(shared.consumer.dead_letters); the consumer then goes on. A projection can be rebuilt while
readers read (shared.consumer.rebuild). A projection whose stream does not exist yet (its
producer has never run) waits for it, looking again with back-off, and says so (`waiting`)
without failing.

One replica consumes at a time: it holds the lease `consumer:<name>` in the database (as the
relay holds its own), reads the checkpoint once on taking the lead and makes the durable
consumer anew from it (shared.consumer.subscription). Each batch then moves the checkpoint
from where this runner left it (checkpoints.advance): a runner that lost the lead unnoticed
cannot commit over its successor, it rolls back and starts again from the checkpoint.
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
from shared.consumer.lead import Lead
from shared.consumer.projection import Delivered, Projection, decode, stream_seq
from shared.consumer.rebuild import rebuild as rebuild_projection
from shared.consumer.subscription import StreamAbsent, discard, subscribe, unsubscribe
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
        _check_overrides(self.projection)
        self.writer = self.engine.execution_options(**WRITE)
        self.checkpoint_name = f"consumer:{self.projection.name}"
        self.live = {t.name: t for t in self.projection.tables}
        self.parked = DeadLetters(
            self.engine, self.writer, self.projection.name, self.checkpoint_name
        )
        self.lead = Lead(self.engine, self.checkpoint_name, self.config.lease_ttl)
        # Held while applying a batch; a rebuild takes it to swap tables between batches.
        self.apply_lock = asyncio.Lock()
        self.position = 0  # the checkpoint as this runner last read or wrote it
        self.lag = 0
        self.last_progress = time.monotonic()
        # Why the runner waits rather than consumes (its stream absent), or None.
        self.waiting: str | None = None
        self._stopping = asyncio.Event()

    # ---- lifecycle -------------------------------------------------------------------------

    def stop(self) -> None:
        self._stopping.set()

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
            while not self._stopping.is_set():
                try:
                    if not self.link.is_connected:
                        await self._pause(0.2)
                        continue
                    if not await self._lead():
                        await discard(ahead)
                        ahead = None
                        await unsubscribe(sub)
                        sub = None
                        await self._pause(self.config.lease_ttl / 4)
                        continue
                    if sub is None:
                        sub = await self._subscribe()
                        self.waiting = None
                    msgs = await ahead if ahead is not None else await self._fetch(sub)
                    ahead = None
                    if msgs:
                        if not self._stopping.is_set():
                            ahead = asyncio.create_task(self._fetch(sub))
                        await self.handle(msgs)
                    backoff = self.config.backoff_initial
                except asyncio.CancelledError:
                    raise
                except StreamAbsent as exc:  # its producer has not run yet: not a failure
                    if self.waiting is None:
                        log.info("consumer %s: %s", self.projection.name, exc)
                    self.waiting = str(exc)
                    self.lag = 0
                    self.last_progress = time.monotonic()
                    await self._pause(backoff)
                    backoff = min(backoff * 2, self.config.backoff_max)
                except Exception as exc:  # noqa: BLE001 - log, back off, resubscribe
                    log.warning("consumer %s: %s", self.projection.name, exc)
                    await discard(ahead)
                    ahead = None
                    await unsubscribe(sub)
                    sub = None
                    await self._pause(backoff)
                    backoff = min(backoff * 2, self.config.backoff_max)
            if ahead is not None:  # stopping: apply what was already fetched
                msgs = await ahead
                ahead = None
                if msgs:
                    await self.handle(msgs)
        finally:
            await discard(ahead)
            await unsubscribe(sub)
            await self.lead.step_down()

    def stalled(self) -> bool:
        idle = time.monotonic() - self.last_progress
        return self.lag > 0 and idle > self.config.stall_after

    async def _pause(self, seconds: float) -> None:
        """Sleep `seconds`, or less if the runner is stopped meanwhile."""
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
        except TimeoutError:
            pass

    async def _lead(self) -> bool:
        held = await self.lead.hold()
        if not held:
            self.lag = 0  # another replica consumes: it reports the lag
            self.last_progress = time.monotonic()
        return held

    async def _subscribe(self) -> JetStreamContext.PullSubscription:
        """Read the checkpoint and make the durable consumer anew right after it."""
        async with self.engine.connect() as conn:
            self.position = await checkpoints.load(conn, self.checkpoint_name)
        js = self.link.jetstream()
        name = self.projection.name
        return await subscribe(js, self.projection, self.config, name, after=self.position)

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
        except checkpoints.CheckpointMoved:
            raise  # not the projection's failure: start again from the checkpoint
        except Exception:  # noqa: BLE001 - find the failing message one by one
            return await self._apply_each(msgs, start)

    async def _apply_all(self, msgs: Sequence[Msg]) -> None:
        """The fast path: every new message in one transaction, no savepoints."""
        seen = self.position
        fresh = [d for m in msgs if (d := decode(m)).stream_seq > seen]
        if fresh:
            async with self.writer.begin() as conn:
                await self.projection.apply_batch(conn, fresh, self.live)
                last = fresh[-1].stream_seq
                await checkpoints.advance(conn, self.checkpoint_name, seen, last)
                appended = _appended(conn)
            self.position = last
            self._committed(appended)
        await msgs[-1].ack()
        APPLIED.labels(self.projection.name).inc(len(fresh))

    async def _apply_each(self, msgs: Sequence[Msg], start: int) -> int | None:
        """Apply msgs[start:] in one transaction, each in a savepoint, up to the first failure."""
        failed_at: int | None = None
        done = start
        seen = self.position
        async with self.writer.begin() as conn:
            for i in range(start, len(msgs)):
                seq = stream_seq(msgs[i])
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
            if seen != self.position:
                await checkpoints.advance(conn, self.checkpoint_name, self.position, seen)
            appended = _appended(conn)
        self.position = seen
        self._committed(appended)
        if done > start:
            await msgs[done - 1].ack()
        return failed_at

    async def _retry_or_park(self, msg: Msg) -> None:
        seq = stream_seq(msg)
        delay = self.config.backoff_initial
        error = ""
        for attempt in range(2, self.config.max_attempts + 1):
            await msg.in_progress()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.config.backoff_max)
            try:
                async with self.writer.begin() as conn:
                    await self.projection.apply(conn, decode(msg, seq), self.live)
                    await checkpoints.advance(conn, self.checkpoint_name, self.position, seq)
                    appended = _appended(conn)
                self.position = seq
                self._committed(appended)
                APPLIED.labels(self.projection.name).inc()
                await msg.ack()
                return
            except checkpoints.CheckpointMoved:
                raise
            except Exception as exc:  # noqa: BLE001 - the error is what gets parked
                error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "consumer %s: seq %d failed (attempt %d): %s",
                    self.projection.name,
                    seq,
                    attempt,
                    error,
                )
        await self.parked.park(msg, error or "failed", self.config.max_attempts, self.position)
        self.position = seq
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


def _check_overrides(projection: Projection) -> None:
    """`Projection.apply` and `apply_batch` default to each other: a projection overriding
    neither is refused here, not found recursing at its first event."""
    kind = type(projection)
    if (
        getattr(kind, "apply", None) is Projection.apply
        and getattr(kind, "apply_batch", None) is Projection.apply_batch
    ):
        raise TypeError(f"{kind.__name__} must override apply, apply_batch or both")
