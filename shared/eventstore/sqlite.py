"""The event store on SQLite (the embedded default), on SQLAlchemy Core.

SQLite has a single writer (a writer's transaction opens with BEGIN IMMEDIATE, shared.db), so
commit order is position order already: no lock is needed for positions to be followable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import UpdateBase

from shared.eventstore.model import NewEvent, WrongExpectedVersion
from shared.eventstore.sql import (
    Pending,
    SqlEventStore,
    SqlUnitOfWork,
    current_version,
    recorded_event,
)
from shared.tables import events


@dataclass
class SqliteUnitOfWork(SqlUnitOfWork):
    """Read-model writes run when made; appends are written at commit, after them."""

    async def write(
        self, statement: UpdateBase, parameters: Mapping[str, Any] | None = None
    ) -> None:
        await self.connection.execute(statement, dict(parameters or {}))

    async def _send(self, *, commit: bool) -> None:
        conn = self.connection
        now = datetime.now(UTC)
        for p in self._pending:
            current = await current_version(conn, p.stream_id)
            if current != p.expected_version:
                raise WrongExpectedVersion(p.stream_id, p.expected_version, current)
            rows = [_row(p, i, e, now) for i, e in enumerate(p.events, start=1)]
            result = await conn.execute(
                insert(events).returning(events.c.position, sort_by_parameter_order=True), rows
            )
            for row, (position,) in zip(rows, result.all(), strict=True):
                self._recorded.append(recorded_event({**row, "position": position}))
        self._pending.clear()


def _row(p: Pending, offset: int, e: NewEvent, now: datetime) -> dict[str, Any]:
    return {
        "event_id": e.event_id,
        "stream_id": p.stream_id,
        "version": p.expected_version + offset,
        "type": e.type,
        "schema_version": e.schema_version,
        "data": e.data,
        "metadata": p.metadata.to_json(),
        "division": p.division,
        "occurred_at": e.occurred_at,
        "recorded_at": now,
    }


class SqliteEventStore(SqlEventStore):
    """The event store on a service's SQLite database."""

    def _unit_of_work_on(self, conn: AsyncConnection) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(conn, self.max_event_bytes)
