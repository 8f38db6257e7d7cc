"""A metrics projection fed events as the consumer runner feeds them, in batches cut anywhere,
into tables of its own: the tests compare what different cuts leave."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.consumer import Delivered, Projection, shadow_tables
from shared.contracts import contract_of
from shared.contracts.base import EventData


def delivered(events: Sequence[EventData]) -> list[Delivered]:
    """The events as their producer's stream delivers them, numbered from 1."""
    out = []
    for seq, e in enumerate(events, start=1):
        c = contract_of(e)
        envelope = {
            "specversion": "1.0",
            "id": str(uuid.uuid4()),
            "type": f"socorg.{c.producer}.{c.name}",
            "schemaversion": c.schema_version,
            "data": c.dump(e),
        }
        out.append(Delivered.of(envelope, f"{c.producer}.42.01.06.{c.name}", seq))
    return out


async def applied_in_batches(
    engine: AsyncEngine,
    projection: Projection,
    events: Sequence[EventData],
    cuts: Sequence[int],
    suffix: str,
) -> dict[str, Table]:
    """Copies of the projection's tables (named with `suffix`) holding `events` applied in
    batches ending at `cuts` (each its own transaction); a batch of one goes through `apply`,
    as the runner's one-by-one path."""
    tables = shadow_tables(projection.tables, suffix)
    async with engine.begin() as conn:
        for t in tables.values():
            await conn.run_sync(t.create)
    found, start = delivered(events), 0
    for end in [*cuts, len(found)]:
        async with engine.begin() as conn:
            if end - start == 1:
                await projection.apply(conn, found[start], tables)
            else:
                await projection.apply_batch(conn, found[start:end], tables)
        start = end
    return tables
