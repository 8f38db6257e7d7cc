"""What the event store holds and promises, independent of any database."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Protocol

# JSON text as the store keeps it (UTF-8 as is). One encoder, not one built per call as
# json.dumps with options does; `data_json` of a NewEvent is written with it.
json_text = json.JSONEncoder(ensure_ascii=False).encode

# The largest event a store takes (its data and metadata as JSON, stream id and type, in UTF-8
# bytes; setting EVENT_MAX_BYTES). NATS refuses a message over its max_payload (1 MiB by
# default), and the CloudEvent and headers the relay wraps an event in add under 1 KiB more:
# the limit stays well under the server's, so every stored event can be published.
DEFAULT_MAX_EVENT_BYTES = 256 * 1024


class WrongExpectedVersion(Exception):
    """An append stated a stream version that is not the stream's current one."""

    def __init__(self, stream_id: str, expected: int, current: int) -> None:
        super().__init__(
            f"stream {stream_id!r} is at version {current}, the append expected {expected}"
        )
        self.stream_id = stream_id
        self.expected = expected
        self.current = current


class EventTooLarge(ValueError):
    """An event over the store's size limit; nothing of its append was written."""

    def __init__(self, stream_id: str, event_type: str, size: int, limit: int) -> None:
        super().__init__(
            f"a {event_type} event of {stream_id!r} would be {size} bytes; "
            f"events are limited to {limit} bytes"
        )
        self.stream_id = stream_id
        self.event_type = event_type
        self.size = size
        self.limit = limit


class CommitOutcomeUnknown(Exception):
    """The connection was lost once a transaction's COMMIT (or an autocommitted write) was
    sent: the server may have committed it or not, and the client cannot tell. A caller retries
    the same request under the same `Idempotency-Key`, which finds its stored outcome."""


@dataclass(frozen=True)
class EventMetadata:
    """Who caused an event and in answer to what; stored with every event."""

    client: str
    actor: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"client": self.client}
        for key in ("actor", "correlation_id", "causation_id"):
            if (value := getattr(self, key)) is not None:
                out[key] = value
        out.update(self.extra)
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> EventMetadata:
        known = {"client", "actor", "correlation_id", "causation_id"}
        return cls(
            client=raw.get("client", ""),
            actor=raw.get("actor"),
            correlation_id=raw.get("correlation_id"),
            causation_id=raw.get("causation_id"),
            extra={k: v for k, v in raw.items() if k not in known},
        )


@dataclass(frozen=True)
class NewEvent:
    """An event about to be appended."""

    type: str
    data: dict[str, Any]
    schema_version: int = 1
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # `data` as JSON text, when the producer has it at hand (it must encode the same value):
    # a store that keeps JSON as text sends it as is instead of encoding `data` again.
    data_json: str | None = field(default=None, repr=False, compare=False)

    @cached_property
    def data_text(self) -> str:
        """`data` as JSON text: `data_json`, or encoded once (the size check and the store
        share it)."""
        return self.data_json if self.data_json is not None else json_text(self.data)


@dataclass(frozen=True)
class RecordedEvent:
    """An event as stored: its stream version and its global position."""

    position: int
    event_id: uuid.UUID
    stream_id: str
    version: int
    type: str
    schema_version: int
    data: dict[str, Any]
    metadata: EventMetadata
    division: str | None
    occurred_at: datetime
    recorded_at: datetime


class UnitOfWork(Protocol):
    """One transaction: read-model writes plus appends, committed together or not at all."""

    def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *,
        metadata: EventMetadata,
        division: str | None = None,
    ) -> None: ...

    async def flush(self) -> None:
        """Write the appends now (positions known), still inside the transaction."""
        ...

    @property
    def recorded(self) -> list[RecordedEvent]: ...


class EventStore(Protocol):
    """The port every service's application layer talks to."""

    def unit_of_work(self) -> AbstractAsyncContextManager[UnitOfWork]: ...

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *,
        metadata: EventMetadata,
        division: str | None = None,
    ) -> list[RecordedEvent]: ...

    async def stream_version(self, stream_id: str) -> int: ...

    async def read_stream(
        self, stream_id: str, *, to_version: int | None = None, as_of: datetime | None = None
    ) -> list[RecordedEvent]: ...

    async def read_streams(
        self, stream_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> dict[str, list[RecordedEvent]]:
        """The events of many streams at once (those with any), each in version order; with
        `as_of`, those that occurred by then."""
        ...

    async def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]: ...

    async def head_position(self) -> int: ...


def check_batch(
    stream_id: str,
    expected_version: int,
    events: Sequence[NewEvent],
    *,
    metadata: EventMetadata,
    max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
) -> None:
    """Reject appends no store may take, before touching a database."""
    if not stream_id:
        raise ValueError("stream_id must not be empty")
    if expected_version < 0:
        raise ValueError("expected_version must be 0 (new stream) or more")
    if not events:
        raise ValueError("an append needs at least one event")
    for e in events:
        if e.occurred_at.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")
    check_sizes(stream_id, events, metadata, max_event_bytes)


def check_sizes(
    stream_id: str, events: Sequence[NewEvent], metadata: EventMetadata, limit: int
) -> None:
    """Raise EventTooLarge for the first event over `limit` bytes (see DEFAULT_MAX_EVENT_BYTES)."""
    fixed = _utf8_size(stream_id) + _utf8_size(json_text(metadata.to_json()))
    for e in events:
        size = fixed + _utf8_size(e.type) + _utf8_size(e.data_text)
        if size > limit:
            raise EventTooLarge(stream_id, e.type, size, limit)


def _utf8_size(text: str) -> int:
    # ASCII text is its own size in UTF-8; other text is encoded to be counted.
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
