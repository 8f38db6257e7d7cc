"""Reading the stored rows of some organizations from several tables in one round trip."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Date, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import among


async def rows_of_organizations(
    conn: AsyncConnection, wanted: Sequence[tuple[Table, Sequence[str]]]
) -> list[list[dict[str, Any]]]:
    """For each (table, organization ids), the table's rows of those organizations.

    On PostgreSQL one statement, the tables' rows as JSON under `UNION ALL` (their dates read
    back from their ISO text), planned for the tables as they are now; elsewhere a query
    each."""
    out: list[list[dict[str, Any]]] = [[] for _ in wanted]
    asked = [(j, t, list(ids)) for j, (t, ids) in enumerate(wanted) if ids]
    if not asked:
        return out
    if conn.dialect.name != "postgresql":
        for j, t, ids in asked:
            q = select(t).where(among(conn.dialect.name, t.c.organization_id, ids))
            out[j] = [dict(row) for row in (await conn.execute(q)).mappings()]
        return out
    sql = " UNION ALL ".join(
        f"SELECT {j}, to_jsonb(x) FROM {t.name} x WHERE organization_id = ANY(%(o{j})s)"
        for j, t, _ in asked
    )
    dates = {j: [c.name for c in t.columns if isinstance(c.type, Date)] for j, t, _ in asked}
    # Sent unprepared: psycopg prepares a statement run 5 times, and PostgreSQL then keeps one
    # generic plan for it; planned while a rebuild's tables were nearly empty, it scans them
    # whole as they grow (5 ms a batch at 100,000 reports, not 0.1 ms by the keys' index).
    driver = (await conn.get_raw_connection()).driver_connection
    if driver is None:  # psycopg's AsyncConnection, in the transaction of `conn`
        raise RuntimeError("the connection's psycopg connection is gone")
    async with driver.cursor() as cursor:
        await cursor.execute(sql, {f"o{j}": ids for j, _, ids in asked}, prepare=False)
        found = await cursor.fetchall()
    for j, row in found:
        for c in dates[j]:
            if row[c] is not None:
                row[c] = date.fromisoformat(row[c])
        out[j].append(row)
    return out
