"""The SQL event store (SQLite and PostgreSQL) on SQLAlchemy Core.

Positions must be followable: a reader that has seen position P must never later find a
committed event below P. On PostgreSQL a sequence hands out numbers at insert time while
transactions commit in any order, so appends take a transaction-level advisory lock just
before inserting and hold it to commit: positions are then assigned in commit order. The lock
is taken as late as possible: a unit of work's appends go after its read-model writes, as one
statement sent with the COMMIT in one round trip, so it is held for that statement and the
commit alone. SQLite has a single writer, so commit order is position order there already.

The hot statements (every append on PostgreSQL, the read-model writes of a unit of work
(`uow.write`, sent in the same round trip as its appends and COMMIT), the relay's outbox
read) are sent by psycopg itself; everything else goes through SQLAlchemy Core.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import psycopg
from sqlalchemy import Dialect, RowMapping, Text, cast, func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

from shared.contracts.envelope import NO_PLACE, envelope_head, with_data
from shared.db import WRITE
from shared.eventstore.model import (
    DEFAULT_MAX_EVENT_BYTES,
    EventMetadata,
    NewEvent,
    RecordedEvent,
    WrongExpectedVersion,
    check_batch,
    json_text,
)
from shared.tables import events


def _data_json(e: NewEvent) -> str:
    return e.data_text  # encoded once: the size check (check_batch) has read it


class CommitOutcomeUnknown(Exception):
    """The connection was lost once a transaction's COMMIT (or an autocommitted write) was
    sent: the server may have committed it or not, and the client cannot tell. A caller retries
    the same request under the same `Idempotency-Key`, which finds its stored outcome."""


# Connection gone (class 08), server going down (57P01 AdminShutdown, 57P02, 57P03), or the
# client's own view of a dead connection (no SQLSTATE: "server closed the connection
# unexpectedly", "cannot exit pipeline mode while busy"). Other errors, a deadlock or a unique
# key, say, are the server's definite answer: the transaction is rolled back.
_LOST_CLASSES = ("08", "57P")


def _connection_lost(exc: BaseException) -> bool:
    """Whether `exc`, or an error it was raised from or during, is a lost connection."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, CommitOutcomeUnknown):
            return True
        found = current.orig if isinstance(current, DBAPIError) else current
        if isinstance(found, psycopg.OperationalError | psycopg.InterfaceError):
            state = found.sqlstate
            if state is None or state.startswith(_LOST_CLASSES):
                return True
        current = current.__cause__ or current.__context__
    return False


# Arbitrary, fixed: the advisory lock key that serialises appends to the events table.
APPEND_LOCK_KEY = 0x50C026


@dataclass(frozen=True)
class OutboxRow:
    """An event as the relay publishes it: its CloudEvent, ready to send."""

    position: int
    event_id: str
    type: str
    division: str | None
    recorded_at: datetime
    envelope: bytes  # the structured-mode CloudEvent (shared.contracts.envelope), JSON


@dataclass
class _Pending:
    stream_id: str
    expected_version: int
    events: Sequence[NewEvent]
    metadata: EventMetadata
    division: str | None


@dataclass(frozen=True)
class _Write:
    sql: str
    params: dict[str, Any]


def _compiled(statement: UpdateBase, parameters: Mapping[str, Any], dialect: Dialect) -> _Write:
    """A Core statement as psycopg takes it: SQL with %(name)s placeholders, and its
    parameters through the dialect's bind processors."""
    compiled, processors = _compile(statement, tuple(parameters), dialect)
    params = dict(compiled.construct_params(dict(parameters)) or {})
    for key, processor in processors:
        if params.get(key) is not None:
            params[key] = processor(params[key])
    return _Write(str(compiled), params)


