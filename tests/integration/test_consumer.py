"""The consumer runner against a real nats-server, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared import catalog, checkpoints
from shared.consumer import AlreadyReplayed, ConsumerConfig, ConsumerRunner, Delivered, Projection
from shared.contracts.registry import RegistrationChanged
from shared.db import make_async_engine
from shared.eventstore import EventMetadata, NewEvent
from shared.eventstore.sql import SqlEventStore, unit_of_work_on
from shared.natslink import NatsLink
from shared.outbox.config import RelayConfig
from shared.outbox.relay import Relay
from tests.conftest import NatsServer
from tests.integration.readers import reading

META = EventMetadata(client="test")
md = MetaData()
applied_table = Table(
    "demo_applied", md, Column("event_id", String(36), primary_key=True), Column("seq", Integer)
)
counts_table = Table(
    "demo_counts", md, Column("division", String(6), primary_key=True), Column("n", Integer)
)


def change(organization_id: str, *, poison: bool = False) -> NewEvent:
    """A registration change as the contract shapes it; a `poison` one names a field the
    demo projection refuses until fixed."""
    field = "poison" if poison else "residence"
    changes = {field: ["old", "new"]}
    data = {"organization_id": organization_id, "changed_on": "2024-03-01", "changes": changes}
    return NewEvent("registration_changed", data)


class DemoProjection(Projection):
    """Counts events per division; refuses `poison` changes until fixed. Applies one event at
    a time (the protocol's own `apply_batch`)."""

    name = "demo"
    stream = "REGISTRY"
    filter_subjects = ("registry.>",)
    tables = (applied_table, counts_table)

    def __init__(self) -> None:
        self.fixed = False
        self.attempts: dict[int, int] = {}

    async def apply(
        self, conn: AsyncConnection, event: Delivered, tables: Mapping[str, Table]
    ) -> None:
        self.attempts[event.stream_seq] = self.attempts.get(event.stream_seq, 0) + 1
        data = event.data
        assert isinstance(data, RegistrationChanged)  # parsed by the contract
        if "poison" in data.changes and not self.fixed:
            raise ValueError("cannot digest this event")
        applied, counts = tables["demo_applied"], tables["demo_counts"]
        # A duplicate application would violate the primary key: exactly-once is checked.
        await conn.execute(insert(applied).values(event_id=event.id, seq=event.stream_seq))
        division = event.division
        result = await conn.execute(
            update(counts).where(counts.c.division == division).values(n=counts.c.n + 1)
        )
        if result.rowcount == 0:
            await conn.execute(insert(counts).values(division=division, n=1))


@dataclass
class Rig:
    engine: AsyncEngine
    store: SqlEventStore
    nats: NatsServer
    projection: DemoProjection
    runner: ConsumerRunner
    relay: Relay

    async def append(self, n: int, *, tag: str = "", poison_at: int | None = None) -> None:
        for i in range(n):
            await self.store.append(
                f"org-{tag}{i}",
                0,
                [change(f"org-{tag}{i}", poison=i == poison_at)],
                metadata=META,
                division=["420106", "330203"][i % 2],
            )

    async def applied(self) -> list[str]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(applied_table.c.event_id).order_by(applied_table.c.seq)
            )
            return [r[0] for r in rows]

    async def counts(self) -> dict[str, int]:
        async with self.engine.connect() as conn:
            return {d: n for d, n in (await conn.execute(select(counts_table))).all()}

    async def wait_applied(self, n: int, within: float = 30) -> list[str]:
        deadline = asyncio.get_running_loop().time() + within
        while True:
            got = await self.applied()
            if len(got) >= n or asyncio.get_running_loop().time() > deadline:
                return got
            await asyncio.sleep(0.05)


