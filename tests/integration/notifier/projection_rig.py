"""The notifier on its database without a server: registry events applied to its projection as
the consumer applies them, the scans on a fixed clock, and the flag rows they leave."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifier.adapters.tables import zombie_flags
from services.notifier.bootstrap import Notifier, bootstrap, projection
from services.notifier.consumers.registry import RegistryProjection
from services.notifier.domain.zombie import ZombieConfig
from shared.clock import FixedClock
from shared.consumer import Delivered
from shared.contracts.base import EventData
from shared.db import WRITE, make_async_engine
from shared.eventstore.sql import SqlEventStore
from tests.integration.notifier.register import delivered

MAX_EVENT_BYTES = 256 * 1024


@dataclass
class ProjectionRig:
    """The notifier's parts on one database, its projection fed by hand from one division."""

    engine: AsyncEngine
    notifier: Notifier
    consumer: RegistryProjection
    division: str
    seq: int = 0

    async def apply(self, *payloads: EventData) -> None:
        """The events, delivered from `division` in this order, applied as one batch."""
        batch: list[Delivered] = []
        for payload in payloads:
            self.seq += 1
            batch.append(delivered(payload, self.division, self.seq))
        async with self.engine.execution_options(**WRITE).begin() as conn:
            tables = {t.name: t for t in self.consumer.tables}
            await self.consumer.apply_batch(conn, batch, tables)

    async def flag_rows(self) -> list[tuple[Any, ...]]:
        """Every flag as (organization, flag, active, cleared reason, as of), in that order."""
        f = zombie_flags.c
        q = select(f.organization_id, f.flag, f.active, f.cleared_reason, f.as_of)
        async with self.engine.connect() as conn:
            rows = await conn.execute(q.order_by(f.organization_id, f.flag))
            return [tuple(row) for row in rows]


@asynccontextmanager
async def projection_rig(
    url: str, *, config: ZombieConfig, today: date, division: str
) -> AsyncIterator[ProjectionRig]:
    """The notifier's parts on `url` with `config`, its clock standing on `today`."""
    engine = make_async_engine(url)
    notifier = bootstrap(
        store=SqlEventStore(engine, max_event_bytes=MAX_EVENT_BYTES),
        config=config,
        clock=FixedClock(today),
    )
    try:
        yield ProjectionRig(engine, notifier, projection(config, MAX_EVENT_BYTES), division)
    finally:
        await engine.dispose()
