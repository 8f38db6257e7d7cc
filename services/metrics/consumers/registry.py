"""The projection of REGISTRY the metrics count from: spans, grades and annual reports.

A batch is applied at once: the open spans and the grades of the organizations its events
touch are read in two queries, the events are folded over them in stream order (fold.py),
and the rows the fold made or changed are written back in one statement per table, new rows
inserted and changed ones replaced (adapters/upsert.py). A single event is a batch of one,
so the runner's one-by-one path gives the same rows. Every row carries the act date of its
event, so a register imported today (its events' act dates in the past) has its past months
right. A rebuild replays the stream into shadow copies of the same tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.metrics.adapters.tables import TABLES, grades, reports, spans
from services.metrics.adapters.upsert import upsert
from services.metrics.consumers.fold import COUNTED, NEEDS_GRADES, NEEDS_SPAN, Fold, touched
from shared.consumer import Delivered, Projection
from shared.db import among


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
        dialect = conn.dialect.name
        if span_orgs:
            ids = sorted(span_orgs)
            q = select(s).where(among(dialect, s.c.organization_id, ids), s.c.valid_to.is_(None))
            for row in (await conn.execute(q)).mappings():
                fold.load_span(dict(row))
        if grade_orgs:
            ids = sorted(grade_orgs)
            q = select(g).where(among(dialect, g.c.organization_id, ids)).order_by(g.c.n)
            for row in (await conn.execute(q)).mappings():
                fold.load_grade(dict(row))
        for data in found:
            fold.apply(data)
        key = ("organization_id", "n")
        await upsert(conn, s, key, [r.values for r in fold.written_spans()])
        await upsert(conn, g, key, [r.values for r in fold.written_grades()])
        # a report of a year already held (a correction) replaces it
        await upsert(conn, r, ("organization_id", "year"), list(fold.reports.values()))
