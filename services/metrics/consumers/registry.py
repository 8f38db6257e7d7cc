"""The projection of REGISTRY the metrics count from: spans, grades, annual reports, and the
counts pre-aggregated by day (`metrics_deltas`) that every read sums.

A batch is applied at once: the rows of the organizations it names without registering them
(a batch of the register's history holds most organizations whole) are read in three
queries, the events are folded over them in stream order (fold.py), and the rows the fold
made or changed are written back in one statement per table, new rows inserted and changed
ones replaced (adapters/upsert.py); what the batch changed in the counts is added to
`metrics_deltas` in one statement. A single event is a batch of one, so the runner's
one-by-one path gives the same rows. Every row carries the act date of its event, so a
register imported today (its events' act dates in the past) has its past months right. A
rebuild replays the stream into shadow copies of the same tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.metrics.adapters.tables import TABLES, deltas, grades, reports, spans
from services.metrics.adapters.upsert import add, upsert
from services.metrics.consumers.contributions import by_area
from services.metrics.consumers.fold import COUNTED, Fold, stored
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
        orgs = sorted(stored(found))
        if orgs:
            dialect = conn.dialect.name
            for t, load in ((s, fold.load_span), (g, fold.load_grade), (r, fold.load_report)):
                q = select(t).where(among(dialect, t.c.organization_id, orgs))
                if "n" in t.c:
                    q = q.order_by(t.c.organization_id, t.c.n)
                for row in (await conn.execute(q)).mappings():
                    load(dict(row))
        for data in found:
            fold.apply(data)
        key = ("organization_id", "n")
        await upsert(conn, s, key, [x.values for x in fold.written_spans()])
        await upsert(conn, g, key, [x.values for x in fold.written_grades()])
        # a report of a year already held (a correction) replaces it
        await upsert(conn, r, ("organization_id", "year"), list(fold.reports.values()))
        await add(conn, tables[deltas.name], ("n", "staff"), by_area(fold.changes()))
