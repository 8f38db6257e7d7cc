"""What the API reads: flags by place with their organization and disposals, counts by district."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.tables import disposals as d
from services.notifier.adapters.tables import organizations as o
from services.notifier.adapters.tables import zombie_flags as f
from shared.places import area_prefix


@dataclass(frozen=True)
class FlagView:
    flag: dict[str, Any]  # the zombie_flags row
    organization: dict[str, Any]  # the notifier_organizations row
    disposals: list[dict[str, Any]]  # 限期整改 orders, newest first


def _in_place(place: str | None) -> ColumnElement[bool]:
    if place is None:
        return true()
    prefix = area_prefix(place)
    if len(place) == 6:
        return f.c.division.like(prefix + "%")
    return o.c.domicile.like(prefix + "%")


async def flags(
    conn: AsyncConnection,
    *,
    flag: str,
    place: str | None,
    active: bool | None,
    after: str | None,
    limit: int,
) -> list[FlagView]:
    """Flags of `flag` in `place` (active, cleared, or both), by organization id after `after`."""
    q = (
        select(f, o)
        .select_from(f.join(o, o.c.organization_id == f.c.organization_id))
        .where(f.c.flag == flag, _in_place(place))
        .order_by(f.c.organization_id)
        .limit(limit)
    )
    if active is not None:
        q = q.where(f.c.active == active)
    if after is not None:
        q = q.where(f.c.organization_id > after)
    rows = (await conn.execute(q)).mappings().all()
    ids = [r[f.c.organization_id] for r in rows]
    orders = await _disposals(conn, ids)
    return [
        FlagView(
            {c.name: r[c] for c in f.c},
            {c.name: r[c] for c in o.c},
            orders.get(r[f.c.organization_id], []),
        )
        for r in rows
    ]


async def _disposals(conn: AsyncConnection, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    if not ids:
        return {}
    q = select(d).where(d.c.organization_id.in_(list(ids))).order_by(d.c.ordered_on.desc())
    out: dict[str, list[dict[str, Any]]] = {}
    for r in (await conn.execute(q)).mappings():
        out.setdefault(r["organization_id"], []).append(dict(r))
    return out


async def counts(conn: AsyncConnection, *, place: str | None) -> list[dict[str, Any]]:
    """By district: candidates now, those under a 限期整改 not completed, those cleared by a
    late report (激活) and by an end (注销): the Ya'an plan's "注销一批、整改一批、激活一批"
    (seeds/yaan-empowerment-action-plan-2023-2025.txt, 二(四))."""
    ordered = exists().where(
        d.c.organization_id == f.c.organization_id,
        d.c.completed_on.is_(None),
    )
    active = and_(f.c.active)
    q = (
        select(
            f.c.division,
            func.sum(case((active, 1), else_=0)).label("candidates"),
            func.sum(case((and_(active, ordered), 1), else_=0)).label("rectifying"),
            func.sum(case((f.c.cleared_reason == "late_report", 1), else_=0)).label("activated"),
            func.sum(case((f.c.cleared_reason == "ended", 1), else_=0)).label("removed"),
        )
        .select_from(f.join(o, o.c.organization_id == f.c.organization_id))
        .where(f.c.flag == "zombie", _in_place(place))
        .group_by(f.c.division)
        .order_by(f.c.division)
    )
    return [dict(r) for r in (await conn.execute(q)).mappings()]
