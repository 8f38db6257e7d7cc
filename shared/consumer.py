"""The consumer runner: a durable JetStream pull consumer feeding a projection.

A batch's effects and the consumer's checkpoint (the stream sequence) commit in one database
transaction, then the messages are acked: a redelivery or duplicate at or below the checkpoint
is acked with no effect. A message that fails is retried in place with back-off (so nothing
after it is applied first, keeping each organization's events in order) and, after
`max_attempts`, parked in `dead_letters` with its error; the consumer then goes on. Parked
messages can be listed and replayed once the projection is fixed. A projection can be rebuilt
from sequence 1 into shadow tables and swapped in while readers keep reading.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from nats.aio.msg import Msg
from nats.js import JetStreamContext, api
from nats.js.errors import NotFoundError
from prometheus_client import Counter, Gauge
from sqlalchemy import MetaData, Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared import checkpoints
from shared.contracts.base import EventData, get_contract
from shared.db import WRITE
from shared.natslink import NatsLink
from shared.tables import dead_letters

log = logging.getLogger("socorg.consumer")
LAG = Gauge("socorg_consumer_lag_messages", "messages not yet applied", ["consumer"])
APPLIED = Counter("socorg_consumer_applied_total", "messages applied", ["consumer"])
PARKED = Counter("socorg_consumer_dead_lettered_total", "messages dead-lettered", ["consumer"])


@dataclass(frozen=True)
class Delivered:
    """One received event: the CloudEvent envelope and where it sits in the stream."""

    envelope: dict[str, Any]
    subject: str
    stream_seq: int

    @property
    def producer(self) -> str:
        return str(self.envelope["type"]).split(".")[1]

    @property
    def event_type(self) -> str:
        return str(self.envelope["type"]).split(".")[2]

    def payload(self) -> EventData:
        """The data parsed (and upcast) with the shared contract."""
        c = get_contract(self.producer, self.event_type)
        parsed: EventData = c.parse(
            self.envelope.get("data") or {}, self.envelope.get("schemaversion")
        )
        return parsed


class Projection(Protocol):
    """What a consuming service implements: its tables and how one event changes them.

    A projection may also define `async apply_batch(conn, events, tables)` to apply a whole
    batch at once (e.g. one multi-row statement); the runner then uses it on the fast path and
    falls back to `apply`, one savepoint per event, to find a failing event.
    """

    name: str  # durable consumer name and checkpoint key
    stream: str  # e.g. "REGISTRY"
    filter_subjects: Sequence[str]
    tables: Sequence[Table]  # the live tables it owns (created by the runner if missing)

    async def apply(
        self, conn: AsyncConnection, event: Delivered, tables: Mapping[str, Table]
    ) -> None: ...


@dataclass(frozen=True)
class ConsumerConfig:
    batch_size: int = 256
    fetch_timeout: float = 1.0
    max_attempts: int = 5
    backoff_initial: float = 0.2
    backoff_max: float = 5.0
    ack_wait: float = 60.0
    stall_after: float = 120.0  # lagging with no progress for this long → not ready


def decode(msg: Msg, seq: int | None = None) -> Delivered:
    """The message's envelope; `seq` its stream sequence if already known (nats-py parses
    a message's metadata from its reply subject again on every access)."""
    envelope = json.loads(msg.data)
    if not isinstance(envelope, dict) or "type" not in envelope:
        raise ValueError("message is not a CloudEvent envelope")
    return Delivered(envelope, msg.subject, msg.metadata.sequence.stream if seq is None else seq)


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