@lru_cache(maxsize=256)
def _compile(
    statement: UpdateBase, keys: tuple[str, ...], dialect: Dialect
) -> tuple[SQLCompiler, list[tuple[str, Any]]]:
    """Compiled once per statement and set of parameter names: the read model's statements
    are module constants (values as bind parameters), so this is a handful of entries."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    processors: list[tuple[str, Any]] = []
    for key, bind in compiled.binds.items():
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            processors.append((key, processor))
    return compiled, processors


@dataclass
class SqlUnitOfWork:
    """A transaction on `connection`; appends are written at commit, after read-model writes."""

    connection: AsyncConnection
    max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES
    _pending: list[_Pending] = field(default_factory=list)
    _recorded: list[RecordedEvent] = field(default_factory=list)
    _writes: list[_Write] = field(default_factory=list)

    async def write(
        self, statement: UpdateBase, parameters: Mapping[str, Any] | None = None
    ) -> None:
        """A read-model write (INSERT / UPDATE / DELETE, no rows back) of this unit of work.

        On PostgreSQL it is sent with the appends and the COMMIT, in the same round trip: a
        new organization costs one round trip, not three (BEGIN, its row, the append). What
        it violates (a unique key, say) surfaces at commit, as the same SQLAlchemy error.
        Elsewhere it runs now.
        """
        if self.connection.dialect.name != "postgresql":
            await self.connection.execute(statement, dict(parameters or {}))
            return
        self._writes.append(_compiled(statement, parameters or {}, self.connection.dialect))

    def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *,
        metadata: EventMetadata,
        division: str | None = None,
    ) -> None:
        check_batch(
            stream_id,
            expected_version,
            events,
            metadata=metadata,
            max_event_bytes=self.max_event_bytes,
        )
        self._pending.append(_Pending(stream_id, expected_version, events, metadata, division))

    @property
    def recorded(self) -> list[RecordedEvent]:
        return list(self._recorded)

    async def _commit(self) -> None:
        """Write what is pending, the COMMIT following. On PostgreSQL the writes and the
        appends (one statement) go in one round trip with the COMMIT, so the append lock is
        held for that statement and the commit alone, never while the client is away."""
        await self._send(commit=True)

    async def flush(self) -> None:
        """Send the pending writes and appends now (positions known), still inside the
        transaction."""
        await self._send(commit=False)

    async def _send(self, *, commit: bool) -> None:
        conn = self.connection
        if conn.dialect.name == "postgresql":
            if self._pending or self._writes:
                writes, self._writes = self._writes, []
                self._recorded.extend(await _pg_append(conn, self._pending, writes, commit=commit))
                self._pending.clear()
            return
        now = datetime.now(UTC)
        for p in self._pending:
            current = await _current_version(conn, p.stream_id)
            if current != p.expected_version:
                raise WrongExpectedVersion(p.stream_id, p.expected_version, current)
            rows = [_row(p, i, e, now) for i, e in enumerate(p.events, start=1)]
            result = await conn.execute(
                insert(events).returning(events.c.position, sort_by_parameter_order=True), rows
            )
            for row, (position,) in zip(rows, result.all(), strict=True):
                self._recorded.append(_recorded({**row, "position": position}))
        self._pending.clear()


def _row(p: _Pending, offset: int, e: NewEvent, now: datetime) -> dict[str, Any]:
    return {
        "event_id": e.event_id,
        "stream_id": p.stream_id,
        "version": p.expected_version + offset,
        "type": e.type,
        "schema_version": e.schema_version,
        "data": e.data,
        "metadata": p.metadata.to_json(),
        "division": p.division,
        "occurred_at": e.occurred_at,
        "recorded_at": now,
    }


def _recorded(m: RowMapping | dict[str, Any]) -> RecordedEvent:
    return RecordedEvent(
        position=m["position"],
        event_id=m["event_id"],
        stream_id=m["stream_id"],
        version=m["version"],
        type=m["type"],
        schema_version=m["schema_version"],
        data=m["data"],
        metadata=EventMetadata.from_json(m["metadata"]),
        division=m["division"],
        occurred_at=m["occurred_at"],
        recorded_at=m["recorded_at"],
    )


# Every append on PostgreSQL, one stream or many, is this one statement: take the append lock,
# check every stream's version (socorg_expect_version raises SO409, aborting the transaction,
# so nothing is left for the client to decide between this statement and a COMMIT sent with
# it), insert every event. The lock is taken before any row reaches the INSERT, so positions
# are drawn from the sequence in commit order. The version check reads the statement's
# snapshot, which may predate the lock; a version committed meanwhile hits the UNIQUE key, so
# a conflict is never missed. It is sent by psycopg itself, the arrays in binary (%(…)b): no
# quoting of thousands of JSON texts into array literals.
_PG_APPEND = """
WITH held AS (SELECT pg_advisory_xact_lock(%(lock)s)),
checked AS (
    SELECT bool_and(socorg_expect_version(
        s.stream_id, s.expected,
        coalesce((SELECT max(e.version) FROM events e WHERE e.stream_id = s.stream_id), 0)
    )) AS ok
    FROM held, unnest(%(check_streams)b::text[], %(check_expected)b::int[])
        AS s(stream_id, expected)
)
INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata,
                    division, occurred_at, recorded_at)
