"""Records as eligibility reads them (domain/record.py), from the projection and investigations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.evaluation.adapters import tables as t
from services.evaluation.domain.record import (
    CreditEntry,
    Disposal,
    Inspection,
    Investigation,
    Penalty,
    Rating,
    Record,
)


class SqlRecords:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def get(self, organization_id: str) -> Record | None:
        async with self.engine.connect() as conn:
            return await record(conn, organization_id)


async def _rows(conn: AsyncConnection, table: Table, org: str, *order: str) -> list[Any]:
    q = select(table).where(table.c.organization_id == org)
    q = q.order_by(*(table.c[name] for name in order))
    return list((await conn.execute(q)).mappings())


async def record(conn: AsyncConnection, org: str) -> Record | None:
    """One organization's record, read in one connection."""
    row = (
        (
            await conn.execute(
                select(t.organizations).where(t.organizations.c.organization_id == org)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    reports = await _rows(conn, t.reports, org, "year")
    inspections = await _rows(conn, t.inspections, org, "year")
    penalties = await _rows(conn, t.penalties, org, "decided_on", "decision_number")
    credit = await _rows(conn, t.credit_entries, org, "listed_on", "list")
    disposals = await _rows(conn, t.disposals, org, "ordered_on")
    ratings = await _rows(conn, t.ratings, org, "seq")
    cases = await _rows(conn, t.investigations, org, "opened_on", "investigation_id")
    return Record(
        organization_id=org,
        kind=row["kind"],
        registered_on=row["registered_on"],
        registration_authority=row["registration_authority"],
        division=row["division"],
        domicile=row["domicile"],
        charity_since=row["charity_since"],
        revoked_on=row["revoked_on"],
        revoked_by=row["revoked_by"],
        ended_on=row["ended_on"],
        reports={r["year"]: r["submitted_on"] for r in reports},
        inspections={
            r["year"]: Inspection(r["conclusion"], r["concluded_on"]) for r in inspections
        },
        penalties=tuple(
            Penalty(
                p["decision_number"], p["penalty"], p["decided_on"], p["minor"], p["carried_out_on"]
            )
            for p in penalties
        ),
        credit=tuple(
            CreditEntry(c["list"], c["listed_on"], c["trigger"], c["removed_on"]) for c in credit
        ),
        disposals=tuple(
            Disposal(d["ordered_on"], d["due_on"], d["completed_on"]) for d in disposals
        ),
        ratings=tuple(
            Rating(r["decided_on"], r["grade"], r["regime"], r["valid_from"], r["valid_until"])
            for r in ratings
        ),
        investigations=tuple(
            Investigation(i["investigation_id"], i["reference"], i["opened_on"], i["closed_on"])
            for i in cases
        ),
    )
