"""Writing a projection's rows by key in one statement: new rows inserted, stored ones replaced
(`upsert`) or added to (`add`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, Integer, String, Table, delete, insert, tuple_
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

PG_ARRAY = {
    String: "text[]",
    BigInteger: "bigint[]",
    Integer: "int[]",
    Date: "date[]",
    Boolean: "bool[]",
}


def _array_type(t: Table, column: str) -> str:
    return next(a for kind, a in PG_ARRAY.items() if isinstance(t.c[column].type, kind))


async def upsert(
    conn: AsyncConnection, t: Table, key: Sequence[str], rows: Sequence[dict[str, Any]]
) -> None:
    """Write `rows` (every column of `t`), replacing the stored rows with the same `key`.

    On PostgreSQL one `INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE`: a round
    trip per table and batch, each column one array parameter (an executemany binds, and
    sends, every row). Elsewhere the rows of those keys are deleted, then all inserted.
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in t.c.keys() if c not in key)
        await _pg_insert(conn, t, key, rows, updates)
        return
    keys = [tuple(r[c] for c in key) for r in rows]
    await conn.execute(delete(t).where(tuple_(*(t.c[c] for c in key)).in_(keys)))
    await conn.execute(insert(t), list(rows))


async def add(
    conn: AsyncConnection, t: Table, sums: Sequence[str], rows: Sequence[dict[str, Any]]
) -> None:
    """Write `rows` (every column of `t`), adding their `sums` columns to those of the stored
    rows with the same primary key."""
    if not rows:
        return
    key = [c.name for c in t.primary_key.columns]
    if conn.dialect.name == "postgresql":
        updates = ", ".join(f"{c} = {t.name}.{c} + EXCLUDED.{c}" for c in sums)
        await _pg_insert(conn, t, key, rows, updates)
        return
    q = sqlite_insert(t)
    q = q.on_conflict_do_update(index_elements=key, set_={c: t.c[c] + q.excluded[c] for c in sums})
    await conn.execute(q, list(rows))


async def _pg_insert(
    conn: AsyncConnection,
    t: Table,
    key: Sequence[str],
    rows: Sequence[dict[str, Any]],
    updates: str,
) -> None:
    """One `INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE`: a round trip per
    table and batch, each column one array parameter (an executemany binds, and sends, every
    row)."""
    columns = [c.name for c in t.columns]
    arrays = ", ".join(f"%(c{i})s::{_array_type(t, c)}" for i, c in enumerate(columns))
    sql = (
        f"INSERT INTO {t.name} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )
    params = {f"c{i}": [r[c] for r in rows] for i, c in enumerate(columns)}
    await conn.exec_driver_sql(sql, params)
