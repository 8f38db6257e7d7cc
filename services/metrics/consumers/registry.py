"""The projection of REGISTRY the metrics count from: spans, grades and annual reports.

Events are applied in stream order, each in a few statements; every row carries the act date
of its event, so a register imported today (its events' act dates in the past) has its past
months right. A rebuild replays the stream into shadow copies of the same tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Table, and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.metrics.adapters.tables import TABLES, grades, reports, spans
from shared.consumer import Delivered, Projection
from shared.contracts.registry import (
    AnnualReportSubmitted,
    CertificateRevoked,
    CommunityOrganizationFiled,
    Deregistered,
    FilingCancelled,
    OrganizationRegistered,
    RatingChanged,
    RegistrationChanged,
    RegistrationRevoked,
)

# Fields of a 变更登记 that move an organization between the counts.
_SPAN_FIELDS = {"category": "category", "level": "level", "domicile": "place", "community": "place"}


class RegistryCounts(Projection):
    name = "metrics_registry"
    stream = "REGISTRY"
    filter_subjects = ("registry.>",)
    tables = TABLES

    async def apply(
        self, conn: AsyncConnection, event: Delivered, tables: Mapping[str, Table]
    ) -> None:
        s, g, r = tables[spans.name], tables[grades.name], tables[reports.name]
        match event.data:
            case OrganizationRegistered() as e:
                await conn.execute(
                    insert(s).values(
                        organization_id=e.organization_id,
                        n=0,
                        valid_from=e.registered_on,
                        kind=e.kind,
                        category=e.category,
                        level=e.level,
                        place=e.domicile,
                        urban=None,
                        status="active",
                    )
                )
            case CommunityOrganizationFiled() as e:
                await conn.execute(
                    insert(s).values(
                        organization_id=e.organization_id,
                        n=0,
                        valid_from=e.filed_on,
                        kind="community_org",
                        category=e.category,
                        level=None,
                        place=e.community,
                        urban=e.urban,
                        status="active",
                    )
                )
            case RegistrationChanged() as e:
                new = {
                    column: e.changes[field][1]
                    for field, column in _SPAN_FIELDS.items()
                    if field in e.changes
                }
                if "urban" in e.changes:
                    new["urban"] = e.changes["urban"][1]
                if new:
                    await _next_span(conn, s, e.organization_id, e.changed_on, new)
            case RegistrationRevoked() | CertificateRevoked() as e:
                await _next_span(
                    conn, s, e.organization_id, e.revoked_on, {"status": "in_liquidation"}
                )
                await _end_grade(conn, g, e.organization_id, e.revoked_on)
            case Deregistered() as e:
                await _end(conn, s, g, e.organization_id, e.deregistered_on)
            case FilingCancelled() as e:  # 注销备案 / 撤销备案: a filed organization ends
                await _end(conn, s, g, e.organization_id, e.cancelled_on)
            case RatingChanged() as e:
                await _rate(conn, g, e)
            case AnnualReportSubmitted() as e:
                key = and_(r.c.organization_id == e.organization_id, r.c.year == e.year)
                await conn.execute(delete(r).where(key))
                await conn.execute(
                    insert(r).values(
                        organization_id=e.organization_id,
                        year=e.year,
                        submitted_on=e.submitted_on,
                        staff_employed=e.staff_employed,
                    )
                )
            case _:
                pass  # inspections, charity recognition, disposals: no count depends on them


async def _next_span(
    conn: AsyncConnection, s: Table, org: str, day: date, new: dict[str, Any]
) -> None:
    """Close the organization's open span on `day` and open the next with `new` values."""
    row = (
        (await conn.execute(select(s).where(s.c.organization_id == org, s.c.valid_to.is_(None))))
        .mappings()
        .first()
    )
    if row is None:
        return  # ended (注销) or never seen: nothing it changes is counted
    start = max(day, row["valid_from"])
    await conn.execute(
        update(s).where(s.c.organization_id == org, s.c.n == row["n"]).values(valid_to=start)
    )
    values = {**row, **new, "n": row["n"] + 1, "valid_from": start, "valid_to": None}
    await conn.execute(insert(s).values(values))


async def _end(conn: AsyncConnection, s: Table, g: Table, org: str, day: date) -> None:
    """The organization ends on `day`: its open span closes, its grade with it."""
    await conn.execute(
        update(s).where(s.c.organization_id == org, s.c.valid_to.is_(None)).values(valid_to=day)
    )
    await _end_grade(conn, g, org, day)


async def _end_grade(conn: AsyncConnection, g: Table, org: str, day: date) -> None:
    """No grade of the organization holds from `day` on (撤销, 吊销, 注销 void it)."""
    await conn.execute(
        update(g)
        .where(g.c.organization_id == org, or_(g.c.valid_to.is_(None), g.c.valid_to > day))
        .values(valid_to=day)  # a grade yet to start gets an empty period
    )


async def _rate(conn: AsyncConnection, g: Table, e: RatingChanged) -> None:
    """A decision ends the grade in force when the new one starts (its `valid_from`: under the
    2026 revision 1 January after the announcement, DOMAIN.md, Rating) and, with a grade,
    starts the next one; a cancellation (no grade) ends it on the decision's day."""
    starts = (e.valid_from or e.decided_on) if e.grade is not None else e.decided_on
    await _end_grade(conn, g, e.organization_id, starts)
    if e.grade is None:
        return
    org = g.c.organization_id == e.organization_id
    n = (await conn.execute(select(func.count()).select_from(g).where(org))).scalar_one()
    until = None if e.valid_until is None else e.valid_until + timedelta(days=1)
    await conn.execute(
        insert(g).values(
            organization_id=e.organization_id,
            n=n,
            grade=e.grade,
            valid_from=starts,
            valid_to=until,
        )
    )