@dataclass
class ConsumerRunner:
    engine: AsyncEngine
    link: NatsLink
    projection: Projection
    config: ConsumerConfig = field(default_factory=ConsumerConfig)

    def __post_init__(self) -> None:
        self.writer = self.engine.execution_options(**WRITE)
        self.checkpoint_name = f"consumer:{self.projection.name}"
        self.live = {t.name: t for t in self.projection.tables}
        # Held while applying a batch; a rebuild takes it to swap tables between batches.
        self.apply_lock = asyncio.Lock()
        self.lag = 0
        self.last_progress = time.monotonic()
        self._stopping = False
        self._wake = asyncio.Event()

    # ---- lifecycle -------------------------------------------------------------------------

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

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
                        sub = await self._subscribe(self.link.jetstream(), self.projection.name)
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
                    await _discard(ahead)
                    ahead = None
                    await _unsubscribe(sub)
                    sub = None
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, self.config.backoff_max)
            if ahead is not None:  # stopping: apply what was already fetched
                msgs = await ahead
                ahead = None
                if msgs:
                    await self.handle(msgs)
        finally:
            await _discard(ahead)
            await _unsubscribe(sub)

    def stalled(self) -> bool:
        idle = time.monotonic() - self.last_progress
        return self.lag > 0 and idle > self.config.stall_after

    async def _subscribe(
        self, js: JetStreamContext, durable: str, *, from_start: bool = False
    ) -> JetStreamContext.PullSubscription:
        p = self.projection
        cfg = api.ConsumerConfig(
            durable_name=durable,
            ack_policy=api.AckPolicy.EXPLICIT,
            deliver_policy=api.DeliverPolicy.ALL,
            ack_wait=self.config.ack_wait,
            max_deliver=-1,
            filter_subjects=list(p.filter_subjects),
            max_ack_pending=max(1000, self.config.batch_size * 4),
            inactive_threshold=3600.0 if from_start else None,
        )
        try:
            await js.consumer_info(p.stream, durable)
        except NotFoundError:
            await js.add_consumer(p.stream, cfg)
        return await js.pull_subscribe_bind(durable=durable, stream=p.stream)

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
            apply_batch = getattr(self.projection, "apply_batch", None)
            if apply_batch is not None:
                await apply_batch(conn, fresh, self.live)
            else:
                for event in fresh:
                    await self.projection.apply(conn, event, self.live)
            if fresh:
                await checkpoints.save(conn, self.checkpoint_name, fresh[-1].stream_seq)
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
                            await self.projection.apply(conn, decode(msgs[i]), self.live)
                    except Exception:  # noqa: BLE001 - handled by retry, then dead-letter
                        failed_at = i
                        break
                    seen = seq
                    APPLIED.labels(self.projection.name).inc()
                done = i + 1
            await checkpoints.save(conn, self.checkpoint_name, seen)
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
                    await self.projection.apply(conn, decode(msg), self.live)
                    await checkpoints.save(conn, self.checkpoint_name, seq)
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
            await self._park(msg, error or "failed", self.config.max_attempts)
        await msg.ack()

    async def _park(self, msg: Msg, error: str, attempts: int) -> None:
        seq = msg.metadata.sequence.stream
        try:
            envelope: Any = json.loads(msg.data)
        except ValueError:
            envelope = {"undecodable": msg.data.decode("utf-8", "replace")}
        async with self.writer.begin() as conn:
            try:
                async with conn.begin_nested():
                    await conn.execute(
                        insert(dead_letters).values(
                            consumer=self.projection.name,
                            stream_seq=seq,
                            subject=msg.subject,
                            envelope=envelope,
                            error=error[:4000],
                            attempts=attempts,
                            parked_at=datetime.now(UTC),
                        )
                    )
            except IntegrityError:
                pass  # parked before (a rebuild meets the same poison message)
            await checkpoints.save(
                conn,
                self.checkpoint_name,
                max(seq, await checkpoints.load(conn, self.checkpoint_name)),
            )
        PARKED.labels(self.projection.name).inc()
        log.error("consumer %s: parked seq %d: %s", self.projection.name, seq, error)

    # ---- dead letters ----------------------------------------------------------------------

    async def dead_letters(self, *, include_replayed: bool = False) -> list[dict[str, Any]]:
        q = select(dead_letters).where(dead_letters.c.consumer == self.projection.name)
        if not include_replayed:
            q = q.where(dead_letters.c.replayed_at.is_(None))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q.order_by(dead_letters.c.stream_seq))).mappings().all()
        return [dict(r) for r in rows]

    async def replay(self, dead_letter_id: int) -> None:
        """Apply a parked message now (after a fix); once only. Raises if it fails again."""
        async with self.apply_lock, self.writer.begin() as conn:
            row = (
                await conn.execute(
                    select(dead_letters).where(
                        dead_letters.c.id == dead_letter_id,
                        dead_letters.c.consumer == self.projection.name,
                    )
                )
            ).first()
            if row is None:
                raise LookupError(f"no dead letter {dead_letter_id} for {self.projection.name}")
            if row.replayed_at is not None:
                raise AlreadyReplayed(dead_letter_id, row.replayed_at)
            event = Delivered(row.envelope, row.subject, row.stream_seq)
            await self.projection.apply(conn, event, self.live)
            await conn.execute(
                update(dead_letters)
                .where(dead_letters.c.id == dead_letter_id)
                .values(replayed_at=datetime.now(UTC))
            )

    # ---- rebuild ---------------------------------------------------------------------------

    async def rebuild(self) -> int:
        """Replay the stream from sequence 1 into shadow tables, then swap them in.

        Readers keep reading the live tables throughout; the swap is one transaction of
        renames, taken between two batches of the live consumer. Returns the events applied.
        """
        suffix = f"r{int(time.time() * 1000)}"
        shadow = shadow_tables(self.projection.tables, suffix)
        async with self.writer.begin() as conn:
            for t in shadow.values():
                await conn.run_sync(t.create)
        js = self.link.jetstream()
        durable = f"{self.projection.name}_rebuild_{suffix}"
        sub = await self._subscribe(js, durable, from_start=True)
        applied, seen = 0, 0
        try:
            while True:
                try:
                    msgs = await sub.fetch(
                        self.config.batch_size, timeout=self.config.fetch_timeout
                    )
                except TimeoutError:
                    msgs = []
                async with self.writer.begin() as conn:
                    for m in msgs:
                        seq = m.metadata.sequence.stream
                        try:
                            async with conn.begin_nested():
                                await self.projection.apply(conn, decode(m), shadow)
                            applied += 1
                        except Exception as exc:  # noqa: BLE001 - parked like the live one
                            log.warning("rebuild %s: seq %d skipped: %s", durable, seq, exc)
                        seen = seq
                for m in msgs:
                    await m.ack()
                caught_up = not msgs or msgs[-1].metadata.num_pending == 0
                if caught_up and await self._swap_if_caught_up(shadow, suffix, seen):
                    return applied
        finally:
            try:
                await js.delete_consumer(self.projection.stream, durable)
            except Exception:  # noqa: BLE001 - it expires on its own (inactive_threshold)
                log.warning("rebuild %s: could not delete its consumer", durable)

    async def _swap_if_caught_up(self, shadow: Mapping[str, Table], suffix: str, seen: int) -> bool:
        async with self.apply_lock:
            async with self.writer.begin() as conn:
                live_seen = await checkpoints.load(conn, self.checkpoint_name)
                if seen < live_seen:
                    return False  # the live consumer is ahead: catch up first
                dialect = conn.dialect
                q = dialect.identifier_preparer.quote
                for name, t in shadow.items():
                    old = f"{name}__old_{suffix}"
                    await conn.exec_driver_sql(f"ALTER TABLE {q(name)} RENAME TO {q(old)}")
                    await conn.exec_driver_sql(f"ALTER TABLE {q(t.name)} RENAME TO {q(name)}")
                    await conn.exec_driver_sql(f"DROP TABLE {q(old)}")
                await checkpoints.save(conn, self.checkpoint_name, seen)
        log.info("projection %s rebuilt and swapped in at seq %d", self.projection.name, seen)
        return True


