"""What a projection is handed: a CloudEvent whose type names a contract that parses its data."""

from __future__ import annotations

from typing import Any

import pytest

from shared.consumer import Delivered
from shared.contracts import base
from shared.contracts.base import UnknownEventType, UnknownSchemaVersion
from shared.contracts.registry import RegistrationChanged


def envelope(**overrides: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "specversion": "1.0",
        "id": "e-1",
        "source": "/socorg/registry",
        "type": "socorg.registry.registration_changed",
        "subject": "org-1",
        "schemaversion": 1,
        "division": "420106",
        "data": {"organization_id": "org-1", "changed_on": "2024-03-01", "changes": {}},
    }
    return {**out, **overrides}


def test_the_data_is_the_contracts_model_parsed_once() -> None:
    event = Delivered.of(envelope(), "registry.42.01.06.registration_changed", 7)
    assert (event.id, event.stream_id, event.division, event.stream_seq) == (
        "e-1",
        "org-1",
        "420106",
        7,
    )
    assert (event.producer, event.event_type) == ("registry", "registration_changed")
    assert isinstance(event.data, RegistrationChanged)
    assert event.data.organization_id == "org-1"
    assert event.data is event.data


def test_an_older_schema_version_is_upcast(monkeypatch: pytest.MonkeyPatch) -> None:
    def from_v0(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "organization_id": data["org"]}

    monkeypatch.setitem(base._UPCASTERS, ("registry.registration_changed", 0), from_v0)
    old = {"org": "org-9", "changed_on": "2024-03-01", "changes": {}}
    event = Delivered.of(envelope(schemaversion=0, data=old), "s", 1)
    assert isinstance(event.data, RegistrationChanged)
    assert event.data.organization_id == "org-9"


def test_a_newer_schema_version_or_a_refused_payload_fails_on_reading_the_data() -> None:
    with pytest.raises(UnknownSchemaVersion):
        _ = Delivered.of(envelope(schemaversion=2), "s", 1).data
    with pytest.raises(ValueError, match="organization_id"):
        _ = Delivered.of(envelope(data={"changes": {}}), "s", 1).data


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (["not", "an", "object"], ValueError),
        (envelope(specversion="0.3"), ValueError),
        (envelope(type="org.example.thing"), ValueError),
        (envelope(type="socorg.registry.no_such_event"), UnknownEventType),
    ],
)
def test_what_is_not_a_socorg_cloudevent_of_a_known_type_is_refused(
    bad: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        Delivered.of(bad, "s", 1)


@pytest.mark.parametrize(
    "reply",
    [
        "$JS.ACK.REGISTRY.metrics.1.4711.9.1700000000000000000.3",
        "$JS.ACK.hub.ACCHASH.REGISTRY.metrics.2.4711.9.1700000000000000000.3.x7",
    ],
)
def test_the_stream_sequence_read_off_the_reply_is_nats_pys_own(reply: str) -> None:
    from nats.aio.msg import Msg

    from shared.consumer.projection import stream_seq

    msg = Msg(_client=None, subject="registry.42.01.06.x", reply=reply)  # type: ignore[arg-type]
    assert stream_seq(msg) == msg.metadata.sequence.stream == 4711