SELECT r.event_id, r.stream_id, r.version, r.type, r.schema_version, r.data, r.metadata,
       r.division, r.occurred_at, %(recorded_at)s
FROM checked,
     unnest(%(ids)b::uuid[], %(streams)b::text[], %(versions)b::int[], %(types)b::text[],
            %(schema_versions)b::int[], %(datas)b::jsonb[], %(metas)b::jsonb[],
            %(divisions)b::text[], %(occurred)b::timestamptz[])
         WITH ORDINALITY AS r(event_id, stream_id, version, type, schema_version, data,
                              metadata, division, occurred_at, ord)
WHERE checked.ok
ORDER BY r.ord
RETURNING position, event_id
"""
EXPECT_VERSION_FAILED = "SO409"  # raised by socorg_expect_version (platform_0003)


# One stream's append made alone, the hottest write: the same lock, the same insert, with the
# version check as a filter (no row back: the version was wrong) and no function call;
# prepared once per connection. Several events go as a single stream's arrays; one event,
# the commonest append of all, as plain parameters (dumping five one-element arrays cost
# more than the insert).
_ALONE = """
WITH cur AS (
    SELECT (SELECT coalesce(max(version), 0) FROM events WHERE stream_id = %(stream)s) AS v
    FROM pg_advisory_xact_lock(%(lock)s)
)
INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata,
                    division, occurred_at, recorded_at)
"""
_PG_APPEND_ONE = (
    _ALONE
    + """
SELECT e.event_id, %(stream)s, %(expected)s + e.ord, e.type, e.schema_version, e.data,
       %(metadata)s::jsonb, %(division)s, e.occurred_at, %(recorded_at)s
FROM cur,
     unnest(%(ids)b::uuid[], %(types)b::text[], %(schema_versions)b::int[],
            %(datas)b::jsonb[], %(occurred)b::timestamptz[])
         WITH ORDINALITY AS e(event_id, type, schema_version, data, occurred_at, ord)
WHERE cur.v = %(expected)s
ORDER BY e.ord
RETURNING position, event_id
"""
)
_PG_APPEND_EVENT = (
    _ALONE
    + """
SELECT %(id)s, %(stream)s, %(expected)s + 1, %(type)s, %(schema_version)s, %(data)s::jsonb,
       %(metadata)s::jsonb, %(division)s, %(occurred)s, %(recorded_at)s
FROM cur
WHERE cur.v = %(expected)s
RETURNING position, event_id
"""
)


def _pg_params(pending: Sequence[_Pending], now: datetime) -> tuple[dict[str, Any], list[int]]:
    """The parameters of _PG_APPEND, and each append's stream version before it."""
    expected: dict[str, int] = {}  # each stream's version before these appends
    running: dict[str, int] = {}
    columns: dict[str, list[Any]] = {
        k: [] for k in ("ids", "streams", "versions", "types", "schema_versions", "datas")
    }
    columns |= {"metas": [], "divisions": [], "occurred": []}
    starts: list[int] = []
    for p in pending:
        at = running.setdefault(p.stream_id, expected.setdefault(p.stream_id, p.expected_version))
        if at != p.expected_version:  # a second append to a stream must follow the first
            raise WrongExpectedVersion(p.stream_id, p.expected_version, at)
        starts.append(at)
        n = len(p.events)
        columns["ids"].extend(e.event_id for e in p.events)
        columns["streams"].extend([p.stream_id] * n)
        columns["versions"].extend(range(at + 1, at + n + 1))
        columns["types"].extend(e.type for e in p.events)
        columns["schema_versions"].extend(e.schema_version for e in p.events)
        columns["datas"].extend(_data_json(e) for e in p.events)
        columns["metas"].extend([json_text(p.metadata.to_json())] * n)
        columns["divisions"].extend([p.division] * n)
        columns["occurred"].extend(e.occurred_at for e in p.events)
        running[p.stream_id] = at + n
    params = {
        "lock": APPEND_LOCK_KEY,
        "check_streams": list(expected),
        "check_expected": list(expected.values()),
        "recorded_at": now,
        **columns,
    }
    return params, starts


def _pg_event_params(p: _Pending, now: datetime) -> dict[str, Any]:
    """The parameters of _PG_APPEND_EVENT."""
    [e] = p.events
    return _alone_params(p, now) | {
        "id": e.event_id,
        "type": e.type,
        "schema_version": e.schema_version,
        "data": _data_json(e),
        "occurred": e.occurred_at,
    }


