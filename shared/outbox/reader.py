"""The outbox read: the events after a position, each with its CloudEvent ready to send.

The events table is the outbox. On PostgreSQL the server writes each CloudEvent's JSON itself
(envelope.ENVELOPE_SQL), in one prepared statement per batch sent by psycopg; elsewhere it is
built here from the row (envelope.envelope_head). The relay only adds headers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, select

from shared.eventstore.postgres import pg_execute
from shared.eventstore.sql import SqlEventStore
from shared.outbox.envelope import ENVELOPE_SQL, NO_PLACE, envelope_head, with_data
from shared.tables import events


@dataclass(frozen=True)
class OutboxRow:
    """An event as the relay publishes it: its CloudEvent, ready to send."""

    position: int
    event_id: str
    type: str
    division: str | None
    recorded_at: datetime
    envelope: bytes  # the structured-mode CloudEvent (shared.outbox.envelope), JSON


# The relay's read (a statement per batch, the relay's hot path), sent by psycopg itself.
_PG_SELECT = "SELECT position, event_id::text, type, division, recorded_at," + ENVELOPE_SQL
PG_OUTBOX = _PG_SELECT + "FROM events WHERE position > %(after)s ORDER BY position LIMIT %(limit)s"
# Chosen events by id, as the relay published (or will publish) them: webhook bodies.
PG_BY_ID = _PG_SELECT + "FROM events WHERE event_id = ANY(%(ids)s::uuid[]) ORDER BY position"

_SQLITE_OUTBOX = select(
    events.c.position,
    events.c.event_id,
    events.c.stream_id,
    events.c.version,
    events.c.type,
    events.c.schema_version,
    events.c.division,
    events.c.occurred_at,
    events.c.recorded_at,
    events.c.metadata["client"].as_string(),
    events.c.metadata["correlation_id"].as_string(),
    events.c.metadata["causation_id"].as_string(),
    cast(events.c.data, Text),
).order_by(events.c.position)


class OutboxReader:
    """Reads a store's outbox as `producer` publishes it."""

    def __init__(self, store: SqlEventStore, producer: str) -> None:
        self.engine = store.engine
        self.producer = producer
        self._on_postgres = store.engine.dialect.name == "postgresql"

    async def read(self, after: int, limit: int) -> list[OutboxRow]:
        """The events after position `after`, at most `limit`, in position order."""
        if self._on_postgres:
            async with self.engine.connect() as conn:
                params = {"after": after, "limit": limit, "producer": self.producer}
                params["no_place"] = NO_PLACE
                found = await pg_execute(conn, PG_OUTBOX, params, prepare=True)
            return [_outbox_row(row) for row in found]
        q = _SQLITE_OUTBOX.where(events.c.position > after).limit(limit)
        async with self.engine.connect() as conn:
            rows: list[Any] = list((await conn.execute(q)).all())
        return [_built_outbox_row(self.producer, row) for row in rows]

    async def read_ids(self, event_ids: Sequence[str]) -> dict[str, OutboxRow]:
        """The events of these ids (those stored), each with the CloudEvent the relay sends."""
        if not event_ids:
            return {}
        if self._on_postgres:
            async with self.engine.connect() as conn:
                by_id: dict[str, Any] = {"ids": list(event_ids), "producer": self.producer}
                found = await pg_execute(conn, PG_BY_ID, by_id | {"no_place": NO_PLACE})
            return {r.event_id: r for r in map(_outbox_row, found)}
        q = _SQLITE_OUTBOX.where(events.c.event_id.in_([uuid.UUID(i) for i in event_ids]))
        async with self.engine.connect() as conn:
            rows: list[Any] = list((await conn.execute(q)).all())
        return {r.event_id: r for r in (_built_outbox_row(self.producer, row) for row in rows)}


def _built_outbox_row(producer: str, row: tuple[Any, ...]) -> OutboxRow:
    """An outbox row whose CloudEvent is built here (SQLite)."""
    (position, event_id, stream_id, version, type_, schema_version, division, occurred_at,
     recorded_at, client, correlation_id, causation_id, data_json) = row  # fmt: skip
    head = envelope_head(
        producer,
        event_id=str(event_id),
        stream_id=stream_id,
        event_type=type_,
        schema_version=schema_version,
        occurred_at=occurred_at,
        position=position,
        version=version,
        division=division,
        client=client or "",
        correlation_id=correlation_id,
        causation_id=causation_id,
    )
    return OutboxRow(
        position, str(event_id), type_, division, recorded_at, with_data(head, data_json)
    )


def _outbox_row(row: tuple[Any, ...]) -> OutboxRow:
    position, event_id, type_, division, recorded_at, envelope = row
    return OutboxRow(position, event_id, type_, division, recorded_at, envelope.encode())
