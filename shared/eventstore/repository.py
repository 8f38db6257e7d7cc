"""Aggregates of one kind by id: folded from their stream, saved as new events.

Handlers see `load` and `save`, never the store's streams or encodings (cosmicpython's
repository, pyeventsourcing's get → call → save). The aggregate is the service's own: the
repository only needs to know how to fold a list of payloads into one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from shared.contracts.base import EventData
from shared.eventstore.codec import EventCodec
from shared.eventstore.model import EventMetadata, EventStore, NewEvent, RecordedEvent, UnitOfWork

A = TypeVar("A")


class Repository(Generic[A]):
    def __init__(
        self,
        *,
        store: EventStore,
        codec: EventCodec,
        stream_prefix: str,
        replay: Callable[[str, list[Any]], A],
    ) -> None:
        self.store = store
        self.codec = codec
        self.stream_prefix = stream_prefix
        self._replay = replay

    def stream_of(self, aggregate_id: str) -> str:
        return self.stream_prefix + aggregate_id

    async def events(
        self, aggregate_id: str, *, as_of: datetime | None = None, to_version: int | None = None
    ) -> list[RecordedEvent]:
        """The aggregate's stored events; with `as_of`, those that occurred by then; with
        `to_version`, those up to that version."""
        return await self.store.read_stream(
            self.stream_of(aggregate_id), as_of=as_of, to_version=to_version
        )

    async def load(
        self, aggregate_id: str, *, as_of: datetime | None = None, to_version: int | None = None
    ) -> A | None:
        """The aggregate folded from its events (up to `as_of` or `to_version`); None if it
        has none."""
        events = await self.events(aggregate_id, as_of=as_of, to_version=to_version)
        if not events:
            return None
        return self._replay(aggregate_id, self.codec.decode_all(events))

    async def load_many(
        self, aggregate_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> dict[str, A]:
        """The aggregates of those ids that have events (by `as_of`, if given), read
        together."""
        streams = [self.stream_of(i) for i in aggregate_ids]
        found = await self.store.read_streams(streams, as_of=as_of)
        n = len(self.stream_prefix)
        return {
            stream[n:]: self._replay(stream[n:], self.codec.decode_all(events))
            for stream, events in found.items()
        }

    def save(
        self,
        uow: UnitOfWork,
        aggregate_id: str,
        expected_version: int,
        events: Sequence[EventData],
        *,
        metadata: EventMetadata,
        division: str | None = None,
    ) -> None:
        """Append the aggregate's new events in `uow`, at the version it was loaded at."""
        encoded = [self.codec.encode(e) for e in events]
        self.append(
            uow, aggregate_id, expected_version, encoded, metadata=metadata, division=division
        )

    def append(
        self,
        uow: UnitOfWork,
        aggregate_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *,
        metadata: EventMetadata,
        division: str | None = None,
    ) -> None:
        """`save` for events encoded beforehand (an import encodes while it plans)."""
        uow.append(
            self.stream_of(aggregate_id),
            expected_version,
            events,
            metadata=metadata,
            division=division,
        )
