"""The event store: append-only streams with optimistic concurrency and a global position."""

from shared.eventstore.model import (
    EventMetadata,
    EventStore,
    EventTooLarge,
    NewEvent,
    RecordedEvent,
    UnitOfWork,
    WrongExpectedVersion,
    json_text,
)

__all__ = [
    "EventMetadata",
    "EventStore",
    "EventTooLarge",
    "NewEvent",
    "RecordedEvent",
    "UnitOfWork",
    "WrongExpectedVersion",
    "json_text",
]
