"""An organization's stream in the event store: its id, and its events as typed payloads."""

from __future__ import annotations

from collections.abc import Sequence

from shared.contracts import get_contract
from shared.contracts.registry import RegistryEvent
from shared.eventstore import RecordedEvent

PRODUCER = "registry"
STREAM_PREFIX = "organization-"


def stream_of(organization_id: str) -> str:
    return STREAM_PREFIX + organization_id


def payload_of(event: RecordedEvent) -> RegistryEvent:
    """The stored data parsed (and upcast) into its contract's model."""
    parsed: RegistryEvent = get_contract(PRODUCER, event.type).parse(
        event.data, event.schema_version
    )
    return parsed


def payloads(events: Sequence[RecordedEvent]) -> list[RegistryEvent]:
    return [payload_of(e) for e in events]
