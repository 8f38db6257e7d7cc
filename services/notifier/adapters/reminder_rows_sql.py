"""The reminders' rows beside their events: each reminder appended as the one event of its
stream, its row written under its unique key, and its webhook deliveries queued
(deliveries_sql.enqueue), all in the caller's unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert

from services.notifier.adapters.deliveries_sql import Outgoing, enqueue
from services.notifier.adapters.reminders_sql import Found
from services.notifier.adapters.tables import reminders as m
from services.notifier.domain.reminders import stream_of
from shared.eventstore.codec import EventCodec
from shared.eventstore.model import EventMetadata
from shared.eventstore.sql import SqlUnitOfWork


async def record(
    uow: SqlUnitOfWork,
    found: Sequence[Found],
    on: date,
    *,
    codec: EventCodec,
    metadata: EventMetadata,
) -> None:
    """Raise each reminder found on `on`: its event, its row and its deliveries."""
    rows: list[dict[str, Any]] = []
    outgoing: list[Outgoing] = []
    for f in found:
        event = codec.encode(f.reminder.event(f.organization_id, on))
        uow.append(
            stream_of(f.organization_id, f.reminder),
            0,  # a reminder is raised once: a second append of its key conflicts
            [event],
            metadata=metadata,
            division=f.division,
        )
        outgoing.append(Outgoing(event.event_id, event.type, f.division))
        rows.append(_row(f, on, event.event_id))
    if rows:
        await uow.write(insert(m).values(rows))  # one statement, many rows
    await enqueue(uow, outgoing, datetime.now(UTC))


def _row(f: Found, on: date, event_id: object) -> dict[str, Any]:
    r = f.reminder
    return {
        "organization_id": f.organization_id,
        "reminder": r.kind,
        "period": r.period,
        "division": f.division,
        "raised_on": on,
        "due_on": r.due_on,
        "year": r.year,
        "review_deadline": r.review_deadline,
        "grade": r.grade,
        "ordered_on": r.ordered_on,
        "event_id": event_id,
    }
