"""Rating changes in SQL: the read model written with their events, and its reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.evaluation.adapters.tables import expired_grades as xg
from services.evaluation.adapters.tables import organizations as o
from services.evaluation.adapters.tables import rating_changes as rc
from services.evaluation.adapters.tables import ratings as ra
from services.evaluation.app.ports import ExpiredGrade
from services.evaluation.domain.follow_up import draw_id
from services.evaluation.domain.rating_change import RatingChangeCase
from shared.bulk import insert_rows
from shared.eventstore.sql import SqlUnitOfWork

CHUNK = 500  # rows written per statement


class SqlReactionRows:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow

    async def put(self, case: RatingChangeCase, division: str) -> None:
        await put(self.uow, case, division)

    async def put_many(self, cases: Sequence[RatingChangeCase], division: str) -> None:
        """The cases' rows, replaced, CHUNK a statement, sent at once on the unit of work's
        connection (a draw opens thousands)."""
        conn = self.uow.connection
        for i in range(0, len(cases), CHUNK):
            rows = [_row(c, division) for c in cases[i : i + CHUNK]]
            await insert_rows(conn, rc, rows, replace=True)

    async def expired(self, grade: ExpiredGrade) -> None:
        await self.uow.write(
            insert(xg).values(
                organization_id=grade.organization_id,
                decided_on=grade.decided_on,
                grade=grade.grade,
                valid_until=grade.valid_until,
                expired_on=grade.valid_until + timedelta(days=1),
            )
        )


async def put(uow: SqlUnitOfWork, case: RatingChangeCase, division: str) -> None:
    await uow.write(delete(rc).where(rc.c.reaction_id == case.raised.reaction_id))
    await uow.write(insert(rc).values(**_row(case, division)))


def _row(case: RatingChangeCase, division: str) -> dict[str, Any]:
    r, d, trace = case.raised, case.decided, case.raised.follow_up
    return {
        "reaction_id": r.reaction_id,
        "organization_id": r.organization_id,
        "division": division,
        "kind": r.kind,
        "change": r.change,
        "rule": r.rule,
        "fact": r.fact[:500],
        "registry_event_id": r.registry_event_id,
        "registry_event": r.registry_event,
        "raised_on": r.raised_on,
        "grade": r.grade,
        "proposed_grade": r.proposed_grade,
        "state": case.state,
        "decided_grade": d.grade if d else None,
        "decided_on": d.decided_on if d else None,
        "reason": d.reason if d else None,
        "version": case.version,
        "grade_decided_on": r.decided_on,
        "draw": draw_id(trace.authority, trace.year) if trace else None,
        "rank": trace.rank if trace else None,
        "seed": trace.seed if trace else None,
    }


class SqlReactionIndex:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def rows(self, state: str | None, kind: str | None = None) -> list[dict[str, Any]]:
        q = select(rc).order_by(rc.c.raised_on, rc.c.reaction_id)
        if state is not None:
            q = q.where(rc.c.state == state)
        if kind is not None:
            q = q.where(rc.c.kind == kind)
        async with self.engine.connect() as conn:
            return [dict(row) for row in (await conn.execute(q)).mappings()]

    async def drawn(self, draw: str) -> list[dict[str, Any]]:
        q = select(rc).where(rc.c.draw == draw).order_by(rc.c.rank)
        async with self.engine.connect() as conn:
            return [dict(row) for row in (await conn.execute(q)).mappings()]

    async def get(self, reaction_id: str) -> dict[str, Any] | None:
        async with self.engine.connect() as conn:
            q = select(rc).where(rc.c.reaction_id == reaction_id)
            row = (await conn.execute(q)).mappings().first()
        return None if row is None else dict(row)

    async def expired_by(self, on: date) -> list[ExpiredGrade]:
        latest = (
            select(ra.c.organization_id, func.max(ra.c.seq).label("seq"))
            .group_by(ra.c.organization_id)
            .subquery()
        )
        recorded = select(xg.c.organization_id).where(
            xg.c.organization_id == ra.c.organization_id, xg.c.decided_on == ra.c.decided_on
        )
        q = (
            select(
                ra.c.organization_id, o.c.division, ra.c.grade, ra.c.decided_on, ra.c.valid_until
            )
            .join(
                latest,
                (latest.c.organization_id == ra.c.organization_id) & (latest.c.seq == ra.c.seq),
            )
            .join(o, o.c.organization_id == ra.c.organization_id)
            .where(
                ra.c.grade.is_not(None),
                ra.c.valid_until < on,
                # an organization that ended while the grade held: the end voided it
                (o.c.ended_on.is_(None)) | (o.c.ended_on > ra.c.valid_until),
                ~recorded.exists(),
            )
            .order_by(ra.c.valid_until, ra.c.organization_id)
        )
        async with self.engine.connect() as conn:
            return [ExpiredGrade(*row) for row in await conn.execute(q)]
