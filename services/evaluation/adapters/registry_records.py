"""The ratings to record on the registry in SQL: added in the unit of work of their event
(outbox), picked when due by the one sender, finished with the registry's answer, listed and
released from parking by a person."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from services.evaluation.adapters.tables import registry_records as rr
from services.evaluation.app.ports import Due
from services.evaluation.domain.registry_record import RatingToRecord
from shared.db import WRITE
from shared.eventstore.sql import SqlUnitOfWork


class SqlRegistryOutbox:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow

    async def add(self, record: RatingToRecord, division: str) -> None:
        now = datetime.now(UTC)
        await self.uow.write(
            insert(rr).values(
                evaluation_id=record.evaluation_id,
                organization_id=record.organization_id,
                application_id=record.application_id,
                division=division,
                source=record.source,
                body=record.body(),
                state="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )


class SqlRegistryRecords:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.writer = engine.execution_options(**WRITE)

    async def due(self, now: datetime, limit: int) -> list[Due]:
        """Pending records whose next attempt is due, oldest first."""
        q = (
            select(rr.c.evaluation_id, rr.c.organization_id, rr.c.body, rr.c.attempts)
            .where(rr.c.state == "pending", rr.c.next_attempt_at <= now)
            .order_by(rr.c.next_attempt_at, rr.c.evaluation_id)
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            return [Due(*row) for row in await conn.execute(q)]

    async def finish(self, evaluation_id: str, values: dict[str, Any]) -> bool:
        """The attempt's result on a record still pending (the REGISTRY loop may have closed
        it meanwhile); whether it was."""
        async with self.writer.begin() as conn:
            result = await conn.execute(
                update(rr)
                .where(rr.c.evaluation_id == evaluation_id, rr.c.state == "pending")
                .values(values)
            )
        return bool(result.rowcount)

    async def release(self, evaluation_id: str) -> bool:
        """A parked record made pending, due now; False when it is not parked."""
        async with self.writer.begin() as conn:
            result = await conn.execute(
                update(rr)
                .where(rr.c.evaluation_id == evaluation_id, rr.c.state == "parked")
                .values(state="pending", next_attempt_at=datetime.now(UTC))
            )
        return bool(result.rowcount)

    async def rows(self, state: str | None = None) -> list[dict[str, Any]]:
        """Records, oldest first; of one state if given."""
        q = select(rr).order_by(rr.c.created_at, rr.c.evaluation_id)
        if state is not None:
            q = q.where(rr.c.state == state)
        async with self.engine.connect() as conn:
            return [dict(row) for row in (await conn.execute(q)).mappings()]

    async def get(self, evaluation_id: str) -> dict[str, Any] | None:
        async with self.engine.connect() as conn:
            q = select(rr).where(rr.c.evaluation_id == evaluation_id)
            row = (await conn.execute(q)).mappings().first()
        return None if row is None else dict(row)

    async def recorded_on(self, evaluation_id: str) -> tuple[str, date | None] | None:
        """The record's state and the day its rating_changed was seen, if there is one."""
        async with self.engine.connect() as conn:
            q = select(rr.c.state, rr.c.recorded_on).where(rr.c.evaluation_id == evaluation_id)
            row = (await conn.execute(q)).first()
        return None if row is None else (row[0], row[1])
