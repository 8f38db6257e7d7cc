"""One contract for every event store: in-memory fake, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError

from shared.db import make_async_engine
from shared.eventstore import (
    EventMetadata,
    EventStore,
    EventTooLarge,
    NewEvent,
    WrongExpectedVersion,
    json_text,
)
from shared.eventstore.memory import InMemoryEventStore
from shared.eventstore.model import DEFAULT_MAX_EVENT_BYTES
from shared.eventstore.postgres import PostgresEventStore
from shared.eventstore.sql import SqlEventStore
from shared.eventstore.sqlite import SqliteEventStore
from shared.tables import checkpoints, leases

META = EventMetadata(client="test-client", correlation_id="corr-1")


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[EventStore]:
    if request.param == "memory":
        yield InMemoryEventStore()
        return
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    engine = make_async_engine(url)
    backend = SqliteEventStore if request.param == "sqlite" else PostgresEventStore
    yield backend(engine)
    await engine.dispose()


@pytest.mark.parametrize(
    ("db", "backend"),
    [
        ("sqlite", SqliteEventStore),
        pytest.param("postgres", PostgresEventStore, marks=pytest.mark.postgres),
    ],
)
async def test_the_sql_store_is_the_backend_of_the_engines_database(
    request: pytest.FixtureRequest, db: str, backend: type[SqlEventStore]
) -> None:
    engine = make_async_engine(
        request.getfixturevalue("sqlite_url" if db == "sqlite" else "pg_url")
    )
    store = SqlEventStore(engine, max_event_bytes=1000)
    assert type(store) is backend and store.max_event_bytes == 1000
    [e] = await store.append("org-1", 0, [ev()], metadata=META)
    assert [r.event_id for r in await store.read_all(0)] == [e.event_id]
    await engine.dispose()


def ev(kind: str = "thing_happened", **data: object) -> NewEvent:
    return NewEvent(type=kind, data=dict(data))


async def test_append_to_new_stream_assigns_versions_from_one(store: EventStore) -> None:
    recorded = await store.append("org-1", 0, [ev(n=1), ev(n=2)], metadata=META, division="420106")
    assert [e.version for e in recorded] == [1, 2]
    assert recorded[0].position < recorded[1].position
    assert await store.stream_version("org-1") == 2
    assert recorded[0].division == "420106"


async def test_wrong_expected_version_is_a_conflict_naming_the_current_version(
    store: EventStore,
) -> None:
    await store.append("org-1", 0, [ev(), ev()], metadata=META)
    with pytest.raises(WrongExpectedVersion) as info:
        await store.append("org-1", 1, [ev()], metadata=META)
    assert info.value.current == 2 and info.value.expected == 1
    assert "version 2" in str(info.value)
    assert len(await store.read_stream("org-1")) == 2


async def test_expecting_a_new_stream_on_an_existing_one_conflicts(store: EventStore) -> None:
    await store.append("org-1", 0, [ev()], metadata=META)
    with pytest.raises(WrongExpectedVersion):
        await store.append("org-1", 0, [ev()], metadata=META)


async def test_expecting_a_version_ahead_of_the_stream_conflicts(store: EventStore) -> None:
    with pytest.raises(WrongExpectedVersion) as info:
        await store.append("org-9", 3, [ev()], metadata=META)
    assert info.value.current == 0


async def test_bad_batches_are_refused_before_anything_is_written(store: EventStore) -> None:
    with pytest.raises(ValueError):
        await store.append("org-1", 0, [], metadata=META)
    with pytest.raises(ValueError):
        await store.append("", 0, [ev()], metadata=META)
    naive = NewEvent(type="x", data={}, occurred_at=datetime(2025, 1, 1))
    with pytest.raises(ValueError):
        await store.append("org-1", 0, [naive], metadata=META)
    assert await store.head_position() == 0


def sized(total: int, stream_id: str = "org-1", *, encoded: bool = False) -> NewEvent:
    """An event of exactly `total` bytes as the size limit counts them (CJK: 3 bytes each)."""
    fixed = len(stream_id) + len(json_text(META.to_json())) + len("thing_happened")
    base = len(json_text({"text": ""}))
    room = total - fixed - base
    text = "名" * (room // 3) + "x" * (room % 3)
    data = {"text": text}
    return NewEvent("thing_happened", data, data_json=json_text(data) if encoded else None)


async def test_an_event_over_the_size_limit_is_refused_and_nothing_is_written(
    store: EventStore,
) -> None:
    await store.append("org-1", 0, [ev()], metadata=META)
    limit = DEFAULT_MAX_EVENT_BYTES
    with pytest.raises(EventTooLarge) as info:
        await store.append("org-1", 1, [ev(), sized(limit + 1)], metadata=META)
    assert (info.value.size, info.value.limit) == (limit + 1, limit)
    assert f"limited to {limit} bytes" in str(info.value)
    with pytest.raises(EventTooLarge):  # pre-encoded JSON (the import's) is measured the same
        await store.append("org-1", 1, [sized(limit + 1, encoded=True)], metadata=META)
    with pytest.raises(EventTooLarge):
        async with store.unit_of_work() as uow:
            uow.append("org-2", 0, [ev()], metadata=META)
            uow.append("org-1", 1, [sized(limit + 1)], metadata=META)
    assert await store.head_position() == 1
    assert await store.stream_version("org-2") == 0
    recorded = await store.append("org-1", 1, [sized(limit, encoded=True)], metadata=META)
    assert recorded[0].data == sized(limit).data  # exactly at the limit is taken


async def test_read_stream_round_trips_data_and_metadata(store: EventStore) -> None:
    e = NewEvent(type="organization_registered", data={"name": "武汉市慈善总会", "n": [1, 2]})
    await store.append("org-1", 0, [e], metadata=META)
    [got] = await store.read_stream("org-1")
    assert got.event_id == e.event_id
    assert got.data == {"name": "武汉市慈善总会", "n": [1, 2]}
    assert got.metadata.client == "test-client"
    assert got.metadata.correlation_id == "corr-1"
    assert got.occurred_at == e.occurred_at
    assert got.occurred_at.tzinfo is not None


async def test_read_stream_up_to_a_version_or_a_point_in_time(store: EventStore) -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    batch = [
        NewEvent(type="e", data={"i": i}, occurred_at=t0 + timedelta(days=i)) for i in range(5)
    ]
    await store.append("org-1", 0, batch, metadata=META)
    assert [e.version for e in await store.read_stream("org-1", to_version=3)] == [1, 2, 3]
    as_of = await store.read_stream("org-1", as_of=t0 + timedelta(days=1, hours=1))
    assert [e.data["i"] for e in as_of] == [0, 1]


async def test_read_streams_reads_many_streams_each_in_version_order(store: EventStore) -> None:
    await store.append("b", 0, [ev(i=1)], metadata=META)
    await store.append("a", 0, [ev(i=2), ev(i=3)], metadata=META)
    await store.append("b", 1, [ev(i=4)], metadata=META)
    await store.append("c", 0, [ev(i=5)], metadata=META)
    found = await store.read_streams(["a", "b", "none"])
    assert {k: [e.data["i"] for e in v] for k, v in found.items()} == {"a": [2, 3], "b": [1, 4]}


async def test_read_streams_as_of_a_point_in_time_reads_what_had_occurred_by_then(
    store: EventStore,
) -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)

    def on(day: int, i: int) -> NewEvent:
        return NewEvent(type="e", data={"i": i}, occurred_at=t0 + timedelta(days=day))

    await store.append("a", 0, [on(0, 1), on(2, 2)], metadata=META)
    await store.append("b", 0, [on(1, 3), on(3, 4)], metadata=META)
    await store.append("c", 0, [on(4, 5)], metadata=META)
    found = await store.read_streams(["a", "b", "c"], as_of=t0 + timedelta(days=1))
    assert {k: [e.data["i"] for e in v] for k, v in found.items()} == {"a": [1], "b": [3]}
    every = await store.read_streams(["a", "b", "c"], as_of=t0 + timedelta(days=4))
    assert {k: len(v) for k, v in every.items()} == {"a": 2, "b": 2, "c": 1}


async def test_read_all_after_a_position_in_position_order(store: EventStore) -> None:
    await store.append("a", 0, [ev(i=1)], metadata=META)
    await store.append("b", 0, [ev(i=2)], metadata=META)
    await store.append("a", 1, [ev(i=3)], metadata=META)
    everything = await store.read_all(0)
    assert [e.data["i"] for e in everything] == [1, 2, 3]
    after_first = await store.read_all(everything[0].position)
    assert [e.data["i"] for e in after_first] == [2, 3]
    assert [e.data["i"] for e in await store.read_all(0, limit=2)] == [1, 2]
    assert await store.head_position() == everything[-1].position


async def test_a_unit_of_work_appends_to_several_streams_atomically(store: EventStore) -> None:
    await store.append("b", 0, [ev()], metadata=META)
    with pytest.raises(WrongExpectedVersion):
        async with store.unit_of_work() as uow:
            uow.append("a", 0, [ev()], metadata=META)
            uow.append("b", 0, [ev()], metadata=META)  # stale: b is at 1
    assert await store.stream_version("a") == 0


async def test_duplicate_event_id_is_refused(store: EventStore) -> None:
    e = ev()
    await store.append("a", 0, [e], metadata=META)
    with pytest.raises(Exception):  # noqa: B017 - each store has its own integrity error
        await store.append("b", 0, [e], metadata=META)
    assert await store.stream_version("b") == 0


async def test_concurrent_appenders_on_one_stream_exactly_one_wins_each_version(
    store: EventStore,
) -> None:
    writers, rounds = 8, 5
    wins: list[tuple[int, int]] = []

    async def writer(w: int) -> None:
        for _ in range(rounds * 4):
            current = await store.stream_version("hot")
            try:
                await store.append("hot", current, [ev(writer=w)], metadata=META)
                wins.append((w, current + 1))
            except WrongExpectedVersion:
                await asyncio.sleep(0)

    await asyncio.gather(*(writer(w) for w in range(writers)))
    stored = await store.read_stream("hot")
    assert [e.version for e in stored] == list(range(1, len(stored) + 1))
    assert sorted(v for _, v in wins) == [e.version for e in stored]  # one winner per version


async def test_concurrent_appenders_on_many_streams_a_follower_sees_each_event_once(
    store: EventStore,
) -> None:
    streams, per_stream = 12, 8
    seen: list[uuid.UUID] = []
    done = asyncio.Event()

    async def follower() -> None:
        after = 0
        while True:
            finished = done.is_set()
            batch = await store.read_all(after, limit=7)
            seen.extend(e.event_id for e in batch)
            if batch:
                after = batch[-1].position
            elif finished:
                return
            await asyncio.sleep(0)

    async def appender(s: int) -> None:
        for v in range(per_stream):
            await store.append(f"s-{s}", v, [ev(s=s, v=v)], metadata=META)

    task = asyncio.create_task(follower())
    await asyncio.gather(*(appender(s) for s in range(streams)))
    done.set()
    await task
    stored = await store.read_all(0, limit=10_000)
    assert len(seen) == len(set(seen)) == streams * per_stream
    assert set(seen) == {e.event_id for e in stored}


@pytest.mark.postgres
async def test_postgres_positions_follow_commit_order_when_an_early_transaction_commits_late(
    pg_url: str,
) -> None:
    """A transaction that inserts first but commits last must not leave a hole a reader skips."""
    engine = make_async_engine(pg_url)
    store = SqlEventStore(engine)
    slow_started, release = asyncio.Event(), asyncio.Event()

    async def slow() -> None:
        async with store.unit_of_work() as uow:
            uow.append("slow", 0, [ev()], metadata=META)
            await uow.flush()  # takes its position now...
            slow_started.set()
            await release.wait()  # ...and commits only later

    task = asyncio.create_task(slow())
    await slow_started.wait()
    fast = asyncio.create_task(store.append("fast", 0, [ev()], metadata=META))
    await asyncio.sleep(0.3)
    visible = await store.read_all(0)
    # Nothing from the fast writer may be visible at a position past the uncommitted slow one.
    assert visible == []
    release.set()
    await asyncio.gather(task, fast)
    ordered = await store.read_all(0)
    assert [e.stream_id for e in ordered] == ["slow", "fast"]
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM events"))).scalar_one() == 2
    await engine.dispose()


async def test_flush_assigns_positions_inside_the_transaction_and_rollback_undoes_it(
    store: EventStore,
) -> None:
    await store.append("a", 0, [ev()], metadata=META)
    with pytest.raises(RuntimeError):
        async with store.unit_of_work() as uow:
            uow.append("b", 0, [ev(), ev()], metadata=META)
            await uow.flush()
            assert [e.version for e in uow.recorded] == [1, 2]
            assert uow.recorded[0].position > 1
            raise RuntimeError("the read-model write failed")
    assert await store.stream_version("b") == 0
    async with store.unit_of_work() as uow:
        uow.append("b", 0, [ev()], metadata=META)
        await uow.flush()
        uow.append("b", 1, [ev()], metadata=META)  # a second append after a flush
    assert [e.version for e in await store.read_stream("b")] == [1, 2]


async def test_a_unit_of_work_appends_to_many_streams_with_positions_in_order(
    store: EventStore,
) -> None:
    await store.append("s-0", 0, [ev(i=0)], metadata=META)
    async with store.unit_of_work() as uow:
        uow.append("s-0", 1, [ev(i=1), ev(i=2)], metadata=META, division="420106")
        for s in range(1, 6):
            uow.append(f"s-{s}", 0, [ev(i=s * 10)], metadata=META, division="330203")
    recorded = uow.recorded
    assert [e.position for e in recorded] == sorted(e.position for e in recorded)
    assert [(e.stream_id, e.version) for e in recorded[:2]] == [("s-0", 2), ("s-0", 3)]
    stored = await store.read_all(0)
    assert [e.event_id for e in stored[1:]] == [e.event_id for e in recorded]
    assert [e.data["i"] for e in stored] == [0, 1, 2, 10, 20, 30, 40, 50]
    assert stored[1].division == "420106" and stored[-1].metadata.client == "test-client"


@pytest.mark.parametrize("stale", [0, 2])  # behind the stream, and ahead of it (a gap)
@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_a_unit_of_work_on_a_stream_at_another_version_writes_nothing(
    request: pytest.FixtureRequest, db: str, stale: int
) -> None:
    """The version check fails the whole transaction, the read-model writes made before the
    append included (on PostgreSQL it runs in the statement sent with the COMMIT)."""
    engine = make_async_engine(
        request.getfixturevalue("sqlite_url" if db == "sqlite" else "pg_url")
    )
    store = SqlEventStore(engine)
    await store.append("x", 0, [ev()], metadata=META)
    write = text("INSERT INTO leases (name, holder, expires_at) VALUES ('rm', 'h', :at)")
    with pytest.raises(WrongExpectedVersion) as info:
        async with store.unit_of_work() as uow:
            await uow.connection.execute(write, {"at": datetime.now(UTC)})
            uow.append("y", 0, [ev()], metadata=META)  # fine on its own
            uow.append("x", stale, [ev()], metadata=META)
    assert (info.value.stream_id, info.value.expected, info.value.current) == ("x", stale, 1)
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM leases"))).scalar_one() == 0
    assert [await store.stream_version(s) for s in ("x", "y")] == [1, 0]
    async with store.unit_of_work() as uow:  # the connection is fine afterwards
        await uow.connection.execute(write, {"at": datetime.now(UTC)})
        uow.append("x", 1, [ev()], metadata=META)
        uow.append("x", 2, [ev(), ev()], metadata=META)  # a second append follows the first
    assert [e.version for e in uow.recorded] == [2, 3, 4]
    assert await store.stream_version("x") == 4
    with pytest.raises(WrongExpectedVersion):
        async with store.unit_of_work() as uow:
            uow.append("z", 0, [ev()], metadata=META)
            uow.append("z", 0, [ev()], metadata=META)  # does not follow the first
    assert await store.stream_version("z") == 0
    await engine.dispose()


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_read_model_writes_commit_with_the_appends_or_not_at_all(
    request: pytest.FixtureRequest, db: str
) -> None:
    """`uow.write`: on PostgreSQL sent with the appends and the COMMIT; a key it violates
    fails the whole unit of work as the same IntegrityError, appends included."""
    engine = make_async_engine(
        request.getfixturevalue("sqlite_url" if db == "sqlite" else "pg_url")
    )
    store = SqlEventStore(engine)
    lease = insert(leases)
    at = datetime.now(UTC)
    async with store.unit_of_work() as uow:
        await uow.write(lease, {"name": "a", "holder": "h1", "expires_at": at})
        await uow.write(update(leases).where(leases.c.name == "a").values(holder="h2"))
        uow.append("s", 0, [ev()], metadata=META)
    with pytest.raises(IntegrityError):
        async with store.unit_of_work() as uow:
            await uow.write(lease, {"name": "b", "holder": "h", "expires_at": at})
            await uow.write(lease, {"name": "a", "holder": "h", "expires_at": at})  # taken
            uow.append("s", 1, [ev()], metadata=META)
    async with store.unit_of_work() as uow:  # a write alone
        await uow.write(lease, {"name": "c", "holder": "h", "expires_at": at})
    async with store.unit_of_work() as uow:  # a write and an append, flushed before the end
        await uow.write(lease, {"name": "d", "holder": "h", "expires_at": at})
        uow.append("t", 0, [ev()], metadata=META)
        await uow.flush()
        assert [e.version for e in uow.recorded] == [1]
    async with engine.connect() as conn:
        rows = (await conn.execute(select(leases.c.name, leases.c.holder))).all()
    assert sorted(rows) == [("a", "h2"), ("c", "h"), ("d", "h")]
    assert [await store.stream_version(s) for s in ("s", "t")] == [1, 1]
    await engine.dispose()


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_a_unit_of_only_writes_on_distinct_tables_and_appends_is_all_or_nothing(
    request: pytest.FixtureRequest, db: str
) -> None:
    """The commonest unit of work (a new organization's row, its Idempotency-Key's row, its
    event) is, on PostgreSQL, one autocommitted statement: it commits whole or not at all,
    and the connection goes back to transactions after it, failed or not (one connection in
    the pool, so every unit here runs on it)."""
    engine = make_async_engine(
        request.getfixturevalue("sqlite_url" if db == "sqlite" else "pg_url"),
        **({"pool_size": 1, "max_overflow": 0} if db == "postgres" else {}),
    )
    store = SqlEventStore(engine)
    at = datetime.now(UTC)
    lease, mark = insert(leases), insert(checkpoints)
    async with store.unit_of_work() as uow:
        await uow.write(lease, {"name": "a", "holder": "h", "expires_at": at})
        await uow.write(mark, {"name": "a", "position": 1, "updated_at": at})
        uow.append("s", 0, [ev()], metadata=META)
    assert [(e.stream_id, e.version) for e in uow.recorded] == [("s", 1)]
    with pytest.raises(IntegrityError):  # the lease's key is taken: no event, no checkpoint
        async with store.unit_of_work() as uow:
            await uow.write(mark, {"name": "b", "position": 1, "updated_at": at})
            await uow.write(lease, {"name": "a", "holder": "h", "expires_at": at})
            uow.append("s", 1, [ev()], metadata=META)
    with pytest.raises(WrongExpectedVersion) as info:  # a stale version: no lease written
        async with store.unit_of_work() as uow:
            await uow.write(lease, {"name": "c", "holder": "h", "expires_at": at})
            uow.append("s", 0, [ev()], metadata=META)
    assert (info.value.expected, info.value.current) == (0, 1)
    with pytest.raises(RuntimeError):  # still a transaction: rolled back, nothing kept
        async with store.unit_of_work() as uow:
            await uow.connection.execute(
                insert(leases), {"name": "d", "holder": "h", "expires_at": at}
            )
            raise RuntimeError("after a write made at once")
    async with store.unit_of_work() as uow:
        await uow.write(lease, {"name": "e", "holder": "h", "expires_at": at})
        uow.append("s", 1, [ev()], metadata=META)
    async with engine.connect() as conn:
        names = sorted((await conn.execute(select(leases.c.name))).scalars())
        marks = sorted((await conn.execute(select(checkpoints.c.name))).scalars())
    assert (names, marks) == (["a", "e"], ["a"])
    assert [e.version for e in await store.read_stream("s")] == [1, 2]
    await engine.dispose()
