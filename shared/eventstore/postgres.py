"""The event store on PostgreSQL: every append one statement, sent by psycopg itself.

Positions must be followable: a reader that has seen position P must never later find a
committed event below P. A sequence hands out numbers at insert time while transactions commit
in any order, so appends take a transaction-level advisory lock just before inserting and hold
it to commit: positions are then assigned in commit order. The lock is taken as late as
possible: a unit of work's appends go after its read-model writes, as one statement sent with
the COMMIT in one round trip, so it is held for that statement and the commit alone.

The hot statements (every append, the read-model writes of a unit of work (`uow.write`, sent
in the same round trip as its appends and COMMIT), the relay's outbox read) are sent by
psycopg itself (`pg_execute`); everything else goes through SQLAlchemy Core
(shared.eventstore.sql).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.dml import UpdateBase

from shared.eventstore.compiled import Write, compiled
from shared.eventstore.model import (
    DEFAULT_MAX_EVENT_BYTES,
    CommitOutcomeUnknown,
    EventMetadata,
    NewEvent,
    RecordedEvent,
    WrongExpectedVersion,
    check_batch,
)
from shared.eventstore.postgres_append import (
    EXPECT_VERSION_FAILED,
    PG_APPEND,
    PG_APPEND_EVENT,
    PG_APPEND_ONE,
    one_statement_fits,
    pg_event_params,
    pg_one_params,
    pg_params,
    with_writes,
)
from shared.eventstore.sql import Pending, SqlEventStore, SqlUnitOfWork, current_version

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


@dataclass
class PostgresUnitOfWork(SqlUnitOfWork):
    """Read-model writes and appends go with the COMMIT, in one round trip; where nothing
    else ran in the transaction and the writes fit (postgres_append.one_statement_fits), as
    one statement that autocommits."""

    _writes: list[Write] = field(default_factory=list)

    async def write(
        self, statement: UpdateBase, parameters: Mapping[str, Any] | None = None
    ) -> None:
        """Sent with the appends and the COMMIT, in the same round trip: a new organization
        costs one round trip, not three (BEGIN, its row, the append). What it violates (a
        unique key, say) surfaces at commit, as the same SQLAlchemy error."""
        self._writes.append(compiled(statement, parameters or {}, self.connection.dialect))

    async def _send(self, *, commit: bool) -> None:
        """The writes and the appends (one statement) go in one round trip with the COMMIT,
        so the append lock is held for that statement and the commit alone, never while the
        client is away."""
        if self._pending or self._writes:
            writes, self._writes = self._writes, []
            conn = self.connection
            if commit and self._pending and one_statement_fits(writes):
                raw: Any = (await conn.get_raw_connection()).driver_connection
                if raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
                    recorded = await _pg_unit_alone(conn, raw, self._pending, writes)
                    self._recorded.extend(recorded)
                    self._pending.clear()
                    return
            self._recorded.extend(await _pg_append(conn, self._pending, writes, commit=commit))
            self._pending.clear()


async def pg_execute(
    conn: AsyncConnection,
    sql: str | None,
    params: dict[str, Any],
    *,
    writes: Sequence[Write] = (),
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
    pending: Sequence[Pending], starts: list[int], inserted: list[Any], now: datetime
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
    pending: Sequence[Pending],
    writes: Sequence[Write] = (),
    *,
    commit: bool = False,
) -> list[RecordedEvent]:
    """Send `writes`, then `pending` as one statement, on the connection's transaction, in one
    round trip (and the COMMIT with them, with `commit`)."""
    now = datetime.now(UTC)
    if not pending:
        await pg_execute(conn, None, {}, writes=writes, commit=commit)
        return []
    params, starts = pg_params(pending, now)
    inserted = await pg_execute(conn, PG_APPEND, params, writes=writes, commit=commit)
    return _pg_recorded(pending, starts, inserted, now)


async def _pg_unit_alone(
    conn: AsyncConnection, raw: Any, pending: Sequence[Pending], writes: Sequence[Write]
) -> list[RecordedEvent]:
    """A whole unit of work, nothing yet sent in its transaction, as one statement that
    autocommits (postgres_append.with_writes): no BEGIN, no pipeline, no COMMIT. The
    connection is back in transactions when this returns (dropped if it cannot be)."""
    now = datetime.now(UTC)
    params, starts = pg_params(pending, now)
    sql, params = with_writes(writes, params)
    await raw.set_autocommit(True)
    try:
        inserted = await pg_execute(conn, sql, params, commits=True)
    except CommitOutcomeUnknown:  # the connection is lost: never handed out again
        await conn.invalidate()
        raise
    finally:
        if not conn.invalidated:
            try:
                await raw.set_autocommit(False)
            except psycopg.Error:  # the connection broke: never reused as it is
                await conn.invalidate()
    return _pg_recorded(pending, starts, inserted, now)


async def _pg_append_one(conn: AsyncConnection, p: Pending) -> list[RecordedEvent] | None:
    """One stream's append on an autocommitting connection; None: the version was wrong."""
    now = datetime.now(UTC)
    if len(p.events) == 1:
        sql, params = PG_APPEND_EVENT, pg_event_params(p, now)
    else:
        sql, params = PG_APPEND_ONE, pg_one_params(p, now)
    inserted = await pg_execute(conn, sql, params, prepare=True, commits=True)
    return _pg_recorded([p], [p.expected_version], inserted, now) if inserted else None


def _sqlalchemy_error(
    sql: str, params: dict[str, Any], exc: psycopg.Error, conn: AsyncConnection
) -> StatementError:
    """A driver error as SQLAlchemy reports it (an IntegrityError for a unique key, …). A
    connection the error broke fails its reset on return to the pool, which drops it."""
    return DBAPIError.instance(sql, params, exc, psycopg.Error, dialect=conn.dialect)


class PostgresEventStore(SqlEventStore):
    """The event store on a service's PostgreSQL database."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        autocommit: AsyncEngine | None = None,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
    ) -> None:
        super().__init__(engine, max_event_bytes=max_event_bytes)
        self._autocommit = autocommit or engine.execution_options(isolation_level="AUTOCOMMIT")

    def _unit_of_work_on(self, conn: AsyncConnection) -> PostgresUnitOfWork:
        return PostgresUnitOfWork(conn, self.max_event_bytes)

    def _commit_lost(self, exc: BaseException) -> bool:
        return _connection_lost(exc)

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *,
        metadata: EventMetadata,
        division: str | None = None,
    ) -> list[RecordedEvent]:
        return await self._append_alone(
            Pending(stream_id, expected_version, events, metadata, division)
        )

    async def _append_alone(self, p: Pending) -> list[RecordedEvent]:
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
                current = await current_version(conn, p.stream_id)
                raise WrongExpectedVersion(p.stream_id, p.expected_version, current)
        for callback in self.on_commit:
            callback()
        return recorded
