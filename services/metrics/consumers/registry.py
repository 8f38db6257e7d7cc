"""The projection of REGISTRY the metrics count from: spans, grades and annual reports.

A batch is applied at once: the open spans and the grades of the organizations its events
touch are read in two queries, the events are folded over them in stream order (fold.py),
and the rows the fold made or changed are written back in a few multi-row statements per
table (the changed stored rows deleted, then every new and changed row inserted). A single
event is a batch of one, so the runner's one-by-one path gives the same rows. Every row
carries the act date of its event, so a register imported today (its events' act dates in
the past) has its past months right. A rebuild replays the stream into shadow copies of the
same tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Table, delete, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from services.metrics.adapters.tables import TABLES, grades, reports, spans
from services.metrics.consumers.fold import COUNTED, NEEDS_GRADES, NEEDS_SPAN, Fold, Row, touched
from shared.consumer import Delivered, Projection


class RegistryCounts(Projection):
    name = "metrics_registry"
    stream = "REGISTRY"
    filter_subjects = ("registry.>",)
    tables = TABLES

    async def apply(
        self, conn: AsyncConnection, event: Delivered, tables: Mapping[str, Table]
    ) -> None:
        await self.apply_batch(conn, (event,), tables)

    async def apply_batch(
        self, conn: AsyncConnection, events: Sequence[Delivered], tables: Mapping[str, Table]
    ) -> None:
        s, g, r = tables[spans.name], tables[grades.name], tables[reports.name]
        # Only the payloads a count depends on are parsed (most events are reports).
        found = [e.data for e in events if e.contract.model in COUNTED]
        if not found:
            return
        fold = Fold()
        span_orgs, grade_orgs = touched(found, NEEDS_SPAN), touched(found, NEEDS_GRADES)
        if span_orgs:
            q = select(s).where(s.c.organization_id.in_(span_orgs), s.c.valid_to.is_(None))
            for row in (await conn.execute(q)).mappings():
                fold.load_span(dict(row))
        if grade_orgs:
            q = select(g).where(g.c.organization_id.in_(grade_orgs)).order_by(g.c.n)
            for row in (await conn.execute(q)).mappings():
                fold.load_grade(dict(row))
        for data in found:
            fold.apply(data)
        await _replace(conn, s, fold.written_spans())
        await _replace(conn, g, fold.written_grades())
        if fold.reports:
            keys = list(fold.reports)
            await conn.execute(delete(r).where(tuple_(r.c.organization_id, r.c.year).in_(keys)))
            await conn.execute(insert(r), list(fold.reports.values()))


async def _replace(conn: AsyncConnection, t: Table, rows: list[Row]) -> None:
    """Write `rows` (keyed by organization and n): stored ones deleted first, all inserted."""
    stored = [(r.values["organization_id"], r.values["n"]) for r in rows if r.stored]
    if stored:
        await conn.execute(delete(t).where(tuple_(t.c.organization_id, t.c.n).in_(stored)))
    if rows:
        await conn.execute(insert(t), [r.values for r in rows])
