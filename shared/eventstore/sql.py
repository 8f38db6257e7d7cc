"""The SQL event store's common part: reads on SQLAlchemy Core, the unit of work's life, and the
choice of backend (shared.eventstore.sqlite, shared.eventstore.postgres) by the engine's dialect.

`SqlEventStore(engine)` builds the store of the engine's database, as `pathlib.Path(...)` builds
a PosixPath or a WindowsPath: callers name one class and get the backend their URL chose.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Self, cast

from sqlalchemy import RowMapping, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.dml import UpdateBase

from shared.db import WRITE
from shared.eventstore.model import (
    DEFAULT_MAX_EVENT_BYTES,
    CommitOutcomeUnknown,
    EventMetadata,
    NewEvent,
    RecordedEvent,
    WrongExpectedVersion,
    check_batch,
)
from shared.tables import events

READ_STREAMS_CHUNK = 1000  # streams read per query by read_streams
APPENDED_ON = "socorg_appended"  # conn.info key: a unit of work appended in its transaction

__all__ = ["CommitOutcomeUnknown", "SqlEventStore", "SqlUnitOfWork"]


@dataclass
class Pending:
    """One append of a unit of work, written at its commit."""

    stream_id: str
    expected_version: int
    events: Sequence[NewEvent]
    metadata: EventMetadata
    division: str | None


@dataclass
class SqlUnitOfWork(ABC):
    """A transaction on `connection`; appends are written at commit, after read-model writes."""

    connection: AsyncConnection
    max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES
    _pending: list[Pending] = field(default_factory=list)
    _recorded: list[RecordedEvent] = field(default_factory=list)

    @abstractmethod
    async def write(
        self, statement: UpdateBase, parameters: Mapping[str, Any] | None = None
    ) -> None:
        """A read-model write (INSERT / UPDATE / DELETE, no rows back) of this unit of work;
        what it violates (a unique key, say) surfaces as SQLAlchemy's error, at the latest at
        commit."""

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
        self._pending.append(Pending(stream_id, expected_version, events, metadata, division))

    @property
    def recorded(self) -> list[RecordedEvent]:
        return list(self._recorded)

    async def _commit(self) -> None:
        """Write what is pending, the COMMIT following."""
        await self._send(commit=True)

    async def flush(self) -> None:
        """Send the pending writes and appends now (positions known), still inside the
        transaction."""
        await self._send(commit=False)

    @abstractmethod
    async def _send(self, *, commit: bool) -> None: ...


def recorded_event(m: RowMapping | dict[str, Any]) -> RecordedEvent:
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


async def current_version(conn: AsyncConnection, stream_id: str) -> int:
    q = select(func.coalesce(func.max(events.c.version), 0)).where(events.c.stream_id == stream_id)
    return int((await conn.execute(q)).scalar_one())


class SqlEventStore:
    """The event store on a service's own database."""

    def __new__(
        cls,
        engine: AsyncEngine,
        *,
        autocommit: AsyncEngine | None = None,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
    ) -> Self:
        chosen = _backend(engine.dialect.name) if cls is SqlEventStore else cls
        return cast(Self, object.__new__(chosen))

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
        # Called after each commit that appended events (the relay wakes up on it).
        self.on_commit: list[Callable[[], None]] = []

    def _unit_of_work_on(self, conn: AsyncConnection) -> SqlUnitOfWork:
        raise NotImplementedError  # each backend's (never reached: __new__ chose one)

    def _commit_lost(self, exc: BaseException) -> bool:
        """Whether `exc`, raised while committing, means the outcome cannot be known."""
        return False

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[SqlUnitOfWork]:
        async with self._writer.connect() as conn:
            uow = self._unit_of_work_on(conn)
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
                if committing and self._commit_lost(exc):
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
        async with self.unit_of_work() as uow:
            uow.append(stream_id, expected_version, events, metadata=metadata, division=division)
        return uow.recorded

    async def stream_version(self, stream_id: str) -> int:
        async with self.engine.connect() as conn:
            return await current_version(conn, stream_id)

    async def read_stream(
        self, stream_id: str, *, to_version: int | None = None, as_of: datetime | None = None
    ) -> list[RecordedEvent]:
        q = select(events).where(events.c.stream_id == stream_id).order_by(events.c.version)
        if to_version is not None:
            q = q.where(events.c.version <= to_version)
        if as_of is not None:
            q = q.where(events.c.occurred_at <= as_of)
        async with self.engine.connect() as conn:
            return [recorded_event(m) for m in (await conn.execute(q)).mappings()]

    async def read_streams(
        self, stream_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> dict[str, list[RecordedEvent]]:
        out: dict[str, list[RecordedEvent]] = {}
        ids = sorted(set(stream_ids))
        async with self.engine.connect() as conn:
            for i in range(0, len(ids), READ_STREAMS_CHUNK):
                q = (
                    select(events)
                    .where(events.c.stream_id.in_(ids[i : i + READ_STREAMS_CHUNK]))
                    .order_by(events.c.stream_id, events.c.version)
                )
                if as_of is not None:
                    q = q.where(events.c.occurred_at <= as_of)
                for m in (await conn.execute(q)).mappings():
                    e = recorded_event(m)
                    out.setdefault(e.stream_id, []).append(e)
        return out

    async def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        q = select(events).where(events.c.position > after).order_by(events.c.position).limit(limit)
        async with self.engine.connect() as conn:
            return [recorded_event(m) for m in (await conn.execute(q)).mappings()]

    async def head_position(self) -> int:
        async with self.engine.connect() as conn:
            q = select(func.coalesce(func.max(events.c.position), 0))
            return int((await conn.execute(q)).scalar_one())


def _backend(dialect: str) -> type[SqlEventStore]:
    # Imported here: each backend module builds on this one.
    if dialect == "postgresql":
        from shared.eventstore.postgres import PostgresEventStore

        return PostgresEventStore
    if dialect == "sqlite":
        from shared.eventstore.sqlite import SqliteEventStore

        return SqliteEventStore
    raise ValueError(f"no event store for a {dialect} database: use sqlite or postgresql")


def unit_of_work_on(
    conn: AsyncConnection, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES
) -> SqlUnitOfWork:
    """A unit of work inside a transaction the caller holds (a consumer's batch): its appends
    commit, or not, with that transaction. The connection is marked (APPENDED_ON), so the
    holder can wake the relay and the other readers of new events once it commits."""
    conn.info[APPENDED_ON] = True
    if conn.dialect.name == "postgresql":
        from shared.eventstore.postgres import PostgresUnitOfWork

        return PostgresUnitOfWork(conn, max_event_bytes)
    from shared.eventstore.sqlite import SqliteUnitOfWork

    return SqliteUnitOfWork(conn, max_event_bytes)
