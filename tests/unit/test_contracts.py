"""Event contracts, subjects and the CloudEvents envelope."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from shared import catalog
from shared.contracts import all_contracts, contract_of, get_contract
from shared.contracts.asyncapi import asyncapi_document
from shared.contracts.base import (
    EventData,
    UnknownEventType,
    UnknownSchemaVersion,
    contract,
    upcaster,
)
from shared.contracts.registry import OrganizationRegistered
from shared.eventstore import EventMetadata, RecordedEvent
from shared.outbox.envelope import parse_cloudevent, subject, to_cloudevent


def registered() -> OrganizationRegistered:
    return OrganizationRegistered(
        organization_id="org-1",
        credit_code="52420100MJH27161X9",
        name="武汉市某某协会",
        kind="social_group",
        level="city",
        registration_authority="420100",
        domicile="420106",
        registered_on=date(2020, 5, 1),
    )


def recorded(data: dict[str, Any], type_: str = "organization_registered") -> RecordedEvent:
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    return RecordedEvent(
        position=7,
        event_id=uuid.uuid4(),
        stream_id="org-1",
        version=1,
        type=type_,
        schema_version=1,
        data=data,
        metadata=EventMetadata(client="c1", correlation_id="r1"),
        division="420106",
        occurred_at=now,
        recorded_at=now,
    )


def test_subject_is_hierarchical_by_place() -> None:
    assert subject("registry", "420106", "organization_registered") == (
        "registry.42.01.06.organization_registered"
    )
    assert subject("evaluation", None, "round_announced") == "evaluation.00.00.00.round_announced"


@pytest.mark.parametrize("bad", ["4201", "42010600", "42a106", ""])
def test_subject_refuses_a_division_that_is_not_six_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="6-digit"):
        subject("registry", bad or "x", "organization_registered")


def test_subject_refuses_event_types_that_would_break_wildcards() -> None:
    with pytest.raises(ValueError):
        subject("registry", "420106", "organization.registered")


def test_envelope_is_structured_cloudevents_and_parses_back_with_the_contract() -> None:
    c = contract_of(OrganizationRegistered)
    envelope = to_cloudevent("registry", recorded(c.dump(registered())))
    assert envelope["specversion"] == "1.0"
    assert envelope["type"] == "socorg.registry.organization_registered"
    assert envelope["dataschema"] == "urn:socorg:schema:registry.organization_registered:1"
    assert envelope["position"] == 7 and envelope["streamversion"] == 1
    assert envelope["correlationid"] == "r1"
    assert all(k.isalnum() and k.islower() for k in envelope)
    producer, name, model = parse_cloudevent(envelope)
    assert (producer, name) == ("registry", "organization_registered")
    assert model == registered()


def test_envelope_without_required_attributes_is_refused() -> None:
    with pytest.raises(ValueError, match="missing"):
        parse_cloudevent({"specversion": "1.0", "type": "socorg.registry.deregistered"})


def test_unknown_event_types_are_named() -> None:
    with pytest.raises(UnknownEventType):
        get_contract("registry", "no_such_event")


def test_every_contract_is_unique_and_snake_case() -> None:
    names = [c.qualified for c in all_contracts()]
    assert len(names) == len(set(names)) and len(names) >= 15
    assert all(c.name.islower() and " " not in c.name for c in all_contracts())


def test_older_schema_versions_are_upcast_and_unknown_ones_refused() -> None:
    @contract("notifier", "test_upcast_demo", 2, "test only")
    class Demo(EventData):
        full_name: str

    @upcaster("notifier", "test_upcast_demo", 1)
    def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
        return {"full_name": data["name"]}

    c = contract_of(Demo)
    assert c.parse({"name": "甲"}, 1) == Demo(full_name="甲")
    assert c.parse({"full_name": "乙"}) == Demo(full_name="乙")
    with pytest.raises(UnknownSchemaVersion):
        c.parse({"full_name": "x"}, 3)


def test_asyncapi_document_lists_every_registry_event_with_its_payload_schema() -> None:
    doc = asyncapi_document(catalog.get("registry"), version="1", nats_url="nats://localhost:14222")
    assert doc["asyncapi"] == "3.0.0"
    registry_events = {c.name for c in all_contracts("registry")}
    assert set(doc["channels"]) == registry_events
    ch = doc["channels"]["organization_registered"]
    assert ch["address"] == "registry.{pp}.{cc}.{dd}.organization_registered"
    assert set(ch["parameters"]) == {"pp", "cc", "dd"}
    schemas = doc["components"]["schemas"]
    assert "credit_code" in schemas["OrganizationRegistered"]["properties"]
    for op in doc["operations"].values():
        assert op["action"] == "send"
        assert op["channel"]["$ref"].removeprefix("#/channels/") in doc["channels"]


def test_asyncapi_of_evaluation_counts_a_round_closed_and_a_follow_up_draw() -> None:
    doc = asyncapi_document(
        catalog.get("evaluation"), version="1", nats_url="nats://localhost:14222"
    )
    assert {"round_closed", "application_rechecked", "follow_up_drawn"} <= set(doc["channels"])
    schemas = doc["components"]["schemas"]
    closed = schemas["RoundClosed"]
    assert set(closed["properties"]) == {"round_id", "closed_on", "admitted", "excluded"}
    assert {"reasons", "eligible"} <= set(schemas["ApplicationRechecked"]["properties"])
    drawn = schemas["FollowUpDrawn"]["properties"]
    assert {"seed", "share", "candidates", "picked"} <= set(drawn) and "drawn" not in drawn
    assert get_contract("evaluation", "round_closed").schema_version == 2
    assert get_contract("evaluation", "follow_up_drawn").schema_version == 2
    # each organization drawn is its own follow_up case, naming the draw
    proposed = schemas["RatingChangeProposed"]
    assert "follow_up" in proposed["properties"]
    assert {"seed", "rank"} <= set(schemas["FollowUpTrace"]["properties"])
    assert {"change", "registry_event_id"}.isdisjoint(proposed["required"])
    assert get_contract("evaluation", "rating_change_proposed").schema_version == 2
