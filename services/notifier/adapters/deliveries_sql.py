"""Deliveries' rows: written with the events they carry (the outbox of deliveries), taken by
the worker when due, finished with their attempt's row in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters import subscriptions_sql
from services.notifier.adapters.webhook_tables import attempts as a
from services.notifier.adapters.webhook_tables import deliveries as d
from services.notifier.adapters.webhook_tables import subscriptions as s
from services.notifier.domain.subscriptions import matching
from shared.eventstore.sql import SqlUnitOfWork


@dataclass(frozen=True)
class Outgoing:
    """An event a unit of work records on the notifier's stream."""

    event_id: uuid.UUID
    event_type: str
    division: str | None


@dataclass(frozen=True)
class Due:
    """A delivery to try now."""

    id: int
    subscription_id: str
    event_id: str
    attempts: int
    step: int


@dataclass(frozen=True)
class Attempt:
    """One try of a delivery, as its log keeps it."""

    delivery_id: int
    subscription_id: str
    attempt: int
    at: datetime
    status: int | None
    error: str | None
    latency_ms: int
    response: str | None


async def enqueue(uow: SqlUnitOfWork, events: Sequence[Outgoing], now: datetime) -> int:
    """A pending delivery for each event and each active subscription that wants it, in the
    unit of work that records the events: both are stored, or neither."""
    if not events:
        return 0
    subs = await subscriptions_sql.active(uow.connection)
    if not subs:
        return 0
    rows = [
        {
            "subscription_id": sub.id,
            "event_id": e.event_id,
            "event_type": e.event_type,
            "division": e.division,
            "state": "pending",
            "attempts": 0,
            "step": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for e in events
        for sub in matching(subs, e.event_type, e.division)
    ]
    for row in rows:
        await uow.write(insert(d).values(row))
    return len(rows)


async def due(conn: AsyncConnection, now: datetime, limit: int) -> list[Due]:
    """Pending deliveries whose time has come, of active subscriptions, oldest first."""
    q = (
        select(d.c.id, d.c.subscription_id, d.c.event_id, d.c.attempts, d.c.step)
        .select_from(d.join(s, s.c.id == d.c.subscription_id))
        .where(d.c.state == "pending", d.c.next_attempt_at <= now, s.c.active)
        .order_by(d.c.next_attempt_at, d.c.id)
        .limit(limit)
    )
    return [
        Due(r.id, r.subscription_id, str(r.event_id), r.attempts, r.step)
        for r in await conn.execute(q)
    ]


async def finish(
    conn: AsyncConnection, delivery: Due, attempt: Attempt, values: dict[str, Any]
) -> bool:
    """Record the attempt and the delivery's new state, only if the delivery is as it was
    taken (another worker that took it meanwhile wins; this attempt is then not recorded)."""
    changed = await conn.execute(
        update(d)
        .where(
            and_(d.c.id == delivery.id, d.c.state == "pending", d.c.attempts == delivery.attempts)
        )
        .values(attempts=attempt.attempt, step=delivery.step + 1, **values)
    )
    if changed.rowcount != 1:
        return False
    await conn.execute(insert(a).values(vars(attempt)))
    return True
