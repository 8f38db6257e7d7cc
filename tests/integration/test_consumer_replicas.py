"""Replicas of one consumer on one database: one consumes at a time (a lease), the other takes
over when it stops; the checkpoint is the truth, whatever the server's consumer says."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from nats.js import api
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared import checkpoints
from shared.consumer import ConsumerConfig, ConsumerRunner
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore
from shared.natslink import NatsLink
from shared.outbox.config import RelayConfig
from shared.outbox.relay import Relay
from tests.conftest import NatsServer
from tests.integration.test_consumer import META, DemoProjection, applied_table, change, md

CONFIG = ConsumerConfig(batch_size=20, fetch_timeout=0.3, backoff_initial=0.01, lease_ttl=1.0)


class Spine:
    """The registry's store and relay on a real nats-server, and runners started at will."""

    def __init__(self, engine: AsyncEngine, nats_url: str) -> None:
        self.engine = engine
        self.store = SqlEventStore(engine)
        self.nats_url = nats_url
        self.tasks: dict[int, tuple[ConsumerRunner, asyncio.Task[None]]] = {}
        self.links: list[NatsLink] = []

    async def link(self, name: str) -> NatsLink:
        link = NatsLink(self.nats_url, name=name)
        link.start()
        await asyncio.wait_for(link.connected.wait(), 10)
        self.links.append(link)
        return link

    async def runner(self, name: str) -> ConsumerRunner:
        runner = ConsumerRunner(self.engine, await self.link(name), DemoProjection(), CONFIG)
        self.tasks[id(runner)] = (runner, asyncio.create_task(runner.run()))
        return runner

    async def stop(self, runner: ConsumerRunner) -> None:
        runner.stop()
        await asyncio.wait_for(self.tasks.pop(id(runner))[1], 15)

    async def append(self, n: int, tag: str) -> None:
        for i in range(n):
            await self.store.append(f"{tag}{i}", 0, [change(f"{tag}{i}")], metadata=META)

    async def applied_seqs(self, n: int, within: float = 30) -> list[int]:
        """The stream sequences applied, once at least `n` are (or the time is up)."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            async with self.engine.connect() as conn:
                rows = await conn.execute(select(applied_table.c.seq).order_by("seq"))
                seqs = [r[0] for r in rows]
            if len(seqs) >= n or asyncio.get_running_loop().time() > deadline:
                return seqs
            await asyncio.sleep(0.05)


@pytest.fixture
async def spine(database_url: str, nats_server: NatsServer) -> AsyncIterator[Spine]:
    engine = make_async_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(md.drop_all)
        await conn.run_sync(md.create_all)
    spine = Spine(engine, nats_server.url)
    relay_link = await spine.link("relay")
    relay = Relay(
        store=spine.store, link=relay_link, producer="registry", config=RelayConfig(idle_poll=0.05)
    )
    relay_task = asyncio.create_task(relay.run())
    yield spine
    for runner, _ in list(spine.tasks.values()):
        await spine.stop(runner)
    relay.stop()
    await asyncio.wait_for(relay_task, 15)
    for link in spine.links:
        await link.close()
    await engine.dispose()


async def test_two_replicas_apply_every_event_once_in_order_and_one_takes_over(
    spine: Spine,
) -> None:
    first, second = await spine.runner("first"), await spine.runner("second")
    await spine.append(150, "a")
    # A second application of an event would violate the applied table's key.
    assert await spine.applied_seqs(150) == list(range(1, 151))
    assert sorted([first.position, second.position]) == [0, 150]  # one consumed, alone
    leader = first if first.position else second
    await spine.stop(leader)
    follower = second if leader is first else first
    await spine.append(30, "b")
    assert await spine.applied_seqs(180) == list(range(1, 181))
    assert follower.position == 180


async def test_a_durable_of_explicit_acks_is_made_anew_from_the_checkpoint(
    spine: Spine,
) -> None:
    await spine.append(20, "a")
    link = await spine.link("test")
    js = link.jetstream()
    for _ in range(200):  # the relay publishes meanwhile
        try:
            if (await js.stream_info("REGISTRY")).state.messages == 20:
                break
        except Exception:  # noqa: BLE001 - the stream is not made yet
            pass
        await asyncio.sleep(0.05)
    # As the runner made it before acks were cumulative, with nothing acked on it.
    explicit = api.ConsumerConfig(
        durable_name="demo",
        ack_policy=api.AckPolicy.EXPLICIT,
        deliver_policy=api.DeliverPolicy.ALL,
        filter_subjects=["registry.>"],
    )
    await js.add_consumer("REGISTRY", explicit)
    async with spine.engine.begin() as conn:
        await checkpoints.save(conn, "consumer:demo", 12)  # applied up to 12 before
    runner = await spine.runner("runner")
    assert await spine.applied_seqs(8) == list(range(13, 21))
    info = await js.consumer_info("REGISTRY", "demo")
    assert info.config.ack_policy == api.AckPolicy.ALL
    await spine.stop(runner)
    async with spine.engine.connect() as conn:
        assert await checkpoints.load(conn, "consumer:demo") == 20


async def test_a_checkpoint_moved_by_another_writer_refuses_the_stale_one(
    spine: Spine,
) -> None:
    async with spine.engine.begin() as conn:
        await checkpoints.advance(conn, "consumer:x", 0, 5)
    with pytest.raises(checkpoints.CheckpointMoved):
        async with spine.engine.begin() as conn:
            await checkpoints.advance(conn, "consumer:x", 0, 7)  # it is at 5, not 0
    with pytest.raises(checkpoints.CheckpointMoved):
        async with spine.engine.begin() as conn:
            await checkpoints.advance(conn, "consumer:x", 4, 9)
    async with spine.engine.begin() as conn:
        await checkpoints.advance(conn, "consumer:x", 5, 9)
        assert await checkpoints.load(conn, "consumer:x") == 9
