"""Records as eligibility reads them (domain/record.py), from the projection and investigations."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
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
from shared.db import among

CHUNK = 1000  # organizations read per query when many are read at once


class SqlRecords:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def get(self, organization_id: str) -> Record | None:
        async with self.engine.connect() as conn:
            return await record(conn, organization_id)

    async def get_many(self, organization_ids: Collection[str]) -> dict[str, Record]:
        """The records of those on the projection, a few queries per CHUNK of them."""
        ids = sorted(set(organization_ids))
        out: dict[str, Record] = {}
        async with self.engine.connect() as conn:
            for i in range(0, len(ids), CHUNK):
                out |= await records(conn, ids[i : i + CHUNK])
        return out

    async def graded(self, authority: str, grades: Collection[str], on: date) -> list[str]:
        o, r = t.organizations, t.ratings
        q = (
            select(o.c.organization_id)
            .where(
                o.c.registration_authority == authority,
                o.c.ended_on.is_(None) | (o.c.ended_on > on),
                o.c.revoked_on.is_(None) | (o.c.revoked_on > on),
                select(r.c.organization_id)
                .where(
                    r.c.organization_id == o.c.organization_id,
                    r.c.grade.in_(list(grades)),
                    r.c.decided_on <= on,
                )
                .exists(),
            )
            .order_by(o.c.organization_id)
        )
        async with self.engine.connect() as conn:
            return list((await conn.execute(q)).scalars())


async def _rows(
    conn: AsyncConnection, table: Table, orgs: list[str], *order: str
) -> dict[str, list[Any]]:
    """Each organization's rows of `table`, in the order given."""
    q = select(table).where(among(conn.dialect.name, table.c.organization_id, orgs))
    q = q.order_by(table.c.organization_id, *(table.c[name] for name in order))
    out: dict[str, list[Any]] = {}
    for row in (await conn.execute(q)).mappings():
        out.setdefault(row["organization_id"], []).append(row)
    return out


async def record(conn: AsyncConnection, org: str) -> Record | None:
    """One organization's record, read in one connection."""
    return (await records(conn, [org])).get(org)


async def records(conn: AsyncConnection, orgs: list[str]) -> dict[str, Record]:
    """The records of `orgs` (those on the projection), one query per table."""
    o = t.organizations
    q = select(o).where(among(conn.dialect.name, o.c.organization_id, orgs))
    found = list((await conn.execute(q)).mappings())
    if not found:
        return {}
    orgs = [row["organization_id"] for row in found]
    reports = await _rows(conn, t.reports, orgs, "year")
    inspections = await _rows(conn, t.inspections, orgs, "year")
    penalties = await _rows(conn, t.penalties, orgs, "decided_on", "decision_number")
    credit = await _rows(conn, t.credit_entries, orgs, "listed_on", "list")
    disposals = await _rows(conn, t.disposals, orgs, "ordered_on")
    ratings = await _rows(conn, t.ratings, orgs, "seq")
    cases = await _rows(conn, t.investigations, orgs, "opened_on", "investigation_id")
    return {
        row["organization_id"]: _record(
            row,
            *(
                rows.get(row["organization_id"], [])
                for rows in (reports, inspections, penalties, credit, disposals, ratings, cases)
            ),
        )
        for row in found
    }


def _record(
    row: Any,
    reports: list[Any],
    inspections: list[Any],
    penalties: list[Any],
    credit: list[Any],
    disposals: list[Any],
    ratings: list[Any],
    cases: list[Any],
) -> Record:
    return Record(
        organization_id=row["organization_id"],
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
