"""The projection of EVALUATION the metrics count the rating pipeline from: each application's
periods in progress and with a decided grade not yet in force (consumers/pipeline.py).

A batch reads the stored rows of the applications it names (two queries), folds its events over
them in stream order and writes back the rows it made or changed. The place an application
counts in is not kept here: reads take it from the registry projection's spans on each date
(adapters/series.py), so each projection depends on its own stream alone and a rebuild of
either gives the rows of its live one.

EVALUATION exists once the evaluation service has run: until then the consumer runner waits for
the stream and says so (`GET /v1/projections`, `/readyz`), the service serving meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.metrics.adapters.tables import PIPELINE_TABLES, objections, pipeline
from services.metrics.adapters.upsert import Write, write
from services.metrics.consumers.pipeline import FOLDED, Pipeline
from shared.consumer import Delivered, Projection
from shared.contracts.base import contract_of
from shared.db import among


class OfApplication(Protocol):
    application_id: str


class RatingPipeline(Projection):
    name = "metrics_evaluation"
    stream = "EVALUATION"
    filter_subjects = tuple(f"evaluation.*.*.*.{contract_of(e).name}" for e in FOLDED)
    tables = PIPELINE_TABLES

    async def apply_batch(
        self, conn: AsyncConnection, events: Sequence[Delivered], tables: Mapping[str, Table]
    ) -> None:
        p, o = tables[pipeline.name], tables[objections.name]
        found = [e.data for e in events if e.contract.model in FOLDED]
        if not found:
            return
        ids = sorted({cast(OfApplication, d).application_id for d in found})
        fold = Pipeline()
        dialect = conn.dialect.name
        for t, load in ((p, fold.load_row), (o, fold.load_objection)):
            q = select(t).where(among(dialect, t.c.application_id, ids))
            for row in (await conn.execute(q)).mappings():
                load(dict(row))
        for data in found:
            fold.apply(data)
        await write(
            conn,
            [
                Write(p, fold.written(), ("application_id", "n")),
                Write(o, fold.lodged, ("application_id", "objection_id")),
            ],
        )