@pytest.fixture
async def rig(database_url: str, nats_server: NatsServer) -> AsyncIterator[Rig]:
    engine = make_async_engine(database_url)
    async with engine.begin() as conn:  # the PostgreSQL database is shared by the run
        await conn.run_sync(md.drop_all)
    store = SqlEventStore(engine)
    link = NatsLink(nats_server.url, name="test")
    link.start()
    relay = Relay(store=store, link=link, producer="registry", config=RelayConfig(idle_poll=0.05))
    projection = DemoProjection()
    config = ConsumerConfig(batch_size=50, fetch_timeout=0.3, backoff_initial=0.01, max_attempts=3)
    runner = ConsumerRunner(engine, link, projection, config)
    await runner.create_tables()
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(runner.run())]
    yield Rig(engine, store, nats_server, projection, runner, relay)
    relay.stop()
    runner.stop()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 15)
    await link.close()
    await engine.dispose()


async def stored_ids(store: SqlEventStore) -> list[str]:
    return [str(e.event_id) for e in await store.read_all(0, limit=100_000)]


async def test_every_event_is_applied_once_in_stream_order(rig: Rig) -> None:
    await rig.append(120)
    assert await rig.wait_applied(120) == await stored_ids(rig.store)
    assert await rig.counts() == {"420106": 60, "330203": 60}
    async with rig.engine.connect() as conn:
        assert await checkpoints.load(conn, "consumer:demo") == 120


async def test_redeliveries_from_the_start_are_no_ops(rig: Rig) -> None:
    await rig.append(40)
    await rig.wait_applied(40)
    # Delete the durable consumer: the runner makes a new one that redelivers from seq 1.
    js = rig.runner.link.jetstream()
    await js.delete_consumer("REGISTRY", "demo")
    await rig.append(10, tag="more-")
    got = await rig.wait_applied(50)
    await asyncio.sleep(0.5)
    assert got == await stored_ids(rig.store)
    assert await rig.runner.dead_letters() == []
    assert sum((await rig.counts()).values()) == 50


async def test_a_poison_message_is_parked_the_consumer_goes_on_and_replay_applies_it_once(
    rig: Rig,
) -> None:
    await rig.append(30, poison_at=7)
    got = await rig.wait_applied(29)
    await asyncio.sleep(0.3)
    assert len(got) == 29
    [parked] = await rig.runner.dead_letters()
    assert parked["stream_seq"] == 8 and "cannot digest" in parked["error"]
    # three attempts of its own, after the failed attempt of the whole batch
    assert parked["attempts"] == 3 and rig.projection.attempts[8] == 4
    with pytest.raises(ValueError):
        await rig.runner.replay(parked["id"])  # still broken: stays parked
    rig.projection.fixed = True
    await rig.runner.replay(parked["id"])
    assert sorted(await rig.applied()) == sorted(await stored_ids(rig.store))
    with pytest.raises(AlreadyReplayed):
        await rig.runner.replay(parked["id"])
    assert await rig.runner.dead_letters() == []
    assert len(await rig.runner.dead_letters(include_replayed=True)) == 1


async def test_nats_killed_mid_consume_and_restarted_loses_and_repeats_nothing(rig: Rig) -> None:
    await rig.append(300)
    await rig.wait_applied(60)
    rig.nats.kill()
    await asyncio.sleep(0.3)
    rig.nats.start()
    got = await rig.wait_applied(300, within=60)
    assert got == await stored_ids(rig.store)


async def test_a_rebuild_equals_the_live_projection_while_readers_keep_reading(rig: Rig) -> None:
    await rig.append(200)
    await rig.wait_applied(200)
    live = await rig.counts()
    async with reading(rig.engine, select(func.count()).select_from(counts_table)) as reads:
        writer = asyncio.create_task(rig.append(20, tag="during-"))
        applied = await asyncio.wait_for(rig.runner.rebuild(), 60)
        await writer
    assert reads.errors == [] and reads.count > 0
    assert applied >= 200
    await rig.wait_applied(220)
    await asyncio.sleep(0.5)
    assert await rig.counts() == {"420106": live["420106"] + 10, "330203": live["330203"] + 10}
    assert sorted(await rig.applied()) == sorted(await stored_ids(rig.store))