async def _discard(task: asyncio.Task[list[Msg]] | None) -> None:
    """Drop a fetch in flight; its messages are redelivered after `ack_wait`."""
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def _unsubscribe(sub: JetStreamContext.PullSubscription | None) -> None:
    """Drop a subscription (never raising): the connection's drain must not wait on it."""
    if sub is not None:
        try:
            await sub.unsubscribe()
        except Exception:  # noqa: BLE001 - already gone with its connection
            pass


def _create_if_missing(sync_conn: Any, table: Table) -> None:
    table.create(sync_conn, checkfirst=True)


class AlreadyReplayed(Exception):
    def __init__(self, dead_letter_id: int, at: datetime) -> None:
        super().__init__(f"dead letter {dead_letter_id} was replayed at {at.isoformat()}")
        self.dead_letter_id = dead_letter_id


@dataclass
class Consumers:
    """The runners of one service, started in its lifespan and reported by `/readyz`."""

    runners: dict[str, ConsumerRunner] = field(default_factory=dict)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    rebuilds: dict[str, asyncio.Task[int]] = field(default_factory=dict)

    def add(self, runner: ConsumerRunner) -> None:
        self.runners[runner.projection.name] = runner

    def start(self) -> None:
        for name, runner in self.runners.items():
            self.tasks.append(asyncio.create_task(runner.run(), name=f"consumer-{name}"))

    async def stop(self, grace: float) -> None:
        for runner in self.runners.values():
            runner.stop()
        for rebuild in self.rebuilds.values():
            rebuild.cancel()
        if self.tasks:
            _, pending = await asyncio.wait(self.tasks, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def readiness(self) -> tuple[bool, str]:
        stalled = [n for n, r in self.runners.items() if r.stalled()]
        if stalled:
            return False, f"stalled: {', '.join(stalled)}"
        lags = ", ".join(f"{n} lag {r.lag}" for n, r in self.runners.items())
        return True, lags or "no consumers"
