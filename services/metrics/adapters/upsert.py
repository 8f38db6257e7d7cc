"""Writing a projection's rows by key: new rows inserted, stored ones replaced (or, for rows
of sums, added to); every table of a batch in one statement on PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Write:
    """Rows (each with every column of `table`) replacing the stored rows of the same `key`,
    or, with `sums`, adding those columns to the stored rows of the same primary key; given
    as rows or column by column."""

    table: Table
    given: Sequence[dict[str, Any]] | Mapping[str, list[Any]]
    key: Sequence[str] = ()
    sums: Sequence[str] = ()

    @property
    def size(self) -> int:
        if isinstance(self.given, Mapping):
            return len(next(iter(self.given.values()), []))
        return len(self.given)

    @property
    def rows(self) -> list[dict[str, Any]]:
        if not isinstance(self.given, Mapping):
            return list(self.given)
        names = list(self.given)
        return [dict(zip(names, r, strict=True)) for r in zip(*self.given.values(), strict=True)]

    def column(self, name: str) -> list[Any]:
        if isinstance(self.given, Mapping):
            return self.given[name]
        return [r[name] for r in self.given]


def _array_type(t: Table, column: str) -> str:
    return next(a for kind, a in PG_ARRAY.items() if isinstance(t.c[column].type, kind))


async def write(conn: AsyncConnection, writes: Sequence[Write]) -> None:
    """Make `writes`. On PostgreSQL one statement for them all, each an `INSERT … SELECT FROM
    unnest(arrays) ON CONFLICT DO UPDATE` (the first ones data-modifying WITH clauses): one
    round trip a batch, each column one array parameter (an executemany binds, and sends,
    every row) in binary (psycopg's text arrays quote each element, by a regex). Elsewhere a
    statement or two each."""
    writes = [w for w in writes if w.size]
    if not writes:
        return
    if conn.dialect.name != "postgresql":
        for w in writes:
            await (_add(conn, w) if w.sums else _replace(conn, w))
        return
    parts: list[str] = []
    params: dict[str, list[Any]] = {}
    for j, w in enumerate(writes):
        t = w.table
        key = [c.name for c in t.primary_key.columns] if w.sums else list(w.key)
        if w.sums:
            updates = ", ".join(f"{c} = {t.name}.{c} + EXCLUDED.{c}" for c in w.sums)
        else:
            updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in t.c.keys() if c not in key)
        columns = [c.name for c in t.columns]
        arrays = ", ".join(f"%(p{j}c{i})b::{_array_type(t, c)}" for i, c in enumerate(columns))
        parts.append(
            f"INSERT INTO {t.name} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
        )
        params |= {f"p{j}c{i}": w.column(c) for i, c in enumerate(columns)}
    head = ", ".join(f"w{j} AS ({sql})" for j, sql in enumerate(parts[:-1]))
    await conn.exec_driver_sql(f"WITH {head} {parts[-1]}" if head else parts[-1], params)


async def _replace(conn: AsyncConnection, w: Write) -> None:
    t, keys = w.table, [tuple(r[c] for c in w.key) for r in w.rows]
    await conn.execute(delete(t).where(tuple_(*(t.c[c] for c in w.key)).in_(keys)))
    await conn.execute(insert(t), list(w.rows))


async def _add(conn: AsyncConnection, w: Write) -> None:
    t, key = w.table, [c.name for c in w.table.primary_key.columns]
    q = sqlite_insert(t)
    q = q.on_conflict_do_update(
        index_elements=key, set_={c: t.c[c] + q.excluded[c] for c in w.sums}
    )
    await conn.execute(q, list(w.rows))
