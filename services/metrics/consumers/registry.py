"""The projection of REGISTRY the metrics count from: spans, grades, annual reports, and the
changes of the counts by month and by day that every read sums.

A batch is applied at once: the rows of the organizations it names without registering them
(a batch of the register's history holds most organizations whole) are read, only what their
changes depend on (fold.needed), in one statement (adapters/stored.py); the events are folded
over them in stream order (fold.py), and the rows the fold made or changed are written back,
new rows inserted and changed ones replaced, and what the batch changed in the counts added
to the changes tables (adapters/upsert.py). A single event is a batch of one, so the runner's
one-by-one path gives the same rows. Every row carries the act date of its event, so a
register imported today (its events' act dates in the past) has its past months right. A
rebuild replays the stream into shadow copies of the same tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection

from services.metrics.adapters.stored import rows_of_organizations
from services.metrics.adapters.tables import (
    MONTHS_OF_DAYS,
    TABLES,
    daily,
    grades,
    monthly,
    reports,
    spans,
)
from services.metrics.adapters.upsert import Summed, Write, write
from services.metrics.consumers.contributions import months_of, rows_of
from services.metrics.consumers.fold import COUNTED, Fold, needed
from shared.consumer import Delivered, Projection


class RegistryCounts(Projection):
    name = "metrics_registry"
    stream = "REGISTRY"
    filter_subjects = ("registry.>",)
    tables = TABLES

    async def apply_batch(
        self, conn: AsyncConnection, events: Sequence[Delivered], tables: Mapping[str, Table]
    ) -> None:
        s, g, r = tables[spans.name], tables[grades.name], tables[reports.name]
        # Only the payloads a count depends on are parsed (most events are reports).
        found = [e.data for e in events if e.contract.model in COUNTED]
        if not found:
            return
        fold, need = Fold(), needed(found)
        stored = await rows_of_organizations(
            conn, [(s, need.spans), (g, need.grades), (r, need.reports)]
        )
        for rows, load in zip(
            stored, (fold.load_span, fold.load_grade, fold.load_report), strict=True
        ):
            for row in rows:
                load(row)
        for data in found:
            fold.apply(data)
        key = ("organization_id", "n")
        days = Write(tables[daily.name], rows_of(fold.changes()), sums=("n", "staff"))
        await write(
            conn,
            [
                Write(s, [x.values for x in fold.written_spans()], key),
                Write(g, [x.values for x in fold.written_grades()], key),
                # a report of a year already held (a correction) replaces it
                Write(r, list(fold.reports.values()), ("organization_id", "year")),
                days,
                # the months are the days summed (in the statement, on PostgreSQL)
                Summed(tables[monthly.name], days, MONTHS_OF_DAYS, months_of),
            ],
        )