def _pg_one_params(p: _Pending, now: datetime) -> dict[str, Any]:
    """The parameters of _PG_APPEND_ONE."""
    return _alone_params(p, now) | {
        "ids": [e.event_id for e in p.events],
        "types": [e.type for e in p.events],
        "schema_versions": [e.schema_version for e in p.events],
        "datas": [_data_json(e) for e in p.events],
        "occurred": [e.occurred_at for e in p.events],
    }


def _alone_params(p: _Pending, now: datetime) -> dict[str, Any]:
    return {
        "lock": APPEND_LOCK_KEY,
        "stream": p.stream_id,
        "expected": p.expected_version,
        "metadata": json_text(p.metadata.to_json()),
        "division": p.division,
        "recorded_at": now,
    }


async def _pg_execute(
    conn: AsyncConnection,
    sql: str | None,
    params: dict[str, Any],
    *,
    writes: Sequence[_Write] = (),
    commit: bool = False,
    prepare: bool | None = None,
    commits: bool = False,
) -> list[Any]:
    """Run `writes`, then `sql`, through psycopg on the connection's transaction, the rows of
    `sql` back. With writes or `commit` they go as a pipeline, in one round trip (with the
    COMMIT: the transaction is committed when this returns). A stream at another version
    (SO409) raises WrongExpectedVersion; a connection lost once a COMMIT was sent (`commit`,
    or `commits`: the statement autocommits) CommitOutcomeUnknown; other errors as
    SQLAlchemy raises them."""
    raw: Any = (await conn.get_raw_connection()).driver_connection
    try:
        if commit or writes:
            async with raw.pipeline():
                cur = raw.cursor()
                for w in writes:
                    await cur.execute(w.sql, w.params, prepare=True)
                if sql is not None:
                    await cur.execute(sql, params)
                if commit:
                    await raw.commit()
        else:
            cur = await raw.execute(sql, params, prepare=prepare)
        return list(await cur.fetchall()) if sql is not None else []
    except psycopg.Error as exc:
        if exc.sqlstate == EXPECT_VERSION_FAILED and exc.diag.message_detail:
            found = json.loads(exc.diag.message_detail)
            raise WrongExpectedVersion(
                found["stream"], found["expected"], found["current"]
            ) from exc
        if (commit or commits) and _connection_lost(exc):
            raise CommitOutcomeUnknown(f"connection lost while committing: {exc}") from exc
        statement = sql or "; ".join(w.sql for w in writes) or "COMMIT"
        raise _sqlalchemy_error(statement, params, exc, conn) from exc


def _pg_recorded(
    pending: Sequence[_Pending], starts: list[int], inserted: list[Any], now: datetime
) -> list[RecordedEvent]:
    """The appended events, from the statement's (position, event_id) rows."""
    positions = {event_id: int(position) for position, event_id in inserted}
    recorded: list[RecordedEvent] = []
    for p, at in zip(pending, starts, strict=True):
        recorded.extend(
            RecordedEvent(
                position=positions[e.event_id],
                event_id=e.event_id,
                stream_id=p.stream_id,
                version=at + i,
                type=e.type,
                schema_version=e.schema_version,
                data=e.data,
                metadata=p.metadata,
                division=p.division,
                occurred_at=e.occurred_at,
                recorded_at=now,
            )
            for i, e in enumerate(p.events, start=1)
        )
    return recorded


async def _pg_append(
    conn: AsyncConnection,
    pending: Sequence[_Pending],
    writes: Sequence[_Write] = (),
    *,
    commit: bool = False,
) -> list[RecordedEvent]:
    """Send `writes`, then `pending` as one statement, on the connection's transaction, in one
    round trip (and the COMMIT with them, with `commit`)."""
    now = datetime.now(UTC)
    if not pending:
        await _pg_execute(conn, None, {}, writes=writes, commit=commit)
        return []
    params, starts = _pg_params(pending, now)
    inserted = await _pg_execute(conn, _PG_APPEND, params, writes=writes, commit=commit)
    return _pg_recorded(pending, starts, inserted, now)


