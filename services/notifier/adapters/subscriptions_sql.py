"""Subscriptions' rows: written by the API's handlers, read by the outbox of deliveries and the
delivery worker."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import RowMapping, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.webhook_tables import subscriptions as s
from services.notifier.domain.subscriptions import Subscription


def subscription(row: RowMapping | Mapping[str, Any]) -> Subscription:
    return Subscription(
        id=row["id"],
        owner=row["owner"],
        url=row["url"],
        event_types=tuple(row["event_types"]),
        place=row["place"],
        secret=row["secret"],
        previous_secret=row["previous_secret"],
        previous_until=row["previous_until"],
        active=row["active"],
    )


async def active(conn: AsyncConnection) -> list[Subscription]:
    """Every subscription events are delivered to now."""
    rows = (await conn.execute(select(s).where(s.c.active))).mappings()
    return [subscription(r) for r in rows]


async def by_ids(conn: AsyncConnection, ids: list[str]) -> dict[str, Subscription]:
    rows = (await conn.execute(select(s).where(s.c.id.in_(ids)))).mappings()
    return {r["id"]: subscription(r) for r in rows}


async def row(conn: AsyncConnection, sub_id: str, owner: str) -> dict[str, Any] | None:
    """A subscription's row, if it exists and belongs to `owner`."""
    q = select(s).where(s.c.id == sub_id, s.c.owner == owner)
    found = (await conn.execute(q)).mappings().first()
    return dict(found) if found is not None else None


async def rows(
    conn: AsyncConnection, owner: str, after: str | None, limit: int
) -> list[dict[str, Any]]:
    q = select(s).where(s.c.owner == owner).order_by(s.c.id).limit(limit)
    if after is not None:
        q = q.where(s.c.id > after)
    return [dict(r) for r in (await conn.execute(q)).mappings()]


async def add(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(s).values(values))


async def change(conn: AsyncConnection, sub_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(s).where(s.c.id == sub_id).values(values))


async def remove(conn: AsyncConnection, sub_id: str) -> None:
    """The subscription, its deliveries and their log (ON DELETE CASCADE)."""
    await conn.execute(delete(s).where(s.c.id == sub_id))


async def disable(conn: AsyncConnection, sub_id: str, reason: str, at: Any) -> None:
    await conn.execute(
        update(s)
        .where(s.c.id == sub_id)
        .values(active=False, disabled_reason=reason, updated_at=at)
    )
