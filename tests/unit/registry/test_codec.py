"""One codec between the registry's contracts and stored events; act dates on the contracts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from uuid import uuid4

import pytest

from services.registry.app.streams import CODEC
from services.registry.app.timeline import act_date
from shared.clock import SHANGHAI
from shared.contracts import all_contracts
from shared.contracts.base import EventData, contract
from shared.contracts.registry import Deregistered, RatingChanged
from shared.eventstore import EventMetadata, RecordedEvent, json_text


def test_every_registry_contract_declares_the_field_dating_its_act() -> None:
    undated = [c.name for c in all_contracts("registry") if c.act_date_field is None]
    assert undated == []
    assert act_date(
        Deregistered(organization_id="o", deregistered_on=date(2024, 3, 1), reason="r")
    ) == date(2024, 3, 1)


def test_a_contract_naming_a_field_it_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="no field 'happened_on'"):

        @contract("registry", "never_defined", 1, "x", act_date="happened_on")
        class Never(EventData):
            organization_id: str


def test_an_event_encodes_with_its_act_date_and_json_text_and_decodes_back() -> None:
    event = RatingChanged(organization_id="o", grade="4A", decided_on=date(2024, 5, 6))
    new = CODEC.encode(event)
    assert (new.type, new.schema_version) == ("rating_changed", 1)
    assert new.occurred_at == datetime.combine(date(2024, 5, 6), time(), SHANGHAI)
    assert new.data_json == json_text(new.data)
    stored = RecordedEvent(
        position=1,
        event_id=uuid4(),
        stream_id="organization-o",
        version=1,
        type=new.type,
        schema_version=new.schema_version,
        data=new.data,
        metadata=EventMetadata(client="c"),
        division=None,
        occurred_at=new.occurred_at,
        recorded_at=datetime.now(UTC),
    )
    assert CODEC.decode(stored) == event
