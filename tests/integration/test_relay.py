"""The relay against a real nats-server, on SQLite and PostgreSQL: nothing lost, nothing twice,
in order per organization."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from shared import checkpoints
from shared.db import make_async_engine
from shared.eventstore import EventMetadata, NewEvent
from shared.eventstore.sql import SqlEventStore
from shared.natslink import NatsLink
from shared.natsserver import free_port
from shared.outbox import blocked as relay_blocked
from shared.outbox.config import RelayConfig
from shared.outbox.relay import Relay
from tests.conftest import NatsServer
from tests.integration.jetstream import stream_messages, wait_for_count

META = EventMetadata(client="test")
ROOT = Path(__file__).resolve().parents[2]
DIVISIONS = ["420106", "420102", "330203", "511802"]


@dataclass
class Rig:
    store: SqlEventStore
    nats: NatsServer
    url: str
    links: list[NatsLink]

    def relay(self, holder: str, **config: float) -> Relay:
        link = NatsLink(self.nats.url, name=holder)
        link.start()
        self.links.append(link)
        cfg = RelayConfig(idle_poll=0.05, ack_timeout=2, lease_ttl=2, **config)  # type: ignore[arg-type]
        return Relay(store=self.store, link=link, producer="registry", config=cfg, holder=holder)


@pytest.fixture
async def rig(database_url: str, nats_server: NatsServer) -> AsyncIterator[Rig]:
    engine = make_async_engine(database_url)
    r = Rig(SqlEventStore(engine), nats_server, database_url, [])
    yield r
    for link in r.links:
        await link.close()
    await engine.dispose()


async def append_orgs(store: SqlEventStore, orgs: int, per_org: int, tag: str = "") -> None:
    async def one(o: int) -> None:
        for v in range(per_org):
            await store.append(
                f"org-{tag}{o}",
                v,
                [NewEvent("registration_changed", {"v": v + 1})],
                metadata=META,
                division=DIVISIONS[o % len(DIVISIONS)],
            )

    await asyncio.gather(*(one(o) for o in range(orgs)))


def assert_exactly_the_store(published: list[dict[str, object]], stored_ids: list[str]) -> None:
    ids = [str(m["id"]) for m in published]
    assert len(ids) == len(set(ids)), "an event was published twice"
    assert ids == stored_ids, "published set or order differs from the store"
    last: dict[str, int] = {}
    for m in published:
        subject, version = str(m["subject"]), int(m["streamversion"])  # type: ignore[call-overload]
        assert version == last.get(subject, 0) + 1, f"{subject} out of order"
        last[subject] = version


async def stored_ids(store: SqlEventStore) -> list[str]:
    return [str(e.event_id) for e in await store.read_all(0, limit=1_000_000)]


async def run(relay: Relay) -> asyncio.Task[None]:
    return asyncio.create_task(relay.run())


async def stop(relay: Relay, task: asyncio.Task[None]) -> None:
    relay.stop()
    await asyncio.wait_for(task, 10)


async def test_concurrent_appenders_are_published_exactly_once_in_position_order(rig: Rig) -> None:
    relay = rig.relay("r1", batch_size=50)
    task = await run(relay)
    await append_orgs(rig.store, orgs=20, per_org=15)
    published = await wait_for_count(rig.nats.url, "REGISTRY", 300)
    await stop(relay, task)
    assert_exactly_the_store(published, await stored_ids(rig.store))
    async with rig.store.engine.connect() as conn:  # saved in the background, there by stop
        assert await checkpoints.load(conn, "relay:registry") == published[-1]["position"]
    first = published[0]
    d = str(first["division"])
    assert first["_subject"] == f"registry.{d[:2]}.{d[2:4]}.{d[4:]}.registration_changed"
    assert first["specversion"] == "1.0" and first["type"] == "socorg.registry.registration_changed"


async def test_writes_succeed_while_nats_is_down_and_the_backlog_drains_after(rig: Rig) -> None:
    rig.nats.kill()
    relay = rig.relay("r1")
    task = await run(relay)
    await append_orgs(rig.store, orgs=5, per_org=10)
    assert relay.published == 0
    rig.nats.start()
    published = await wait_for_count(rig.nats.url, "REGISTRY", 50)
    await stop(relay, task)
    assert_exactly_the_store(published, await stored_ids(rig.store))


async def test_nats_killed_mid_publish_and_restarted_on_its_store_loses_nothing(rig: Rig) -> None:
    await append_orgs(rig.store, orgs=10, per_org=100)
    relay = rig.relay("r1", batch_size=100)
    task = await run(relay)
    while relay.published < 200:  # noqa: ASYNC110 - polling a plain counter
        await asyncio.sleep(0.01)
    rig.nats.kill()  # SIGKILL mid-stream
    await append_orgs(rig.store, orgs=5, per_org=10, tag="late-")
    await asyncio.sleep(0.5)
    rig.nats.start()
    published = await wait_for_count(rig.nats.url, "REGISTRY", 1050, within=60)
    await stop(relay, task)
    assert_exactly_the_store(published, await stored_ids(rig.store))
    assert relay.blocked is None, "NATS away is retried, never held as a refusal"
    async with rig.store.engine.connect() as conn:
        assert await relay_blocked.every_row(conn, "registry") == []


async def test_a_relay_killed_mid_batch_resumes_with_no_gap_and_no_duplicate(rig: Rig) -> None:
    total = 20_000
    for o in range(200):  # 100 events an organization, one transaction each
        batch = [NewEvent("registration_changed", {"v": v + 1}) for v in range(100)]
        await rig.store.append(f"org-{o}", 0, batch, metadata=META, division="420106")
    env = {
        **os.environ,
        "SOCORG_REGISTRY_DATABASE_URL": rig.url,
        "SOCORG_REGISTRY_NATS_URL": rig.nats.url,
        "SOCORG_REGISTRY_RELAY_BATCH_SIZE": "100",
    }
    cmd = [sys.executable, "-m", "shared.cli", "relay", "registry"]
    first = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)  # noqa: ASYNC220
    try:
        while len(await stream_messages(rig.nats.url, "REGISTRY")) < 300:
            assert first.poll() is None
            await asyncio.sleep(0.01)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    at_kill = len(await stream_messages(rig.nats.url, "REGISTRY"))
    assert at_kill < total, "the relay finished before it could be killed"
    # The dead relay's lease must expire before the new one takes over (ttl 10 s).
    port = free_port()
    env2 = {**env, "SOCORG_REGISTRY_RELAY_METRICS_PORT": str(port)}
    second = subprocess.Popen(cmd, cwd=ROOT, env=env2, stderr=subprocess.DEVNULL)  # noqa: ASYNC220
    try:
        published = await wait_for_count(rig.nats.url, "REGISTRY", total, within=90)
        caught_up = 'socorg_relay_lag_positions{producer="registry"} 0.0'
        async with httpx.AsyncClient() as http:
            for _ in range(100):  # the relay reports its lag on its next read
                metrics = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
                if caught_up in metrics:
                    break
                await asyncio.sleep(0.1)
        assert caught_up in metrics
        assert 'socorg_relay_leader{producer="registry"} 1.0' in metrics
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=20) == 0
    finally:
        if second.poll() is None:  # never leave a relay running after a failure
            second.kill()
            second.wait()
    assert_exactly_the_store(published, await stored_ids(rig.store))


async def test_two_relays_at_once_only_one_publishes_and_the_other_takes_over(rig: Rig) -> None:
    a, b = rig.relay("a"), rig.relay("b")
    ta, tb = await run(a), await run(b)
    await append_orgs(rig.store, orgs=4, per_org=25)
    await wait_for_count(rig.nats.url, "REGISTRY", 100)
    assert sorted([a.published, b.published]) == [0, 100]
    leader, leader_task, other = (a, ta, b) if a.published else (b, tb, a)
    leader_task.cancel()  # dies without releasing: the other waits for the lease to expire
    leader.lease.valid_until = None
    await asyncio.gather(leader_task, return_exceptions=True)
    await append_orgs(rig.store, orgs=4, per_org=5, tag="after-")
    published = await wait_for_count(rig.nats.url, "REGISTRY", 120)
    assert other.published == 20
    await stop(other, tb if other is b else ta)
    assert_exactly_the_store(published, await stored_ids(rig.store))


async def test_relay_lag_is_a_prometheus_metric(rig: Rig) -> None:
    from prometheus_client import REGISTRY

    rig.nats.kill()
    relay = rig.relay("r1")
    await append_orgs(rig.store, orgs=1, per_org=3)
    rig.nats.start()
    task = await run(relay)
    await wait_for_count(rig.nats.url, "REGISTRY", 3)
    await asyncio.sleep(0.2)
    assert REGISTRY.get_sample_value("socorg_relay_lag_positions", {"producer": "registry"}) == 0
    assert REGISTRY.get_sample_value("socorg_relay_published_total", {"producer": "registry"})
    await stop(relay, task)


async def test_the_published_envelope_is_exactly_the_stored_event_as_a_cloudevent(rig: Rig) -> None:
    from shared.outbox.envelope import subject, to_cloudevent

    data = {"名称": 'Wuhan "quoted" 协会', "nested": {"n": [1, 2.5, None, True]}, "empty": {}}
    meta = EventMetadata(client="c-1", correlation_id="req-9", causation_id="cmd-3")
    at = datetime(2024, 3, 21, 16, 0, tzinfo=UTC)
    variants = [  # (division, metadata, occurred_at)
        ("420106", meta, at.replace(microsecond=123456)),
        ("420106", EventMetadata(client="c-2"), at),
        (None, EventMetadata(client="", correlation_id=""), at.replace(microsecond=1)),
        ("511802", EventMetadata(client="c-3", causation_id="cmd-4"), at.replace(year=1999)),
    ]
    for n, (division, metadata, occurred_at) in enumerate(variants):
        event = NewEvent("registration_changed", data, occurred_at=occurred_at)
        await rig.store.append(f"org-{n}", 0, [event], metadata=metadata, division=division)
    relay = rig.relay("r1")
    task = await run(relay)
    published = await wait_for_count(rig.nats.url, "REGISTRY", len(variants))
    await stop(relay, task)
    stored = await rig.store.read_all(0)
    for message, event in zip(published, stored, strict=True):
        assert message.pop("_subject") == subject("registry", event.division, event.type)
        assert message == to_cloudevent("registry", event)
        assert message["data"] == data
    assert [m["time"] for m in published] == [
        "2024-03-21T16:00:00.123456+00:00",
        "2024-03-21T16:00:00+00:00",
        "2024-03-21T16:00:00.000001+00:00",
        "1999-03-21T16:00:00+00:00",
    ]
    assert [("correlationid" in m, "causationid" in m) for m in published] == [
        (True, True),
        (False, False),
        (False, False),
        (False, True),
    ]
    assert published[2]["division"] == "000000" and published[2]["client"] == ""
