"""Reads of the reminders raised: by place (the organization's county, or its domicile for a
street or community), kind and period of raising, by id."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.tables import organizations as o
from services.notifier.adapters.tables import reminders as m
from shared.places import area_prefix


def _in_place(place: str | None) -> ColumnElement[bool]:
    if place is None:
        return true()
    prefix = area_prefix(place)
    if len(place) == 6:
        return m.c.division.like(prefix + "%")
    return o.c.domicile.like(prefix + "%")


async def reminders(
    conn: AsyncConnection,
    *,
    place: str | None,
    kinds: list[str] | None,
    raised_from: date | None,
    raised_to: date | None,
    after: int | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Reminders with their organization's name, kind and domicile, oldest raised first."""
    q = (
        select(m, o.c.name, o.c.kind, o.c.domicile)
        .select_from(m.join(o, o.c.organization_id == m.c.organization_id))
        .where(_in_place(place))
        .order_by(m.c.id)
        .limit(limit)
    )
    if kinds:
        q = q.where(m.c.reminder.in_(kinds))
    if raised_from is not None:
        q = q.where(m.c.raised_on >= raised_from)
    if raised_to is not None:
        q = q.where(m.c.raised_on <= raised_to)
    if after is not None:
        q = q.where(m.c.id > after)
    return [dict(r) for r in (await conn.execute(q)).mappings()]
