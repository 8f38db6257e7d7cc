"""CloudEvents 1.0 structured JSON envelopes and the place-hierarchical NATS subjects."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from shared.contracts.base import get_contract
from shared.eventstore import RecordedEvent

SPECVERSION = "1.0"
_DIVISION = re.compile(r"^\d{6}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# An event with no place (e.g. a national round) is filed under 00.00.00.
NO_PLACE = "000000"


@lru_cache(maxsize=65536)
def subject(producer: str, division: str | None, event_type: str) -> str:
    """`<producer>.<pp>.<cc>.<dd>.<event_type>` from a 6-digit GB/T 2260 code."""
    d = division or NO_PLACE
    if not _DIVISION.match(d):
        raise ValueError(f"division must be a 6-digit GB/T 2260 code, got {division!r}")
    if not _NAME.match(event_type):
        raise ValueError(f"event type {event_type!r} is not a lower_snake_case name")
    return f"{producer}.{d[0:2]}.{d[2:4]}.{d[4:6]}.{event_type}"


def ce_type(producer: str, event_type: str) -> str:
    return f"socorg.{producer}.{event_type}"


def dataschema(producer: str, event_type: str, version: int) -> str:
    return f"urn:socorg:schema:{producer}.{event_type}:{version}"


def to_cloudevent(producer: str, e: RecordedEvent) -> dict[str, Any]:
    """The structured-mode CloudEvent for a stored event (extensions are lowercase alnum)."""
    out: dict[str, Any] = {
        "specversion": SPECVERSION,
        "id": str(e.event_id),
        "source": f"/socorg/{producer}",
        "type": ce_type(producer, e.type),
        "subject": e.stream_id,
        "time": e.occurred_at.isoformat(),
        "datacontenttype": "application/json",
        "dataschema": dataschema(producer, e.type, e.schema_version),
        "data": e.data,
        "position": e.position,
        "streamversion": e.version,
        "schemaversion": e.schema_version,
        "division": e.division or NO_PLACE,
        "client": e.metadata.client,
    }
    if e.metadata.correlation_id:
        out["correlationid"] = e.metadata.correlation_id
    if e.metadata.causation_id:
        out["causationid"] = e.metadata.causation_id
    return out


REQUIRED = ("specversion", "id", "source", "type")


def parse_cloudevent(envelope: dict[str, Any]) -> tuple[str, str, Any]:
    """Validate an envelope and parse its data with the contract: (producer, type, model)."""
    missing = [k for k in REQUIRED if not envelope.get(k)]
    if missing:
        raise ValueError(f"not a CloudEvent: missing {', '.join(missing)}")
    if envelope["specversion"] != SPECVERSION:
        raise ValueError(f"unsupported CloudEvents specversion {envelope['specversion']!r}")
    parts = str(envelope["type"]).split(".")
    if len(parts) != 3 or parts[0] != "socorg":
        raise ValueError(f"not a socorg event type: {envelope['type']!r}")
    _, producer, name = parts
    c = get_contract(producer, name)
    version = int(envelope.get("schemaversion", c.schema_version))
    return producer, name, c.parse(envelope.get("data") or {}, version)
