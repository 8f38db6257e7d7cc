"""What the API reads and changes of deliveries: a subscription's deliveries and attempts, the
dead letters of an owner, one delivery with its log, and a redelivery."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.webhook_tables import attempts as a
from services.notifier.adapters.webhook_tables import deliveries as d
from services.notifier.adapters.webhook_tables import subscriptions as s


async def deliveries(
    conn: AsyncConnection,
    *,
    owner: str,
    subscription_id: str | None,
    state: str | None,
    after: int | None,
    limit: int,
) -> list[dict[str, Any]]:
    """An owner's deliveries (of one subscription, in one state), by id."""
    q = (
        select(d)
        .select_from(d.join(s, s.c.id == d.c.subscription_id))
        .where(s.c.owner == owner)
        .order_by(d.c.id)
        .limit(limit)
    )
    if subscription_id is not None:
        q = q.where(d.c.subscription_id == subscription_id)
    if state is not None:
        q = q.where(d.c.state == state)
    if after is not None:
        q = q.where(d.c.id > after)
    return [dict(r) for r in (await conn.execute(q)).mappings()]


async def delivery(conn: AsyncConnection, *, owner: str, delivery_id: int) -> dict[str, Any] | None:
    q = (
        select(d)
        .select_from(d.join(s, s.c.id == d.c.subscription_id))
        .where(s.c.owner == owner, d.c.id == delivery_id)
    )
    found = (await conn.execute(q)).mappings().first()
    return dict(found) if found is not None else None


async def attempts(
    conn: AsyncConnection,
    *,
    subscription_id: str | None = None,
    delivery_id: int | None = None,
    after: int | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """The log of attempts of a subscription or of one delivery, oldest first."""
    q = select(a).order_by(a.c.id).limit(limit)
    if subscription_id is not None:
        q = q.where(a.c.subscription_id == subscription_id)
    if delivery_id is not None:
        q = q.where(a.c.delivery_id == delivery_id)
    if after is not None:
        q = q.where(a.c.id > after)
    return [dict(r) for r in (await conn.execute(q)).mappings()]


async def redeliver(conn: AsyncConnection, delivery_id: int, now: datetime) -> bool:
    """A dead delivery pending again, now, for a new round of the schedule."""
    changed = await conn.execute(
        update(d)
        .where(d.c.id == delivery_id, d.c.state == "dead")
        .values(state="pending", step=0, next_attempt_at=now, finished_at=None)
    )
    return changed.rowcount == 1