async def _pg_append_one(conn: AsyncConnection, p: _Pending) -> list[RecordedEvent] | None:
    """One stream's append on an autocommitting connection; None: the version was wrong."""
    now = datetime.now(UTC)
    if len(p.events) == 1:
        sql, params = _PG_APPEND_EVENT, _pg_event_params(p, now)
    else:
        sql, params = _PG_APPEND_ONE, _pg_one_params(p, now)
    inserted = await _pg_execute(conn, sql, params, prepare=True, commits=True)
    return _pg_recorded([p], [p.expected_version], inserted, now) if inserted else None


def _sqlalchemy_error(
    sql: str, params: dict[str, Any], exc: psycopg.Error, conn: AsyncConnection
) -> StatementError:
    """A driver error as SQLAlchemy reports it (an IntegrityError for a unique key, …). A
    connection the error broke fails its reset on return to the pool, which drops it."""
    return DBAPIError.instance(sql, params, exc, psycopg.Error, dialect=conn.dialect)


async def _current_version(conn: AsyncConnection, stream_id: str) -> int:
    q = select(func.coalesce(func.max(events.c.version), 0)).where(events.c.stream_id == stream_id)
    return int((await conn.execute(q)).scalar_one())


# The relay's read (a statement per batch, the relay's hot path), sent by psycopg itself.
# PostgreSQL writes each CloudEvent's JSON itself, the envelope shared.contracts.envelope
# builds (tests compare the two), by concatenating text (the stored data as is; free text
# escaped by to_json): half the time a jsonb_build_object takes. The relay only adds headers.
_PG_OUTBOX = """
SELECT position, event_id::text, type, division, recorded_at,
  '{"specversion":"1.0","id":"' || event_id::text
  || '","source":"/socorg/' || %(producer)s
  || '","type":"socorg.' || %(producer)s || '.' || type
  || '","subject":' || to_json(stream_id)::text
  || ',"time":"' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
     || CASE WHEN extract(microseconds FROM occurred_at)::bigint %% 1000000 = 0
             THEN '' ELSE to_char(occurred_at AT TIME ZONE 'UTC', '.US') END
  || '+00:00","datacontenttype":"application/json","dataschema":"urn:socorg:schema:'
  || %(producer)s || '.' || type || ':' || schema_version
  || '","position":' || position || ',"streamversion":' || version
  || ',"schemaversion":' || schema_version
  || ',"division":' || to_json(coalesce(division, %(no_place)s))::text
  || ',"client":' || coalesce(to_json(metadata->>'client')::text, '""')
  || coalesce(',"correlationid":' || to_json(nullif(metadata->>'correlation_id', ''))::text, '')
  || coalesce(',"causationid":' || to_json(nullif(metadata->>'causation_id', ''))::text, '')
  || ',"data":' || data::text || '}'
FROM events WHERE position > %(after)s ORDER BY position LIMIT %(limit)s
"""


def _built_outbox_row(producer: str, row: tuple[Any, ...]) -> OutboxRow:
    """An outbox row whose CloudEvent is built here (SQLite)."""
    (position, event_id, stream_id, version, type_, schema_version, division, occurred_at,
     recorded_at, client, correlation_id, causation_id, data_json) = row  # fmt: skip
    head = envelope_head(
        producer,
        event_id=str(event_id),
        stream_id=stream_id,
        event_type=type_,
        schema_version=schema_version,
        occurred_at=occurred_at,
        position=position,
        version=version,
        division=division,
        client=client or "",
        correlation_id=correlation_id,
        causation_id=causation_id,
    )
    return OutboxRow(
        position, str(event_id), type_, division, recorded_at, with_data(head, data_json)
    )


def _outbox_row(row: tuple[Any, ...]) -> OutboxRow:
    position, event_id, type_, division, recorded_at, envelope = row
    return OutboxRow(position, event_id, type_, division, recorded_at, envelope.encode())


