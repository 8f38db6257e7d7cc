"""An AsyncAPI 3.0 document for a producer's JetStream subjects, generated from the contracts.

The producer is a service spec: its stream, and the contracts module its events are defined in.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from shared.contracts.base import all_contracts
from shared.outbox.envelope import ce_type, dataschema
from shared.redact import hosts
from shared.spec import ServiceSpec

_PLACE_PARAMS = {
    "pp": {"description": "province digits of the GB/T 2260 domicile code, e.g. 42"},
    "cc": {"description": "city digits, e.g. 01"},
    "dd": {"description": "district digits, e.g. 06"},
}


def asyncapi_document(spec: ServiceSpec, *, version: str, nats_url: str) -> dict[str, Any]:
    producer, stream = spec.name, spec.stream
    if stream is None:
        raise ValueError(f"{producer} publishes no events")
    spec.load_contracts()
    contracts = sorted(all_contracts(producer), key=lambda c: c.name)
    _, defs = models_json_schema(
        [(c.model, "validation") for c in contracts], ref_template="#/components/schemas/{model}"
    )
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for c in contracts:
        msg_name = c.model.__name__
        messages[msg_name] = {
            "name": c.name,
            "title": c.summary,
            "contentType": "application/cloudevents+json",
            "payload": _envelope_schema(producer, c.name, c.schema_version, msg_name),
        }
        channels[c.name] = {
            "address": f"{producer}.{{pp}}.{{cc}}.{{dd}}.{c.name}",
            "title": c.summary,
            "parameters": _PLACE_PARAMS,
            "messages": {msg_name: {"$ref": f"#/components/messages/{msg_name}"}},
        }
        operations[f"publish_{c.name}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{c.name}"},
            "summary": c.summary,
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": f"socorg {producer} events",
            "version": version,
            "description": (
                f"Events of the {stream} JetStream stream, one subject per place: "
                f"`{producer}.<pp>.<cc>.<dd>.<event_type>` (e.g. `{producer}.42.01.>` is all "
                "of Wuhan). Each message is a CloudEvents 1.0 structured JSON envelope; "
                "`Nats-Msg-Id` is the event id."
            ),
        },
        "defaultContentType": "application/cloudevents+json",
        # the addresses only: a URL's user, password or token is no one's business here
        "servers": {
            ("nats" if i == 0 else f"nats-{i + 1}"): {"host": host, "protocol": "nats"}
            for i, host in enumerate(hosts(nats_url))
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def _envelope_schema(producer: str, name: str, version: int, model: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["specversion", "id", "source", "type", "time", "data"],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid"},
            "source": {"const": f"/socorg/{producer}"},
            "type": {"const": ce_type(producer, name)},
            "subject": {"type": "string", "description": "the stream (organization) id"},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "dataschema": {"const": dataschema(producer, name, version)},
            "position": {"type": "integer", "description": "global position in the store"},
            "streamversion": {"type": "integer", "description": "version within the stream"},
            "schemaversion": {"const": version},
            "division": {"type": "string", "pattern": "^[0-9]{6}$"},
            "client": {"type": "string", "description": "the acting API client"},
            "correlationid": {"type": "string"},
            "causationid": {"type": "string"},
            "data": {"$ref": f"#/components/schemas/{model}"},
        },
    }
