"""The evaluation's storage: its event store, and units of work that write the read models
(investigations, the grading workflow), the ratings to record on the registry and the
Idempotency-Key's written mark in the same transaction as the append."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from sqlalchemy import delete, insert

from services.evaluation.adapters.reaction_rows import SqlReactionRows
from services.evaluation.adapters.registry_records import SqlRegistryOutbox
from services.evaluation.adapters.tables import investigations
from services.evaluation.adapters.workflow_rows import SqlWorkflowRows
from services.evaluation.app.ports import EvaluationUnitOfWork
from services.evaluation.domain.investigations import Event, Investigations
from shared.eventstore.sql import SqlEventStore, SqlUnitOfWork
from shared.http.idempotency import mark_written, stored_write


class SqlInvestigationRows:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow

    async def put(self, after: Investigations, event: Event) -> None:
        case = after.cases[event.investigation_id]
        rows = investigations
        await self.uow.write(delete(rows).where(rows.c.investigation_id == case.investigation_id))
        await self.uow.write(
            insert(rows).values(
                investigation_id=case.investigation_id,
                organization_id=after.organization_id,
                reference=case.reference,
                opened_on=case.opened_on,
                closed_on=case.closed_on,
            )
        )


class SqlEvaluationStore:
    def __init__(self, store: SqlEventStore) -> None:
        self.store = store

    @property
    def events(self) -> SqlEventStore:
        return self.store

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[EvaluationUnitOfWork]:
        async with self.store.unit_of_work() as uow:
            yield EvaluationUnitOfWork(
                uow,
                SqlInvestigationRows(uow),
                partial(mark_written, uow),
                SqlWorkflowRows(uow),
                SqlRegistryOutbox(uow),
                SqlReactionRows(uow),
            )

    def earlier_write(self) -> tuple[str, int] | None:
        return stored_write()
