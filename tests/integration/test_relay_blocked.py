"""An event NATS refuses for good, on SQLite and PostgreSQL against a real nats-server with a
small max_payload: the relay holds at it and says so (metric, readiness, `socorg
relay-status`), then goes on once the server takes it or an operator skips it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import nats
import pytest
from prometheus_client import REGISTRY

from services.registry.settings import RegistrySettings
from shared import catalog
from shared.db import make_async_engine
from shared.eventstore import EventMetadata, NewEvent
from shared.eventstore.sql import SqlEventStore
from shared.http.app import create_service_app
from shared.natslink import NatsLink
from shared.outbox import status as relay_status
from shared.outbox.config import RelayConfig
from shared.outbox.relay import Relay
from tests.integration.jetstream import stream_messages, wait_for_count
from tests.integration.servers import LimitedNats, serve

META = EventMetadata(client="test")
ROOT = Path(__file__).resolve().parents[2]
SMALL = 8 * 1024  # the server's max_payload in these tests
BIG = {"text": "年" * 10_000}  # 30 KB: over SMALL, under the store's 256 KiB


@dataclass
class Rig:
    store: SqlEventStore
    nats: LimitedNats
    url: str
    links: list[NatsLink]

    def relay(self) -> Relay:
        link = NatsLink(self.nats.url, name="r1")
        link.start()
        self.links.append(link)
        config = RelayConfig(idle_poll=0.05, ack_timeout=2, lease_ttl=2, blocked_retry=0.2)
        return Relay(store=self.store, link=link, producer="registry", config=config, holder="r1")

    async def append(self, stream: str, *data: dict[str, object]) -> None:
        version = await self.store.stream_version(stream)
        for n, d in enumerate(data):
            event = NewEvent("registration_changed", d)
            await self.store.append(stream, version + n, [event], metadata=META, division="420106")

    async def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The command in a process of its own, the event loop going on meanwhile: the relay
        under test may hold a write transaction that the command waits for."""
        env = {**os.environ, "SOCORG_REGISTRY_DATABASE_URL": self.url}
        return await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "shared.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )


@pytest.fixture
async def rig(database_url: str, tmp_path: Path) -> AsyncIterator[Rig]:
    nats = LimitedNats(tmp_path / "nats", SMALL)
    nats.start()
    engine = make_async_engine(database_url)
    r = Rig(SqlEventStore(engine), nats, database_url, [])
    yield r
    for link in r.links:
        await link.close()
    await engine.dispose()
    nats.stop()


def sample(name: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"producer": "registry"})


async def until(condition: Callable[[], object], what: str) -> None:
    for _ in range(600):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never: {what}")


async def ids(rig: Rig) -> list[str]:
    return [str(e.event_id) for e in await rig.store.read_all(0)]


async def test_a_refused_event_is_held_reported_and_skipped_by_an_operator(rig: Rig) -> None:
    # Stored past the API's checks (the store takes up to 256 KiB): the server takes 8 KiB.
    await rig.append("org-1", {"v": 1}, {"v": 2}, BIG, {"v": 4})
    await rig.append("org-2", {"v": 1})
    big_id, big_position = (await ids(rig))[2], 3
    relay = rig.relay()
    task = asyncio.create_task(relay.run())
    await until(lambda: relay.blocked is not None, "the relay holds")
    assert relay.blocked is not None and relay.blocked.position == big_position
    assert relay.blocked.event_id == big_id and "maximum payload" in relay.blocked.error
    assert [m["id"] for m in await stream_messages(rig.nats.url, "REGISTRY")] == (await ids(rig))[
        :2
    ]
    assert sample("socorg_relay_blocked") == 1
    assert sample("socorg_relay_blocked_position") == big_position
    await until(lambda: sample("socorg_relay_lag_positions") == 3, "the lag counts the held")
    ok, detail = await relay.readiness()
    assert not ok and big_id in detail and "position 3" in detail

    await rig.append("org-2", {"v": 2})  # writes go on while held; the lag says so
    await until(lambda: sample("socorg_relay_lag_positions") == 4, "the lag grows")
    assert relay.blocked is not None and relay.blocked.attempts >= 1
    assert len(await stream_messages(rig.nats.url, "REGISTRY")) == 2

    status = await rig.cli("relay-status", "registry")
    assert status.returncode == 1, status.stderr
    for shown in (f"HELD at position {big_position}", big_id, "registration_changed", "bytes"):
        assert shown in status.stdout
    assert "maximum payload" in status.stdout

    skipped = await rig.cli(
        "relay-skip", "registry", str(big_position), "--reason", "over NATS limit", "--by", "王"
    )
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    published = await wait_for_count(rig.nats.url, "REGISTRY", 5)
    await until(lambda: relay.blocked is None, "the relay goes on")
    # set once the relay finds the outbox empty, a step after its last publish
    await until(lambda: sample("socorg_relay_lag_positions") == 0, "the lag is back to 0")
    relay.stop()
    await asyncio.wait_for(task, 10)

    expected = [i for i in await ids(rig) if i != big_id]
    assert [m["id"] for m in published] == expected, "all but the skipped, in order, once"
    assert sample("socorg_relay_blocked") == 0
    assert sample("socorg_relay_lag_positions") == 0
    assert await relay.readiness() == (True, "ok")
    report = await relay_status.status("registry", rig.url)
    assert not report.held
    [row] = report.rows
    assert (row.skipped_by, row.skip_reason, row.position) == ("王", "over NATS limit", 3)
    after = await rig.cli("relay-status", "registry")
    assert after.returncode == 0 and "skipped position 3" in after.stdout
    assert await relay_status.skip("registry", rig.url, 3, "y", "again") is None  # not held


