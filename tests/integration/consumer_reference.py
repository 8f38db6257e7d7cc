"""A reference projection of the registry's events, the shape the services' projections take.

`OrganizationChanges` keeps one row per organization (name, place, how many changes it has
had) and one row per event applied. It reads the payloads as the contracts parse them, and
applies a whole batch in a few multi-row statements (`apply_batch`) that give the same result
as `apply` one event at a time. A change naming the field `poison` is refused until `fixed`.
`Rig` runs it with the registry's relay against a real nats-server.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.consumer import ConsumerConfig, ConsumerRunner, Delivered, Projection
from shared.contracts.registry import OrganizationRegistered, RegistrationChanged
from shared.db import make_async_engine
from shared.eventstore import EventMetadata, NewEvent
from shared.eventstore.sql import SqlEventStore
from shared.natslink import NatsLink
from shared.outbox.config import RelayConfig
from shared.outbox.relay import Relay

META = EventMetadata(client="test")
DIVISIONS = ("420106", "330203")
md = MetaData()
events_table = Table(
    "ref_events",
    md,
    # A second application of one event violates the key: exactly-once is checked.
    Column("event_id", String(36), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("type", String(100), nullable=False),
)
orgs_table = Table(
    "ref_organizations",
    md,
    Column("organization_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("division", String(6), nullable=False, index=True),
    Column("changes", Integer, nullable=False),
)


class Refused(Exception):
    pass


class OrganizationChanges(Projection):
    name = "reference"
    stream = "REGISTRY"
    filter_subjects = ("registry.>",)
    tables = (events_table, orgs_table)

    def __init__(self) -> None:
        self.fixed = False
        self.batches: list[tuple[str, int]] = []  # (table the batch went to, events)
        self.one_by_one: Counter[int] = Counter()  # stream seq → calls of `apply`

    async def apply(
        self, conn: AsyncConnection, event: Delivered, tables: Mapping[str, Table]
    ) -> None:
        self.one_by_one[event.stream_seq] += 1
        await self._write(conn, [event], tables)

    async def apply_batch(
        self, conn: AsyncConnection, events: Sequence[Delivered], tables: Mapping[str, Table]
    ) -> None:
        self.batches.append((tables[orgs_table.name].name, len(events)))
        await self._write(conn, events, tables)

    async def _write(
        self, conn: AsyncConnection, events: Sequence[Delivered], tables: Mapping[str, Table]
    ) -> None:
        registered: list[dict[str, object]] = []
        changes: Counter[str] = Counter()
        names: dict[str, str] = {}
        for e in events:
            match e.data:
                case OrganizationRegistered(organization_id=org, name=name):
                    registered.append(
                        {"organization_id": org, "name": name, "division": e.division, "changes": 0}
                    )
                case RegistrationChanged(organization_id=org, changes=changed):
                    if "poison" in changed and not self.fixed:
                        raise Refused(f"cannot digest seq {e.stream_seq}")
                    changes[org] += 1
                    if "name" in changed:
                        names[org] = str(changed["name"][1])
        rows = [{"event_id": e.id, "seq": e.stream_seq, "type": e.event_type} for e in events]
        await conn.execute(insert(tables[events_table.name]), rows)
        orgs = tables[orgs_table.name]
        if registered:
            await conn.execute(insert(orgs), registered)
        # An organization's registration precedes its changes in the stream, so applying the
        # batch's registrations first gives what applying its events in order gives.
        for org, n in changes.items():
            values: dict[str, object] = {"changes": orgs.c.changes + n}
            if org in names:
                values["name"] = names[org]
            await conn.execute(update(orgs).where(orgs.c.organization_id == org).values(values))


def registered(org: str, division: str) -> NewEvent:
    data = OrganizationRegistered(
        organization_id=org,
        credit_code="51420106MJ0000000X",
        name=f"{org} 协会",
        kind="social_group",
        level="county",
        registration_authority=division,
        domicile=division,
        registered_on=date(2020, 5, 1),
    )
    return NewEvent("organization_registered", data.model_dump(mode="json", exclude_none=True))


def changed(org: str, field: str = "residence", new: str = "新址") -> NewEvent:
    data = RegistrationChanged(
        organization_id=org, changed_on=date(2024, 3, 1), changes={field: ("旧址", new)}
    )
    return NewEvent("registration_changed", data.model_dump(mode="json"))


@dataclass
class Rig:
    engine: AsyncEngine
    store: SqlEventStore
    link: NatsLink
    projection: OrganizationChanges
    runner: ConsumerRunner

    async def append(
        self, stream: str, events: Sequence[NewEvent], *, after: int = 0, division: str = ""
    ) -> None:
        place = division or DIVISIONS[0]
        await self.store.append(stream, after, events, metadata=META, division=place)

    async def organizations(self) -> dict[str, tuple[str, str, int]]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(orgs_table))
            return {r.organization_id: (r.name, r.division, r.changes) for r in rows}

    async def applied(self) -> list[str]:
        """The ids of the events applied, in stream order."""
        async with self.engine.connect() as conn:
            q = select(events_table.c.event_id).order_by(events_table.c.seq)
            return [r[0] for r in await conn.execute(q)]

    async def stored(self) -> list[str]:
        return [str(e.event_id) for e in await self.store.read_all(0, limit=100_000)]

    async def wait_applied(self, n: int, within: float = 60) -> list[str]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            got = await self.applied()
            if len(got) >= n or loop.time() > deadline:
                return got
            await asyncio.sleep(0.05)


@asynccontextmanager
async def running(database_url: str, nats_url: str) -> AsyncIterator[Rig]:
    """The projection's runner and the registry's relay, running until the block ends."""
    engine = make_async_engine(database_url)
    async with engine.begin() as conn:  # the PostgreSQL database is shared by the run
        await conn.run_sync(md.drop_all)
    store = SqlEventStore(engine)
    link = NatsLink(nats_url, name="test-reference")
    link.start()
    relay = Relay(store=store, link=link, producer="registry", config=RelayConfig(idle_poll=0.05))
    projection = OrganizationChanges()
    config = ConsumerConfig(batch_size=50, fetch_timeout=0.3, backoff_initial=0.01, max_attempts=3)
    runner = ConsumerRunner(engine, link, projection, config)
    await runner.create_tables()
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(runner.run())]
    try:
        yield Rig(engine, store, link, projection, runner)
    finally:
        relay.stop()
        runner.stop()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 15)
        await link.close()
        await engine.dispose()
