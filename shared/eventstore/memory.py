"""An in-memory event store for unit tests; it passes the same contract suite as the SQL one.

A service's fake read model runs in its units of work too: it stages its changes with
`on_commit`, so they land with the appends or, when the unit of work fails, not at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from shared.eventstore.model import (
    DEFAULT_MAX_EVENT_BYTES,
    EventMetadata,
    NewEvent,
    RecordedEvent,
    WrongExpectedVersion,
    check_batch,
)


@dataclass
class MemoryUnitOfWork:
    store: InMemoryEventStore
    _pending: list[tuple[str, int, Sequence[NewEvent], EventMetadata, str | None]] = field(
        default_factory=list
    )
    _recorded: list[RecordedEvent] = field(default_factory=list)
    _staged: list[RecordedEvent] = field(default_factory=list)
    _on_commit: list[Callable[[], None]] = field(default_factory=list)

    def on_commit(self, apply: Callable[[], None]) -> None:
        """Run `apply` when this unit of work commits (after its appends), never if it fails."""
        self._on_commit.append(apply)

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
            max_event_bytes=self.store.max_event_bytes,
        )
        self._pending.append((stream_id, expected_version, events, metadata, division))

    @property
    def recorded(self) -> list[RecordedEvent]:
        return list(self._recorded or self._staged)

    async def flush(self) -> None:
        """Stage the pending appends: positions are assigned, the store sees them at commit."""
        self._staged.extend(self._stage())
        self._pending.clear()

    def commit(self) -> None:
        self._staged.extend(self._stage())
        self._pending.clear()
        self.store._events.extend(self._staged)
        self._recorded = list(self._staged)
        for apply in self._on_commit:
            apply()

    def _stage(self) -> list[RecordedEvent]:
        store = self.store
        versions = {s: store._version(s) for s, *_ in self._pending}
        for done in self._staged:
            versions[done.stream_id] = max(versions.get(done.stream_id, 0), done.version)
        ids = {r.event_id for r in [*store._events, *self._staged]}
        staged: list[RecordedEvent] = []
        now = datetime.now(UTC)
        base = len(store._events) + len(self._staged)
        for stream_id, expected, events, metadata, division in self._pending:
            if versions[stream_id] != expected:
                raise WrongExpectedVersion(stream_id, expected, versions[stream_id])
            for e in events:
                if e.event_id in ids:
                    raise ValueError(f"event id {e.event_id} is already stored")
                ids.add(e.event_id)
                versions[stream_id] += 1
                staged.append(
                    RecordedEvent(
                        position=base + len(staged) + 1,
                        event_id=e.event_id,
                        stream_id=stream_id,
                        version=versions[stream_id],
                        type=e.type,
                        schema_version=e.schema_version,
                        data=dict(e.data),
                        metadata=metadata,
                        division=division,
                        occurred_at=e.occurred_at,
                        recorded_at=now,
                    )
                )
        return staged


class InMemoryEventStore:
    def __init__(self, *, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        self.max_event_bytes = max_event_bytes
        self._events: list[RecordedEvent] = []
        self._lock = asyncio.Lock()

    def _version(self, stream_id: str) -> int:
        return max((e.version for e in self._events if e.stream_id == stream_id), default=0)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[MemoryUnitOfWork]:
        async with self._lock:
            uow = MemoryUnitOfWork(self)
            yield uow
            uow.commit()

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
        return self._version(stream_id)

    async def read_stream(
        self, stream_id: str, *, to_version: int | None = None, as_of: datetime | None = None
    ) -> list[RecordedEvent]:
        return [
            e
            for e in self._events
            if e.stream_id == stream_id
            and (to_version is None or e.version <= to_version)
            and (as_of is None or e.occurred_at <= as_of)
        ]

    async def read_streams(
        self, stream_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> dict[str, list[RecordedEvent]]:
        wanted = set(stream_ids)
        out: dict[str, list[RecordedEvent]] = {}
        for e in self._events:
            if e.stream_id in wanted and (as_of is None or e.occurred_at <= as_of):
                out.setdefault(e.stream_id, []).append(e)
        return out

    async def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        return [e for e in self._events if e.position > after][:limit]

    async def head_position(self) -> int:
        return len(self._events)
