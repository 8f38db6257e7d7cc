"""The relay: the events table is the outbox; publish it to JetStream in position order.

(Over 300 lines: one loop and the state its guarantees share; its parts are in shared.outbox.)

Guarantees:
- Order. Each message carries `Nats-Msg-Id` = event id and `Nats-Expected-Last-Msg-Id` = the
  previous event's id, so JetStream refuses a message whose predecessor did not land: a lost
  publish can never be overtaken by a later one, however the connection fails.
- Nothing lost, nothing twice. The checkpoint moves only after PubAcks (a `duplicate` ack
  counts). On taking the lead, and after any failure, the relay re-reads the stream's last
  message and resumes right after that event: what JetStream actually holds is the truth, so
  a relay crash between PubAck and checkpoint re-publishes nothing, and a JetStream that lost
  acknowledged messages gets them again. Re-publishes inside the duplicate window are
  absorbed by JetStream's de-duplication in any case.
- Throughput. A batch is published pipelined, and only its last message asks for a PubAck:
  by the order rule above, that one acknowledgement covers every message before it.
- One publisher. A lease in the database; another replica takes over when the holder dies.
- No stall in silence. A message NATS refuses for good (over the server's max_payload, or any
  JetStream refusal that is not NATS being away, slow or out of order) is found (a batch not
  acknowledged is sent again one message at a time), recorded in relay_blocked and reported:
  the metric socorg_relay_blocked, `/readyz` failing, `socorg relay-status`. The relay holds
  at it, order being the guarantee, and tries it again every `blocked_retry` seconds: it goes
  on once the event is published (the server's limit raised) or an operator skipped it with
  a reason (`socorg relay-skip`, shared.outbox.blocked). NATS down or timing out is retried as
  before, and never counts as a refusal.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from nats.errors import MaxPayloadError
from nats.js import JetStreamContext, api
from prometheus_client import start_http_server
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared import catalog, checkpoints
from shared.db import WRITE
from shared.eventstore.sql import SqlEventStore
from shared.natslink import NatsLink
from shared.outbox import blocked as relay_blocked
from shared.outbox.config import RelayConfig
from shared.outbox.envelope import subject
from shared.outbox.lease import Lease
from shared.outbox.metrics import (
    BLOCKED,
    BLOCKED_POSITION,
    IS_LEADER,
    LAG_POSITIONS,
    LAG_SECONDS,
    PUBLISHED,
)
from shared.outbox.reader import OutboxReader, OutboxRow
from shared.outbox.refusal import Refused, is_refusal
from shared.outbox.stream import ensure_stream
from shared.settings import ServiceSettings
from shared.tables import events

log = logging.getLogger("socorg.relay")

HEAD_EVERY = 1.0  # seconds between reads of the outbox's head for the lag gauge
# Room for the headers (Nats-Msg-Id, Nats-Expected-Last-Msg-Id) the server counts against
# max_payload with the payload; the client checks the payload alone.
HEADER_ROOM = 256


class Relay:
    def __init__(
        self,
        *,
        store: SqlEventStore,
        link: NatsLink,
        producer: str,
        config: RelayConfig | None = None,
        holder: str | None = None,
    ) -> None:
        self.store = store
        self.outbox = OutboxReader(store, producer)
        self.engine: AsyncEngine = store.engine.execution_options(**WRITE)
        self.link = link
        self.producer = producer
        self.stream = catalog.stream_of(producer)
        self.config = config or RelayConfig()
        me = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = Lease(
            store.engine, f"relay:{producer}", me, timedelta(seconds=self.config.lease_ttl)
        )
        self.checkpoint_name = f"relay:{producer}"
        self.position = 0
        self.last_id: str | None = None
        self._synced = False
        self._stream_ready = False
        self._wake = asyncio.Event()
        self._stopping = False
        self._renewed_at = 0.0
        self.published = 0  # acknowledged by this process (tests, bench)
        self._prefetched: list[OutboxRow] | None = None
        self._saving: asyncio.Task[None] | None = None
        self._head = (0, -HEAD_EVERY)  # the outbox's last position, and when it was read
        self.blocked: relay_blocked.Blocked | None = None  # the event held at, if any
        self._retry_at = 0.0  # when the held event is tried again
        self._one_by_one_to = 0  # publish one message at a time up to this position
        self._skipped: set[int] = set()  # positions ahead an operator skipped
        self._held_since: datetime | None = None  # when the held event was recorded

    def kick(self) -> None:
        """Wake the relay now (an append committed)."""
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        backoff = 0.1
        try:
            while not self._stopping:
                try:
                    worked = await self._step()
                    backoff = 0.1
                    if not worked:
                        await self._idle()
                    elif self._prefetched is None and self.config.linger > 0:
                        await asyncio.sleep(self.config.linger)  # the outbox was emptied
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - keep relaying; state is re-synced
                    log.warning("relay %s: %s; retrying", self.producer, exc)
                    self._synced = False
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
        finally:
            IS_LEADER.labels(self.producer).set(0)
            if self._saving is not None:
                await asyncio.gather(asyncio.shield(self._saving), return_exceptions=True)
            await asyncio.shield(self.lease.release())

    async def _idle(self) -> None:
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), self.config.idle_poll)
        except TimeoutError:
            pass

    async def _lead(self) -> bool:
        loop = asyncio.get_running_loop()
        if self.lease.held and loop.time() - self._renewed_at < self.config.lease_ttl / 3:
            return True
        was_leader = self.lease.held
        if not await self.lease.try_acquire():
            IS_LEADER.labels(self.producer).set(0)
            if self.blocked is not None:  # the leader says it now (from relay_blocked)
                self.blocked = None
                self._report_blocked()
            return False
        self._renewed_at = loop.time()
        if not was_leader:
            log.info("relay %s: leading", self.producer)
            self._synced = False
        IS_LEADER.labels(self.producer).set(1)
        return True

    async def _step(self) -> bool:
        """One batch; False when there was nothing to do (or nothing could be done)."""
        if not await self._lead() or not self.link.is_connected:
            self._prefetched = None
            return False
        js = self.link.jetstream()
        if not self._stream_ready:
            await ensure_stream(js, self.producer, self.config)
            self._stream_ready = True
        if self.blocked is not None:
            if asyncio.get_running_loop().time() < self._retry_at:
                await self._observe_held_lag()
                return False
            self._synced = False  # try it again: from what the stream holds, skips reloaded
        if not self._synced:
            self._prefetched = None
            await self._resync(js)
        one_by_one = self.blocked is not None or self.position < self._one_by_one_to
        batch = self._prefetched or await self.outbox.read(
            self.position, 1 if one_by_one else self.config.batch_size
        )
        self._prefetched = None
        if batch and self._skipped:
            read, batch = batch, [e for e in batch if e.position not in self._skipped]
            if not batch:  # nothing but skipped events: past them, the chain unchanged
                self.position = read[-1].position
                await self._unblock_if_passed()
                return True
        await self._observe_lag(batch)
        if not batch:
            return False
        try:
            batch = self._fitting(batch)
        except Refused as refused:
            await self._hold(refused)
            return True
        # Behind a full batch there is more: PostgreSQL reads it while this one is published
        # and acknowledged (the task sends its query at the sleep(0), before the publishing).
        following = None
        if len(batch) == self.config.batch_size:
            following = asyncio.create_task(
                self.outbox.read(batch[-1].position, self.config.batch_size)
            )
            await asyncio.sleep(0)
        try:
            if one_by_one:
                await self._send_one(js, batch[0])
            elif not await self._acked(await self._send(js, batch), len(batch)):
                self._synced = False  # resume after what JetStream holds, whatever landed
                # A message may have been refused (the ones after it then meet "wrong last
                # msg ID"), and nats-py reports a pipelined PubAck's error only as a timeout:
                # the batch is sent again one message at a time, each with its own answer.
                self._one_by_one_to = batch[-1].position
                raise RuntimeError(f"a batch of {len(batch)} events was not acknowledged")
        except Refused as refused:
            await self._cancel(following)
            await self._hold(refused)
            return True
        except BaseException:
            await self._cancel(following)
            raise
        last = batch[-1]
        await self._checkpoint(last.position)
        self.position, self.last_id = last.position, last.event_id
        self.published += len(batch)
        PUBLISHED.labels(self.producer).inc(len(batch))
        await self._unblock_if_passed()
        self._prefetched = None if following is None else await following
        return True

    def _fitting(self, batch: list[OutboxRow]) -> list[OutboxRow]:
        """The batch up to the first message over the server's max_payload (which would
        close the connection); Refused when that is the first."""
        nc = self.link.nc
        assert nc is not None  # connected: _step checked
        for i, e in enumerate(batch):
            if len(e.envelope) + HEADER_ROOM > nc.max_payload:
                if i == 0:
                    raise Refused(e, f"{MaxPayloadError()} (server max_payload {nc.max_payload})")
                return batch[:i]
        return batch

    @staticmethod
    async def _cancel(task: asyncio.Task[list[OutboxRow]] | None) -> None:
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _hold(self, refused: Refused) -> None:
        """Record the refused event and hold at it until it is published or skipped."""
        row = refused.row
        async with self.engine.begin() as conn:
            blocked = await relay_blocked.record(
                conn,
                self.producer,
                position=row.position,
                event_id=row.event_id,
                event_type=row.type,
                size=len(row.envelope),
                error=refused.error,
            )
        self.blocked = blocked  # once committed, and reported with it (no await between)
        self._held_since = row.recorded_at
        self._synced = False
        self._retry_at = asyncio.get_running_loop().time() + self.config.blocked_retry
        self._report_blocked()
        log.error(
            "relay %s: holding at %s (attempt %d); see `socorg relay-status %s`",
            self.producer,
            self.blocked.describe(),
            self.blocked.attempts,
            self.producer,
        )

    async def _unblock_if_passed(self) -> None:
        """The held event was published (or skipped): mark it so and go on."""
        if self.blocked is None or self.position < self.blocked.position:
            return
        async with self.engine.begin() as conn:
            await relay_blocked.resolve_through(conn, self.producer, self.position)
        log.info("relay %s: past %s", self.producer, self.blocked.describe())
        self.blocked = None
        self._report_blocked()

    def _report_blocked(self) -> None:
        BLOCKED.labels(self.producer).set(0 if self.blocked is None else 1)
        position = 0 if self.blocked is None else self.blocked.position
        BLOCKED_POSITION.labels(self.producer).set(position)

    async def readiness(self) -> tuple[bool, str]:
        """Not ready while an event is held (recorded by whichever replica leads)."""
        return await relay_blocked.readiness(self.store.engine, self.producer)

    async def _checkpoint(self, position: int) -> None:
        """Save the checkpoint while the next batch goes out (the one before is awaited
        first, so checkpoints land in order; a failed save surfaces here, one batch later).
        The checkpoint is a hint: a relay resumes from what JetStream holds (_resync)."""
        if self._saving is not None:
            saving, self._saving = self._saving, None
            await saving
        self._saving = asyncio.create_task(self._save(position))

    async def _save(self, position: int) -> None:
        async with self.engine.begin() as conn:
            await checkpoints.save(conn, self.checkpoint_name, position)

    async def _resync(self, js: JetStreamContext) -> None:
        """Resume right after the last event JetStream holds (or from the checkpoint)."""
        async with self.engine.connect() as conn:
            saved = await checkpoints.load(conn, self.checkpoint_name)
        info = await js.stream_info(self.stream)
        position, last_id = 0, None
        if info.state.last_seq:
            msg = await js.get_msg(self.stream, seq=info.state.last_seq)
            last_id = (msg.headers or {}).get("Nats-Msg-Id")
            position = await self._position_of(last_id)
        if position != saved:
            log.info(
                "relay %s: stream holds events up to position %d, checkpoint said %d; "
                "resuming after %d",
                self.producer,
                position,
                saved,
                position,
            )
        async with self.engine.begin() as conn:
            await relay_blocked.resolve_through(conn, self.producer, position)
            self._skipped = await relay_blocked.skipped_after(conn, self.producer, position)
            held = await relay_blocked.open_rows(conn, self.producer)
        if held and self.blocked is None:  # held by a relay before this one: try it now
            self.blocked, self._retry_at, self._held_since = held[0], 0.0, None
        self._report_blocked()
        self.position, self.last_id, self._synced = position, last_id, True

    async def _position_of(self, event_id: str | None) -> int:
        if event_id is None:
            raise RuntimeError(f"the last message of {self.stream} has no Nats-Msg-Id")
        q = select(events.c.position).where(events.c.event_id == uuid.UUID(event_id))
        async with self.engine.connect() as conn:
            found = (await conn.execute(q)).scalar_one_or_none()
        if found is None:
            raise RuntimeError(
                f"the last message of {self.stream} ({event_id}) is not in the store"
            )
        return int(found)

    async def _send(
        self, js: JetStreamContext, batch: list[OutboxRow]
    ) -> asyncio.Future[api.PubAck]:
        """Publish a batch; the future of its last message's PubAck.

        Each message names its predecessor (`Nats-Expected-Last-Msg-Id`), and JetStream
        stores a message only right after that one. So the last message's PubAck vouches for
        the whole batch: had any message been lost or refused, every later one would have
        been refused too, the last one included. Only the last asks for an acknowledgement;
        the others go as plain publishes, pipelined, without a reply subject each.
        """
        nc = self.link.nc
        assert nc is not None  # connected: _step checked
        previous = self.last_id
        for e in batch[:-1]:
            subj = subject(self.producer, e.division, e.type)
            await nc.publish(subj, e.envelope, headers=_headers(e.event_id, previous))
            previous = e.event_id
        last = batch[-1]
        subj = subject(self.producer, last.division, last.type)
        return await js.publish_async(
            subj, last.envelope, headers=_headers(last.event_id, previous)
        )

    async def _send_one(self, js: JetStreamContext, e: OutboxRow) -> None:
        """Publish one message and wait for its PubAck or its refusal (Refused)."""
        subj = subject(self.producer, e.division, e.type)
        try:
            await js.publish(
                subj,
                e.envelope,
                timeout=self.config.ack_timeout,
                headers=_headers(e.event_id, self.last_id),
            )
        except Exception as exc:
            self._synced = False  # resume after what JetStream holds
            if is_refusal(exc):
                raise Refused(e, str(exc)) from exc
            raise

    async def _acked(self, ack: asyncio.Future[api.PubAck], size: int) -> bool:
        """Whether JetStream acknowledged the batch's last message (a duplicate counts)."""
        try:
            async with asyncio.timeout(self.config.ack_timeout):
                await ack
            return True
        except Exception as exc:  # noqa: BLE001 - the batch is re-read from what JetStream holds
            log.warning("relay %s: a batch of %d not acknowledged: %r", self.producer, size, exc)
            ack.cancel()
            return False

    async def _observe_held_lag(self) -> None:
        """While held, the lag still grows with every append: read the head now and then."""
        assert self.blocked is not None
        now = asyncio.get_running_loop().time()
        if now - self._head[1] >= HEAD_EVERY:
            self._head = (await self.store.head_position(), now)
        LAG_POSITIONS.labels(self.producer).set(max(0, self._head[0] - self.position))
        since = self._held_since or self.blocked.blocked_at  # blocked_at: held by another
        age = (datetime.now(UTC) - since).total_seconds()
        LAG_SECONDS.labels(self.producer).set(max(0.0, age))

    async def _observe_lag(self, batch: list[OutboxRow]) -> None:
        if not batch:
            LAG_POSITIONS.labels(self.producer).set(0)
            LAG_SECONDS.labels(self.producer).set(0)
            return
        # A batch short of the limit reached the head of the outbox when it was read; behind a
        # full one, the head is read again at most every HEAD_EVERY seconds.
        head = batch[-1].position
        if len(batch) == self.config.batch_size:
            now = asyncio.get_running_loop().time()
            if now - self._head[1] >= HEAD_EVERY:
                self._head = (await self.store.head_position(), now)
            head = max(head, self._head[0])
        LAG_POSITIONS.labels(self.producer).set(max(0, head - self.position))
        age = (datetime.now(UTC) - batch[0].recorded_at).total_seconds()
        LAG_SECONDS.labels(self.producer).set(max(0.0, age))


def _headers(event_id: str, previous: str | None) -> dict[str, str]:
    headers = {"Nats-Msg-Id": event_id}
    if previous is not None:
        headers["Nats-Expected-Last-Msg-Id"] = previous
    return headers


async def run_standalone(producer: str, settings: ServiceSettings) -> None:
    """The relay as a process of its own (`socorg relay <service>`), until SIGTERM."""
    import signal

    from shared import logs
    from shared.db import make_async_engine

    logs.configure(f"{producer}-relay", settings.log_level, secrets=settings.secret_values())
    if settings.relay_metrics_port:
        start_http_server(settings.relay_metrics_port, addr=settings.host)
    engine = make_async_engine(settings.database_url.get_secret_value())
    link = NatsLink(settings.nats_url.get_secret_value(), name=f"socorg-{producer}-relay")
    link.start()
    relay = Relay(
        store=SqlEventStore(engine),
        link=link,
        producer=producer,
        config=RelayConfig.from_settings(settings),
    )
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, relay.stop)
    try:
        await relay.run()
    finally:
        await link.close()
        await engine.dispose()
