"""The CloudEvent: the structured-mode JSON envelope of every published event, defined here once
in Python and, for the relay's read on PostgreSQL, in SQL (tests/integration/
test_outbox_envelope.py holds the two to the same bytes on every contract); and the
place-hierarchical NATS subjects."""

from __future__ import annotations

import json
import re
from datetime import datetime
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


def envelope_head(
    producer: str,
    *,
    event_id: str,
    stream_id: str,
    event_type: str,
    schema_version: int,
    occurred_at: datetime,
    position: int,
    version: int,
    division: str | None,
    client: str,
    correlation_id: str | None,
    causation_id: str | None,
) -> dict[str, Any]:
    """Every attribute of the structured-mode CloudEvent but `data` (extensions lowercase)."""
    out: dict[str, Any] = {
        "specversion": SPECVERSION,
        "id": event_id,
        "source": f"/socorg/{producer}",
        "type": ce_type(producer, event_type),
        "subject": stream_id,
        "time": occurred_at.isoformat(),
        "datacontenttype": "application/json",
        "dataschema": dataschema(producer, event_type, schema_version),
        "position": position,
        "streamversion": version,
        "schemaversion": schema_version,
        "division": division or NO_PLACE,
        "client": client,
    }
    if correlation_id:
        out["correlationid"] = correlation_id
    if causation_id:
        out["causationid"] = causation_id
    return out


def cloudevent_head(producer: str, e: RecordedEvent) -> dict[str, Any]:
    """The envelope of a stored event but its `data`."""
    return envelope_head(
        producer,
        event_id=str(e.event_id),
        stream_id=e.stream_id,
        event_type=e.type,
        schema_version=e.schema_version,
        occurred_at=e.occurred_at,
        position=e.position,
        version=e.version,
        division=e.division,
        client=e.metadata.client,
        correlation_id=e.metadata.correlation_id,
        causation_id=e.metadata.causation_id,
    )


def to_cloudevent(producer: str, e: RecordedEvent) -> dict[str, Any]:
    """The structured-mode CloudEvent for a stored event."""
    return {**cloudevent_head(producer, e), "data": e.data}


# The head as compact JSON, as ENVELOPE_SQL writes it (no space after `,` or `:`).
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def with_data(head: dict[str, Any], data_json: str) -> bytes:
    """The envelope as JSON bytes around `data` already serialised (never decoded again)."""
    return (_compact(head)[:-1] + ',"data":' + data_json + "}").encode()


# envelope_head + with_data as PostgreSQL writes them for a row of `events`, by concatenating
# text (the stored data as is; free text escaped by to_json, as json_text escapes it): half the
# time a jsonb_build_object takes, on the relay's hot path. Parameters: producer, no_place. The
# order and spelling of the attributes are envelope_head's, byte for byte.
ENVELOPE_SQL = """
  '{"specversion":"1.0","id":"' || event_id::text
  || '","source":"/socorg/' || %(producer)s
  || '","type":"socorg.' || %(producer)s || '.' || type
  || '","subject":' || to_json(stream_id)::text
  || ',"time":"' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
     || CASE WHEN extract(microseconds FROM occurred_at)::bigint %% 1000000 = 0
             THEN '' ELSE to_char(occurred_at AT TIME ZONE 'UTC', '.US') END
  || '+00:00","datacontenttype":"application/json","dataschema":"urn:socorg:schema:'
  || %(producer)s || '.' || type || ':' || schema_version
  || '","position":' || position || ',"streamversion":' || version
  || ',"schemaversion":' || schema_version
  || ',"division":' || to_json(coalesce(division, %(no_place)s))::text
  || ',"client":' || coalesce(to_json(metadata->>'client')::text, '""')
  || coalesce(',"correlationid":' || to_json(nullif(metadata->>'correlation_id', ''))::text, '')
  || coalesce(',"causationid":' || to_json(nullif(metadata->>'causation_id', ''))::text, '')
  || ',"data":' || data::text || '}'
"""


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
