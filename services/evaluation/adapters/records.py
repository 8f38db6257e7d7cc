"""Records as eligibility reads them (domain/record.py), from the projection and investigations."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Select,
    String,
    Table,
    cast,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
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
from shared.db import among_bound

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


# Every fact table of a record in one UNION ALL: a tag, then the table's columns in a few
# shared typed slots (n: a number, s1–s2: text, d1–d3: dates, b: a flag). The order by
# (organization, tag, n, d1, s1) is each table's own order: reports and inspections by year,
# ratings by stream sequence, penalties by date and decision number, credit entries by date
# and list, disposals by order date, investigations by opening date and id.
_SLOTS = ("n", "s1", "s2", "d1", "d2", "d3", "b")
_TYPES: dict[str, Any] = {
    "n": BigInteger,
    "s1": String,
    "s2": String,
    "d1": Date,
    "d2": Date,
    "d3": Date,
    "b": Boolean,
}
_FACTS: tuple[tuple[str, Table, dict[str, str]], ...] = (
    ("report", t.reports, {"n": "year", "d1": "submitted_on"}),
    ("inspection", t.inspections, {"n": "year", "s1": "conclusion", "d1": "concluded_on"}),
    (
        "penalty",
        t.penalties,
        {
            "s1": "decision_number",
            "s2": "penalty",
            "d1": "decided_on",
            "d2": "carried_out_on",
            "b": "minor",
        },
    ),
    (
        "credit",
        t.credit_entries,
        {"s1": "list", "s2": "trigger", "d1": "listed_on", "d2": "removed_on"},
    ),
    ("disposal", t.disposals, {"d1": "ordered_on", "d2": "due_on", "d3": "completed_on"}),
    (
        "rating",
        t.ratings,
        {
            "n": "seq",
            "s1": "grade",
            "s2": "regime",
            "d1": "decided_on",
            "d2": "valid_from",
            "d3": "valid_until",
        },
    ),
    (
        "investigation",
        t.investigations,
        {"s1": "investigation_id", "s2": "reference", "d1": "opened_on", "d2": "closed_on"},
    ),
)


@cache
def _queries(dialect: str) -> tuple[Select[Any], Select[Any]]:
    """The organizations' rows, and every fact of theirs, for the organizations bound as
    `orgs`: built once per dialect."""
    o = t.organizations
    organizations = select(o).where(among_bound(dialect, o.c.organization_id, "orgs"))
    parts = []
    for tag, table, slots in _FACTS:
        columns = [table.c.organization_id, literal(tag, String).label("tag")]
        for slot in _SLOTS:
            kind = _TYPES[slot]  # a column as it is (an SQLite CAST to DATE makes a number)
            value = type_coerce(table.c[slots[slot]], kind) if slot in slots else cast(null(), kind)
            columns.append(value.label(slot))
        parts.append(select(*columns).where(among_bound(dialect, table.c.organization_id, "orgs")))
    u = union_all(*parts).subquery()
    facts = select(u).order_by(u.c.organization_id, u.c.tag, u.c.n, u.c.d1, u.c.s1)
    return organizations, facts


async def record(conn: AsyncConnection, org: str) -> Record | None:
    """One organization's record, read in one connection."""
    return (await records(conn, [org])).get(org)


async def records(conn: AsyncConnection, orgs: list[str]) -> dict[str, Record]:
    """The records of `orgs` (those on the projection): two queries, the organizations and
    every fact of theirs."""
    organizations, facts_of = _queries(conn.dialect.name)
    found = list((await conn.execute(organizations, {"orgs": orgs})).mappings())
    if not found:
        return {}
    ids = [r["organization_id"] for r in found]
    facts: dict[str, dict[str, list[Any]]] = {}
    for row in await conn.execute(facts_of, {"orgs": ids}):
        facts.setdefault(row.organization_id, {}).setdefault(row.tag, []).append(row)
    return {r["organization_id"]: _record(r, facts.get(r["organization_id"], {})) for r in found}


def _record(row: Any, facts: dict[str, list[Any]]) -> Record:
    def of(tag: str) -> list[Any]:
        return facts.get(tag, [])

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
        reports={r.n: r.d1 for r in of("report")},
        inspections={r.n: Inspection(r.s1, r.d1) for r in of("inspection")},
        penalties=tuple(Penalty(p.s1, p.s2, p.d1, p.b, p.d2) for p in of("penalty")),
        credit=tuple(CreditEntry(c.s1, c.d1, c.s2, c.d2) for c in of("credit")),
        disposals=tuple(Disposal(d.d1, d.d2, d.d3) for d in of("disposal")),
        ratings=tuple(Rating(r.d1, r.s1, r.s2, r.d2, r.d3) for r in of("rating")),
        investigations=tuple(Investigation(i.s1, i.s2, i.d1, i.d2) for i in of("investigation")),
    )
