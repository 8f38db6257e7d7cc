"""The event store: append-only streams with optimistic concurrency and a global position."""

from shared.eventstore.model import (
    CommitOutcomeUnknown,
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
    "CommitOutcomeUnknown",
    "EventMetadata",
    "EventStore",
    "EventTooLarge",
    "NewEvent",
    "RecordedEvent",
    "UnitOfWork",
    "WrongExpectedVersion",
    "json_text",
]
