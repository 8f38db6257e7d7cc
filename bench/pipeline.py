"""Relay and consumer workloads beside raw nats-py on the same nats-server.

Relay: N events are pre-filled in the events table; the clock runs from `relay.run()` until
`relay.published == N`. Raw (the issue's reference): `publish_async` of N messages of the
relay's own bodies (same sizes, a `Nats-Msg-Id` each) into a stream of the same
configuration, in windows of the relay's batch size, every PubAck awaited. Extra: the same
messages published the relay's way (plain publishes, each naming its predecessor, one PubAck
per window), the raw limit of what the relay does now.

Consumer: N CloudEvents are pre-published to a stream; the clock runs from
`ConsumerRunner.run()` until N messages are applied (one small insert each) and acked. Raw:
pull fetch + ack of N messages with the same batch size and consumer configuration.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta

import nats
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js import JetStreamContext, api
from sqlalchemy import BigInteger, Column, MetaData, String, Table, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bench.common import DIVISIONS, EVENT_TYPE, META, Figure, payload, timed
from shared.consumer import ConsumerConfig, ConsumerRunner, Delivered
from shared.eventstore import NewEvent
from shared.eventstore.sql import SqlEventStore
from shared.natslink import NatsLink
from shared.outbox.config import RelayConfig
from shared.outbox.envelope import subject, to_cloudevent
from shared.outbox.relay import Relay
from shared.outbox.stream import stream_config

PREFILL_BATCH = 100
RAW_STREAM = "RAWPUB"
CONSUME_STREAM = "CBENCH"


async def connect(url: str) -> NATS:
    return await nats.connect(url, name="socorg-bench-raw")


async def wait_until(predicate: object, what: str, within: float = 300.0) -> None:
    assert callable(predicate)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError(f"bench: {what} did not finish within {within}s")
        await asyncio.sleep(0.002)


# ---- relay -------------------------------------------------------------------------------


async def prefill(store: SqlEventStore, tag: str, n: int) -> None:
    """n events, PREFILL_BATCH per stream and per transaction (fast; not measured)."""
    for s in range(0, n, PREFILL_BATCH):
        count = min(PREFILL_BATCH, n - s)
        await store.append(
            f"relay-{tag}-{s}",
            0,
            [NewEvent(EVENT_TYPE, payload(s + k)) for k in range(count)],
            metadata=META,
            division=DIVISIONS[(s // PREFILL_BATCH) % len(DIVISIONS)],
        )


async def _relay_once(store: SqlEventStore, nats_url: str, n: int, config: RelayConfig) -> float:
    link = NatsLink(nats_url, name="socorg-bench-relay")
    link.start()
    await asyncio.wait_for(link.connected.wait(), 10)
    relay = Relay(store=store, link=link, producer="registry", config=config)
    loop = asyncio.get_running_loop()
    start = loop.time()
    task = asyncio.create_task(relay.run())
    try:
        await wait_until(lambda: relay.published >= n or task.done(), "relay")
        seconds = loop.time() - start
        if relay.published != n:
            raise RuntimeError(f"relay published {relay.published} of {n}")
        return seconds
    finally:
        relay.stop()
        await asyncio.wait_for(task, 15)
        await link.close()


async def relay_publish(
    store: SqlEventStore, nats_url: str, n: int, warmup: int, config: RelayConfig
) -> Figure:
    await prefill(store, "warm", warmup)
    await _relay_once(store, nats_url, warmup, config)
    await prefill(store, "main", n)
    seconds = await _relay_once(store, nats_url, n, config)
    return Figure(
        "socorg relay publish",
        n,
        seconds,
        f"Relay (batch_size={config.batch_size}) from run() until published == N, "
        "checkpoint and lease included",
    )


async def bodies(store: SqlEventStore, limit: int) -> list[tuple[str, bytes]]:
    """(subject, body) of the first `limit` stored events, exactly as the relay sends them."""
    out: list[tuple[str, bytes]] = []
    after = 0
    while len(out) < limit:
        batch = await store.read_all(after, limit=min(5000, limit - len(out)))
        if not batch:
            break
        for e in batch:
            body = json.dumps(to_cloudevent("registry", e), ensure_ascii=False).encode()
            out.append((subject("registry", e.division, e.type), body))
        after = batch[-1].position
    return out


async def _publish_all(
    js: JetStreamContext, msgs: Sequence[tuple[str, bytes]], prefix: str, tag: str, window: int
) -> None:
    for s in range(0, len(msgs), window):
        futures = []
        for k, (subj, body) in enumerate(msgs[s : s + window], start=s):
            headers = {"Nats-Msg-Id": f"{tag}-{k}"}
            futures.append(
                await js.publish_async(prefix + subj.split(".", 1)[1], body, headers=headers)
            )
        for f in futures:
            await f


async def _publish_chained(
    js: JetStreamContext, msgs: Sequence[tuple[str, bytes]], prefix: str, tag: str, window: int
) -> None:
    """The relay's way: each message names its predecessor, only a window's last asks for a
    PubAck, which is awaited before the next window."""
    nc = js._nc  # the connection the context publishes on (nats-py exposes no accessor)
    previous: str | None = None
    for s in range(0, len(msgs), window):
        chunk = msgs[s : s + window]
        for k, (subj, body) in enumerate(chunk, start=s):
            headers = {"Nats-Msg-Id": f"{tag}-{k}"}
            if previous is not None:
                headers["Nats-Expected-Last-Msg-Id"] = previous
            previous = headers["Nats-Msg-Id"]
            target = prefix + subj.split(".", 1)[1]
            if k < s + len(chunk) - 1:
                await nc.publish(target, body, headers=headers)
            else:
                await (await js.publish_async(target, body, headers=headers))


async def raw_publish(
    nats_url: str,
    msgs: Sequence[tuple[str, bytes]],
    warmup: int,
    config: RelayConfig,
    *,
    chained: bool = False,
) -> Figure:
    """The issue's reference: nats-py `publish_async`, every PubAck awaited, in windows of the
    relay's batch size. `chained`: the relay's own way instead (extra figure)."""
    publish = _publish_chained if chained else _publish_all
    nc = await connect(nats_url)
    try:
        js = nc.jetstream()
        await js.add_stream(stream_config(RAW_STREAM, ["rawpub.>"], config))
        await publish(js, msgs[:warmup], "rawpub.", "warm", config.batch_size)
        fig = await timed(
            "raw nats-py chained publish" if chained else "raw nats-py publish_async",
            len(msgs),
            lambda: publish(js, msgs, "rawpub.", "main", config.batch_size),
            (
                f"plain publishes in windows of {config.batch_size}, each naming its "
                "predecessor (Nats-Expected-Last-Msg-Id), the window's last PubAck awaited"
                if chained
                else f"publish_async in windows of {config.batch_size}, every PubAck awaited"
            )
            + "; same bodies, a Nats-Msg-Id each",
        )
        held = (await js.stream_info(RAW_STREAM)).state.messages
        if held != warmup + len(msgs):
            raise RuntimeError(f"raw publish: the stream holds {held} of {warmup + len(msgs)}")
        await js.delete_stream(RAW_STREAM)
        return fig
    finally:
        await nc.close()


# ---- consumer ----------------------------------------------------------------------------


class InsertProjection:
    """The trivial projection: one small row inserted per event."""

    stream = CONSUME_STREAM

    def __init__(self, name: str) -> None:
        self.name = name
        self.filter_subjects: Sequence[str] = (f"cbench.{name}.>",)
        self.table = Table(
            f"bench_{name}",
            MetaData(),
            Column("seq", BigInteger, primary_key=True),
            Column("event_id", String(36), nullable=False),
        )
        self.tables: Sequence[Table] = (self.table,)

    async def apply(
        self, conn: AsyncConnection, event: Delivered, tables: Mapping[str, Table]
    ) -> None:
        t = tables[self.table.name]
        await conn.execute(insert(t).values(seq=event.stream_seq, event_id=event.envelope["id"]))

    async def apply_batch(
        self, conn: AsyncConnection, events: Sequence[Delivered], tables: Mapping[str, Table]
    ) -> None:
        """The same rows, one multi-row INSERT for the batch (the runner's fast path)."""
        if events:
            rows = [{"seq": e.stream_seq, "event_id": e.envelope["id"]} for e in events]
            await conn.execute(insert(tables[self.table.name]), rows)


class CountingRunner(ConsumerRunner):
    """The runner unchanged, counting the messages of each batch once it is committed and acked."""

    handled = 0

    async def handle(self, msgs: Sequence[Msg]) -> None:
        await super().handle(msgs)
        self.handled += len(msgs)


async def prepublish(nats_url: str, msgs: Sequence[tuple[str, bytes]], part: str) -> None:
    nc = await connect(nats_url)
    try:
        js = nc.jetstream()
        await _publish_all(js, msgs, f"cbench.{part}.", part, 1000)
    finally:
        await nc.close()


async def _runner_once(
    engine: AsyncEngine, nats_url: str, part: str, n: int, config: ConsumerConfig
) -> float:
    link = NatsLink(nats_url, name="socorg-bench-consumer")
    link.start()
    await asyncio.wait_for(link.connected.wait(), 10)
    projection = InsertProjection(part)
    runner = CountingRunner(engine, link, projection, config)
    loop = asyncio.get_running_loop()
    start = loop.time()
    task = asyncio.create_task(runner.run())
    try:
        await wait_until(lambda: runner.handled >= n or task.done(), "consumer")
        seconds = loop.time() - start
    finally:
        runner.stop()
        await asyncio.wait_for(task, 15)
        await link.close()
    async with engine.connect() as conn:
        applied = (await conn.execute(text(f"SELECT count(*) FROM bench_{part}"))).scalar_one()
    if applied != n:
        raise RuntimeError(f"consumer applied {applied} of {n}")
    return seconds


async def consumer_apply(
    engine: AsyncEngine, nats_url: str, n: int, warmup: int, config: ConsumerConfig
) -> Figure:
    await _runner_once(engine, nats_url, "warm", warmup, config)
    seconds = await _runner_once(engine, nats_url, "main", n, config)
    return Figure(
        "socorg consumer apply",
        n,
        seconds,
        f"ConsumerRunner (batch_size={config.batch_size}), one INSERT per event, "
        "from run() until N applied and acked",
    )


async def fetch_ack(
    js: JetStreamContext,
    part: str,
    n: int,
    config: ConsumerConfig,
    stream: str = CONSUME_STREAM,
    subjects: str | Sequence[str] | None = None,
) -> None:
    """Fetch and ack n messages of `stream` (default: the part's subjects of CBENCH)."""
    if subjects is None:
        subjects = f"cbench.{part}.>"
    filters = [subjects] if isinstance(subjects, str) else list(subjects)
    durable = f"raw_{part}"
    await js.add_consumer(
        stream,
        api.ConsumerConfig(
            durable_name=durable,
            ack_policy=api.AckPolicy.EXPLICIT,
            deliver_policy=api.DeliverPolicy.ALL,
            ack_wait=config.ack_wait,
            max_deliver=-1,
            filter_subjects=filters,
            max_ack_pending=max(1000, config.batch_size * 4),
        ),
    )
    sub = await js.pull_subscribe_bind(durable=durable, stream=stream)
    done = 0
    while done < n:
        msgs = await sub.fetch(config.batch_size, timeout=config.fetch_timeout)
        for m in msgs:
            await m.ack()
        done += len(msgs)
    await sub.unsubscribe()


async def raw_fetch_ack(nats_url: str, n: int, warmup: int, config: ConsumerConfig) -> Figure:
    nc = await connect(nats_url)
    try:
        js = nc.jetstream()
        await fetch_ack(js, "warm", warmup, config)
        return await timed(
            "raw nats-py fetch + ack",
            n,
            lambda: fetch_ack(js, "main", n, config),
            f"pull fetch({config.batch_size}) then ack() each, same consumer configuration",
        )
    finally:
        await nc.close()


async def make_consume_stream(nats_url: str, config: RelayConfig) -> None:
    nc = await connect(nats_url)
    try:
        await nc.jetstream().add_stream(stream_config(CONSUME_STREAM, ["cbench.>"], config))
    finally:
        await nc.close()


def default_relay_config() -> RelayConfig:
    return replace(RelayConfig(), duplicate_window=timedelta(hours=24))