class SqlEventStore:
    """The event store on a service's own database."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        autocommit: AsyncEngine | None = None,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
    ) -> None:
        """`autocommit`: an engine whose connections autocommit (PostgreSQL), for appends made
        alone; a dedicated pool saves switching each connection's mode per append.
        `max_event_bytes`: the largest event taken (EventTooLarge beyond it)."""
        self.engine = engine
        self.max_event_bytes = max_event_bytes
        self._writer = engine.execution_options(**WRITE)
        self._autocommit = autocommit or engine.execution_options(isolation_level="AUTOCOMMIT")
        # Called after each commit that appended events (the relay wakes up on it).
        self.on_commit: list[Callable[[], None]] = []

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[SqlUnitOfWork]:
        async with self._writer.connect() as conn:
            uow = SqlUnitOfWork(conn, self.max_event_bytes)
            committing = False
            try:
                async with conn.begin():
                    yield uow
                    committing = True
                    await uow._commit()
                if uow._recorded:
                    for callback in self.on_commit:
                        callback()
            except CommitOutcomeUnknown:
                raise
            except Exception as exc:
                # The rollback after a lost COMMIT fails too and may replace its error.
                if committing and _connection_lost(exc):
                    raise CommitOutcomeUnknown(f"connection lost while committing: {exc}") from exc
                if not isinstance(exc, IntegrityError):
                    raise
                # A concurrent writer that slipped past the version check (only possible
                # without the advisory lock, e.g. a foreign writer) still hits the UNIQUE key.
                if "uq_events_stream_version" in str(exc.orig) or "events.stream_id" in str(
                    exc.orig
                ):
                    p = uow._pending[0] if uow._pending else None
                    stream = p.stream_id if p else "?"
                    current = await self.stream_version(stream)
                    raise WrongExpectedVersion(
                        stream, p.expected_version if p else -1, current
                    ) from exc
                raise

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *,
        metadata: EventMetadata,
        division: str | None = None,
    ) -> list[RecordedEvent]:
        if self.engine.dialect.name == "postgresql":
            return await self._append_alone(
                _Pending(stream_id, expected_version, events, metadata, division)
            )
        async with self.unit_of_work() as uow:
            uow.append(stream_id, expected_version, events, metadata=metadata, division=division)
        return uow.recorded

    async def _append_alone(self, p: _Pending) -> list[RecordedEvent]:
        """An append with nothing else in its transaction: one autocommitted statement."""
        check_batch(
            p.stream_id,
            p.expected_version,
            p.events,
            metadata=p.metadata,
            max_event_bytes=self.max_event_bytes,
        )
        async with self._autocommit.connect() as conn:  # the statement is its transaction
            try:
                recorded = await _pg_append_one(conn, p)
            except IntegrityError as exc:  # a concurrent append took the version meanwhile
                if "uq_events_stream_version" not in str(exc.orig):
                    raise
                recorded = None
            if recorded is None:
                current = await _current_version(conn, p.stream_id)
                raise WrongExpectedVersion(p.stream_id, p.expected_version, current)
        for callback in self.on_commit:
            callback()
        return recorded

    async def stream_version(self, stream_id: str) -> int:
        async with self.engine.connect() as conn:
            return await _current_version(conn, stream_id)

    async def read_stream(
        self, stream_id: str, *, to_version: int | None = None, as_of: datetime | None = None
    ) -> list[RecordedEvent]:
        q = select(events).where(events.c.stream_id == stream_id).order_by(events.c.version)
        if to_version is not None:
            q = q.where(events.c.version <= to_version)
        if as_of is not None:
            q = q.where(events.c.occurred_at <= as_of)
        async with self.engine.connect() as conn:
            return [_recorded(m) for m in (await conn.execute(q)).mappings()]

    async def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        q = select(events).where(events.c.position > after).order_by(events.c.position).limit(limit)
        async with self.engine.connect() as conn:
            return [_recorded(m) for m in (await conn.execute(q)).mappings()]

    async def read_outbox(self, after: int, limit: int, producer: str) -> list[OutboxRow]:
        """The events after a position, each with its CloudEvent as `producer` publishes it."""
        if self.engine.dialect.name == "postgresql":
            async with self.engine.connect() as conn:
                params = {"after": after, "limit": limit, "producer": producer}
                params["no_place"] = NO_PLACE
                found = await _pg_execute(conn, _PG_OUTBOX, params, prepare=True)
            return [_outbox_row(row) for row in found]
        q = (
            select(
                events.c.position,
                events.c.event_id,
                events.c.stream_id,
                events.c.version,
                events.c.type,
                events.c.schema_version,
                events.c.division,
                events.c.occurred_at,
                events.c.recorded_at,
                events.c.metadata["client"].as_string(),
                events.c.metadata["correlation_id"].as_string(),
                events.c.metadata["causation_id"].as_string(),
                cast(events.c.data, Text),
            )
            .where(events.c.position > after)
            .order_by(events.c.position)
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            rows: list[Any] = list((await conn.execute(q)).all())
        return [_built_outbox_row(producer, row) for row in rows]

    async def head_position(self) -> int:
        async with self.engine.connect() as conn:
            q = select(func.coalesce(func.max(events.c.position), 0))
            return int((await conn.execute(q)).scalar_one())
