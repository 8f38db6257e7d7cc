"""Organizations of the projection as the zombie rule reads them (domain/zombie.py `Record`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.tables import credit_facts, organizations, reports
from services.notifier.domain.zombie import Record


async def records(
    conn: AsyncConnection,
    ids: Collection[str],
    tables: Mapping[str, Table] | None = None,
) -> dict[str, tuple[Record, str]]:
    """The records of `ids` (those on the projection), each with its division."""
    o = (tables or {}).get(organizations.name, organizations)
    r = (tables or {}).get(reports.name, reports)
    c = (tables or {}).get(credit_facts.name, credit_facts)
    batch = sorted(ids)
    facts: dict[tuple[str, str], list[date]] = {}
    q_facts = select(c.c.organization_id, c.c.fact, c.c.day).where(c.c.organization_id.in_(batch))
    for row in await conn.execute(q_facts):
        facts.setdefault((row.organization_id, row.fact), []).append(row.day)
    filed: dict[str, dict[int, object]] = {}
    q = select(r.c.organization_id, r.c.year, r.c.submitted_on).where(
        r.c.organization_id.in_(batch)
    )
    for row in await conn.execute(q):
        filed.setdefault(row.organization_id, {})[row.year] = row.submitted_on
    out: dict[str, tuple[Record, str]] = {}
    for row in await conn.execute(select(o).where(o.c.organization_id.in_(batch))):
        record = Record(
            kind=row.kind,
            registered_on=row.registered_on,
            charity_since=row.charity_since,
            ended_on=row.ended_on,
            filed=filed.get(row.organization_id, {}),  # type: ignore[arg-type]
            supervised=row.supervised,
            unreachable=tuple(sorted(facts.get((row.organization_id, "unreachable"), []))),
            abnormal_delisted=tuple(
                sorted(facts.get((row.organization_id, "abnormal_delisted"), []))
            ),
        )
        out[row.organization_id] = (record, row.division)
    return out
