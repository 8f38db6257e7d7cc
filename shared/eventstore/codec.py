"""One mapping between a producer's contract payloads and the events the store keeps.

Every writer encodes through it (a command's handler, a bulk import), every reader decodes
through it: the event's type, schema version, `occurred_at` (the start of the act's date, as
its contract declares it) and JSON text are decided here alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, tzinfo
from typing import Any

from shared.contracts.base import EventContract, EventData, contract_of, get_contract
from shared.eventstore.model import NewEvent, RecordedEvent, json_text

_MIDNIGHT = time()


class EventCodec:
    """Contract payload ↔ stored event, for one producer whose dates are civil in `zone`."""

    def __init__(self, producer: str, zone: tzinfo) -> None:
        self.producer = producer
        self.zone = zone

    def occurred_at(self, payload: EventData) -> datetime:
        """00:00 of the act's date in the producer's zone; now for a contract without one."""
        return self._occurred_at(contract_of(payload), payload)

    def encode(self, payload: EventData) -> NewEvent:
        """The event as the store takes it, its JSON text included (encoded once, here)."""
        contract = contract_of(payload)
        data = contract.dump(payload)
        return NewEvent(
            type=contract.name,
            data=data,
            schema_version=contract.schema_version,
            occurred_at=self._occurred_at(contract, payload),
            data_json=json_text(data),
        )

    def _occurred_at(self, contract: EventContract[Any], payload: EventData) -> datetime:
        if contract.act_date_field is None:
            return datetime.now(UTC)
        return datetime.combine(contract.act_date(payload), _MIDNIGHT, self.zone)

    def decode(self, event: RecordedEvent) -> Any:
        """The stored data parsed (and upcast) into its contract's model."""
        return get_contract(self.producer, event.type).parse(event.data, event.schema_version)

    def decode_all(self, events: Sequence[RecordedEvent]) -> list[Any]:
        return [self.decode(e) for e in events]
