"""The grading workflow's read models in SQL: written in the unit of work of their events
(rows), and read for what the event streams cannot list (index)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.evaluation.adapters.tables import applications, objections, publicity, rounds
from services.evaluation.app.ports import OverdueObjection
from services.evaluation.domain.application import Application
from services.evaluation.domain.round import Round
from shared.bulk import insert_rows
from shared.db import among
from shared.eventstore.sql import SqlUnitOfWork

CHUNK = 500  # applications written per statement


class SqlWorkflowRows:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow

    async def put_round(self, state: Round) -> None:
        t = state.terms
        await self.uow.write(delete(rounds).where(rounds.c.round_id == state.round_id))
        await self.uow.write(
            insert(rounds).values(
                round_id=state.round_id,
                authority=t.authority,
                title=t.title,
                opens_on=t.opens_on,
                closes_on=t.closes_on,
                regime=t.regime,
                status=state.status,
                version=state.version,
            )
        )

    async def put_application(self, state: Application, terms: Round) -> None:
        await self.put_applications([state], terms)

    async def put_applications(self, states: Sequence[Application], terms: Round) -> None:
        """The applications' rows and their objections' rows, replaced, CHUNK at a time (a
        statement's parameters are bounded)."""
        for i in range(0, len(states), CHUNK):
            await self._put(states[i : i + CHUNK], terms)

    async def _put(self, states: Sequence[Application], terms: Round) -> None:
        # Sent at once on the unit of work's connection (its transaction), not held for the
        # commit: a close writes thousands of rows, one array parameter a column (shared/bulk).
        a, o = applications, objections
        conn = self.uow.connection
        ids = [s.application_id for s in states]
        await conn.execute(delete(a).where(among(conn.dialect.name, a.c.application_id, ids)))
        await conn.execute(delete(o).where(among(conn.dialect.name, o.c.application_id, ids)))
        rows = [
            {
                "application_id": s.application_id,
                "round_id": terms.round_id,
                "organization_id": s.organization_id,
                "status": s.status,
                "submitted_on": s.submitted.submitted_on,
                "grade": s.grade,
                "version": s.version,
            }
            for s in states
        ]
        await insert_rows(conn, a, rows)
        lodged = [
            {
                "objection_id": objection_id,
                "application_id": s.application_id,
                "round_id": terms.round_id,
                "authority": terms.terms.authority,
                "lodged_on": found.lodged.lodged_on,
                "due_on": found.lodged.due_on,
                "decided_on": found.decided.decided_on if found.decided else None,
            }
            for s in states
            for objection_id, found in s.objections.items()
        ]
        await insert_rows(conn, o, lodged)
        for s in states:
            await self._put_publicity(s, terms)

    async def _put_publicity(self, state: Application, terms: Round) -> None:
        """The 公示 board's row of a published decision, with the grade as it stands."""
        shown, decision = state.publication, state.decision
        if shown is None or decision is None or state.grade is None:
            return
        p = publicity
        await self.uow.write(delete(p).where(p.c.application_id == state.application_id))
        await self.uow.write(
            insert(p).values(
                application_id=state.application_id,
                round_id=terms.round_id,
                authority=terms.terms.authority,
                organization_id=state.organization_id,
                score=decision.score,
                proposed_grade=decision.proposed_grade,
                decided_grade=state.grade,
                decided_on=decision.decided_on,
                published_on=shown.published_on,
                ends_on=shown.ends_on,
            )
        )


class SqlWorkflowIndex:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def rounds(self) -> list[tuple[str, str]]:
        q = select(rounds.c.round_id, rounds.c.authority).order_by(
            rounds.c.opens_on, rounds.c.round_id
        )
        async with self.engine.connect() as conn:
            return [(r.round_id, r.authority) for r in await conn.execute(q)]

    async def applications(self, round_id: str) -> list[str]:
        a = applications
        q = (
            select(a.c.application_id)
            .where(a.c.round_id == round_id)
            .order_by(a.c.submitted_on, a.c.application_id)
        )
        async with self.engine.connect() as conn:
            return list((await conn.execute(q)).scalars())

    async def overdue(self, today: date) -> list[OverdueObjection]:
        o = objections
        q = (
            select(o)
            .where(o.c.decided_on.is_(None), o.c.due_on < today)
            .order_by(o.c.due_on, o.c.objection_id)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q)).mappings()
            return [
                OverdueObjection(
                    r["objection_id"],
                    r["application_id"],
                    r["round_id"],
                    r["authority"],
                    r["lodged_on"],
                    r["due_on"],
                )
                for r in rows
            ]