async def test_consumer_lag_is_a_metric_and_a_stalled_consumer_is_not_ready(rig: Rig) -> None:
    from prometheus_client import REGISTRY

    from shared.consumer import Consumers

    await rig.append(5)
    await rig.wait_applied(5)
    await asyncio.sleep(0.5)
    assert REGISTRY.get_sample_value("socorg_consumer_lag_messages", {"consumer": "demo"}) == 0
    consumers = Consumers()
    consumers.add(rig.runner)
    assert (await consumers.readiness())[0]
    rig.runner.lag, rig.runner.last_progress = 7, 0.0  # lagging with no progress for ages
    ok, detail = await consumers.readiness()
    assert not ok and "demo" in detail


async def test_dead_letters_are_listed_and_replayed_and_projections_rebuilt_over_http(
    database_url: str, nats_server: NatsServer
) -> None:
    import httpx

    from services.registry.settings import RegistrySettings
    from shared.http.app import create_service_app
    from shared.settings import DEV_API_KEY
    from tests.integration.servers import serve

    engine = make_async_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(md.drop_all)
    await engine.dispose()
    projection = DemoProjection()
    settings = RegistrySettings(database_url=database_url, nats_url=nats_server.url)
    app = create_service_app(
        replace(catalog.get("registry"), projections=lambda _: [projection]), settings
    )
    async with (
        serve(app) as url,
        httpx.AsyncClient(base_url=url, headers={"X-API-Key": DEV_API_KEY}) as http,
    ):
        store = app.state.platform.store
        for i in range(5):
            await store.append(f"o{i}", 0, [change(f"o{i}", poison=i == 2)], metadata=META)
        for _ in range(200):
            letters = (await http.get("/v1/dead-letters")).json()
            if letters:
                break
            await asyncio.sleep(0.05)
        assert isinstance(letters, list), letters
        [letter] = letters
        assert letter["stream_seq"] == 3 and "cannot digest" in letter["error"]
        r = await http.post(f"/v1/dead-letters/{letter['id']}/replay")
        assert r.status_code == 422 and "failed again" in r.json()["detail"]
        projection.fixed = True
        assert (await http.post(f"/v1/dead-letters/{letter['id']}/replay")).status_code == 200
        again = await http.post(f"/v1/dead-letters/{letter['id']}/replay")
        assert again.status_code == 409
        assert (await http.get("/v1/dead-letters")).json() == []
        assert (await http.post("/v1/dead-letters/999/replay")).status_code == 404
        assert (await http.post("/v1/projections/demo/rebuild")).status_code == 202
        for _ in range(200):
            [status] = (await http.get("/v1/projections")).json()
            if status["last_rebuild"]:
                break
            await asyncio.sleep(0.05)
        assert status["last_rebuild"] == "done" and status["name"] == "demo"
        assert (await http.post("/v1/projections/nosuch/rebuild")).status_code == 404
        ready = (await http.get("/readyz")).json()
        assert ready["checks"]["consumers"]["ok"]
        async with app.state.platform.engine.connect() as conn:
            n = (await conn.execute(select(func.count()).select_from(applied_table))).scalar()
        assert n == 5


async def test_a_batch_whose_projection_appended_events_wakes_the_stores_readers(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    woken: list[int] = []
    rig.runner.on_commit = (lambda: woken.append(1),)
    apply = rig.projection.apply

    async def appending(conn: AsyncConnection, event: Delivered, tables: Any) -> None:
        await apply(conn, event, tables)
        if event.stream_id.startswith("org-a"):  # as the notifier's clearing does
            unit_of_work_on(conn)

    monkeypatch.setattr(rig.projection, "apply", appending)
    await rig.append(5, tag="q")
    await rig.wait_applied(5)
    assert woken == []  # nothing appended: no one to wake
    await rig.append(2, tag="a")
    await rig.wait_applied(7)
    assert woken
