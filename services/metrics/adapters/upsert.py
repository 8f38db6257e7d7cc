"""Writing a projection's rows by key: new rows inserted, stored ones replaced (or, for rows
of sums, added to; also sums of another write's rows, `Summed`); every table of a batch in one
statement on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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


@dataclass(frozen=True)
class Summed:
    """Rows of sums computed from those of another write of the batch (`source`, given column
    by column), added to the stored rows of the same primary key: on PostgreSQL by
    `select` in the statement (its rows: every column of `table` in order; `{rows}` names the
    source's rows), elsewhere by `rows` in Python. Computing them where the source's rows are
    already at hand saves building and sending them."""

    table: Table
    source: Write
    select: str
    rows: Callable[[Mapping[str, list[Any]]], Mapping[str, list[Any]]]
    sums: Sequence[str] = ("n", "staff")


def _array_type(t: Table, column: str) -> str:
    return next(a for kind, a in PG_ARRAY.items() if isinstance(t.c[column].type, kind))


async def write(conn: AsyncConnection, writes: Sequence[Write | Summed]) -> None:
    """Make `writes`. On PostgreSQL one statement for them all, each an `INSERT … SELECT FROM
    unnest(arrays) ON CONFLICT DO UPDATE` (the first ones data-modifying WITH clauses): one
    round trip a batch, each column one array parameter (an executemany binds, and sends,
    every row) in binary (psycopg's text arrays quote each element, by a regex). Elsewhere a
    statement or two each."""
    if conn.dialect.name != "postgresql":
        for w in writes:
            if isinstance(w, Summed):
                assert isinstance(w.source.given, Mapping)
                w = Write(w.table, w.rows(w.source.given), sums=w.sums)
            if w.size:
                await (_add(conn, w) if w.sums else _replace(conn, w))
        return
    given = {id(w): j for j, w in enumerate(writes) if isinstance(w, Write) and w.size}
    rows: list[str] = []  # each given write's rows, a WITH clause r{j}
    parts: list[str] = []
    params: dict[str, list[Any]] = {}
    for j, w in enumerate(writes):
        t = w.table
        columns = [c.name for c in t.columns]
        if isinstance(w, Summed):
            if id(w.source) not in given:
                continue
            select = w.select.format(rows=f"r{given[id(w.source)]}")
        elif w.size:
            arrays = ", ".join(f"%(p{j}c{i})b::{_array_type(t, c)}" for i, c in enumerate(columns))
            rows.append(f"r{j} ({', '.join(columns)}) AS (SELECT * FROM unnest({arrays}))")
            params |= {f"p{j}c{i}": w.column(c) for i, c in enumerate(columns)}
            select = f"SELECT * FROM r{j}"
        else:
            continue
        parts.append(f"INSERT INTO {t.name} ({', '.join(columns)}) {select} {_on_conflict(w)}")
    if not parts:
        return
    head = [*rows, *(f"w{j} AS ({sql})" for j, sql in enumerate(parts[:-1]))]
    await conn.exec_driver_sql(f"WITH {', '.join(head)} {parts[-1]}", params)


def _on_conflict(w: Write | Summed) -> str:
    t = w.table
    if w.sums:
        key = [c.name for c in t.primary_key.columns]
        updates = ", ".join(f"{c} = {t.name}.{c} + EXCLUDED.{c}" for c in w.sums)
    else:
        assert isinstance(w, Write)
        key = list(w.key)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in t.c.keys() if c not in key)
    return f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"


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