async def test_a_held_event_is_published_once_the_server_takes_it(rig: Rig) -> None:
    await rig.append("org-1", {"v": 1}, BIG, {"v": 3})
    relay = rig.relay()
    task = asyncio.create_task(relay.run())
    await until(lambda: relay.blocked is not None, "the relay holds")
    assert len(await stream_messages(rig.nats.url, "REGISTRY")) == 1
    rig.nats.restart(max_payload=1024 * 1024)  # the operator raises the limit
    published = await wait_for_count(rig.nats.url, "REGISTRY", 3)
    await until(lambda: relay.blocked is None, "the relay goes on")
    relay.stop()
    await asyncio.wait_for(task, 10)
    assert [m["id"] for m in published] == await ids(rig)
    assert published[1]["data"] == BIG
    assert sample("socorg_relay_blocked") == 0
    [row] = (await relay_status.status("registry", rig.url)).rows
    assert row.resolved_at is not None and row.skipped_at is None


async def test_readyz_fails_while_the_relay_holds_and_recovers_after(rig: Rig) -> None:
    settings = RegistrySettings(
        database_url=rig.url, nats_url=rig.nats.url, relay_blocked_retry_seconds=0.2
    )
    app = create_service_app(catalog.get("registry"), settings)
    await rig.append("org-1", {"v": 1}, BIG)
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as http:
        for _ in range(600):
            r = await http.get("/readyz")
            if r.status_code == 503:
                break
            await asyncio.sleep(0.05)
        assert r.status_code == 503, r.text
        body = r.json()
        assert body["type"] == "urn:socorg:problem:not-ready" and body["detail"].endswith("relay")
        assert "position 2" in body["checks"]["relay"]["detail"]
        assert body["checks"]["nats"]["ok"] and body["checks"]["database"]["ok"]
        metrics = (await http.get("/metrics")).text
        assert 'socorg_relay_blocked{producer="registry"} 1.0' in metrics
        rig.nats.restart(max_payload=1024 * 1024)
        for _ in range(600):
            r = await http.get("/readyz")
            if r.status_code == 200:
                break
            await asyncio.sleep(0.05)
        assert r.status_code == 200, r.text
    assert len(await stream_messages(rig.nats.url, "REGISTRY")) == 2


async def test_a_message_jetstream_refuses_inside_a_batch_is_found_and_held(rig: Rig) -> None:
    """The server takes the message (under max_payload) but the stream refuses it (over its
    max_msg_size): sent in a batch, only the batch's last ack tells, as "wrong last msg ID"."""
    rig.nats.restart(max_payload=1024 * 1024)
    await rig.append("org-1", {"v": 1})
    relay = rig.relay()
    task = asyncio.create_task(relay.run())
    await wait_for_count(rig.nats.url, "REGISTRY", 1)
    nc = await nats.connect(rig.nats.url)
    js = nc.jetstream()
    config = (await js.stream_info("REGISTRY")).config
    config.max_msg_size = 8 * 1024
    await js.update_stream(config)
    async with rig.store.unit_of_work() as uow:  # one commit: the relay reads them as a batch
        for n, d in enumerate([{"v": 2}, BIG, {"v": 4}, {"v": 5}]):
            event = NewEvent("registration_changed", d)
            uow.append("org-1", 1 + n, [event], metadata=META, division="420106")
    await until(lambda: relay.blocked is not None, "the relay holds")
    assert relay.blocked is not None and relay.blocked.position == 3
    assert "10054" in relay.blocked.error  # JetStream: message size exceeds maximum allowed
    assert len(await stream_messages(rig.nats.url, "REGISTRY")) == 2
    config.max_msg_size = -1  # the operator lifts the stream's limit
    await js.update_stream(config)
    await nc.close()
    published = await wait_for_count(rig.nats.url, "REGISTRY", 5)
    await until(lambda: relay.blocked is None, "the relay goes on")
    relay.stop()
    await asyncio.wait_for(task, 10)
    assert [m["id"] for m in published] == await ids(rig)


async def test_readyz_of_an_api_whose_relay_runs_elsewhere_says_it_holds(rig: Rig) -> None:
    """deploy/ runs the registry's relay as a process of its own (RELAY_ENABLED false)."""
    settings = RegistrySettings(database_url=rig.url, nats_url=rig.nats.url, relay_enabled=False)
    app = create_service_app(catalog.get("registry"), settings)
    await rig.append("org-1", BIG)
    relay = rig.relay()
    task = asyncio.create_task(relay.run())
    await until(lambda: relay.blocked is not None, "the relay holds")
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as http:
        r = await http.get("/readyz")
        assert r.status_code == 503, r.text
        assert "position 1" in r.json()["checks"]["relay"]["detail"]
        await relay_status.skip("registry", rig.url, 1, "王", "inspected: over every limit")
        await until(lambda: relay.blocked is None, "the relay goes on")
        r = await http.get("/readyz")
        assert r.status_code == 200, r.text
    relay.stop()
    await asyncio.wait_for(task, 10)
