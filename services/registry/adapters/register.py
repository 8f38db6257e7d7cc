"""The registry's storage in SQL (SQLite or PostgreSQL): the `Register` port of app/ports.py.

SQLAlchemy's errors stop here: a unique key refusing an identifier becomes the domain's
`IdentifierTaken` naming the holder, a batch of an import refused as a whole `BatchFailed`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date
from functools import partial

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry.adapters import search as sql_search
from services.registry.adapters.import_batch import commit_batch
from services.registry.adapters.read_model import SqlOrganizationRows
from services.registry.adapters.snapshot import SqlSnapshot
from services.registry.app.imports.outcomes import BatchFailed, Outcome
from services.registry.app.imports.plan import Planned
from services.registry.app.ports import RegistryUnitOfWork
from services.registry.app.search import Filters, Found
from services.registry.domain.places import Places
from shared.eventstore import EventMetadata
from shared.eventstore.sql import SqlEventStore, SqlUnitOfWork
from shared.http.idempotency import mark_written, stored_write
from shared.rules.reporting import NATIONAL, ReportingConfig


class SqlImportBatch:
    """One batch of an import in one transaction (services/registry/adapters/import_batch.py)."""

    def __init__(
        self, uow: SqlUnitOfWork, places: Places, reporting: ReportingConfig = NATIONAL
    ) -> None:
        self._uow = uow
        self._places = places
        self._reporting = reporting

    async def commit(
        self,
        batch: Sequence[Planned],
        metadata: Callable[[Planned], EventMetadata],
        *,
        thorough: bool,
    ) -> list[Outcome]:
        return await commit_batch(
            self._uow, batch, self._places, metadata, thorough=thorough, reporting=self._reporting
        )

    @property
    def last_position(self) -> int | None:
        recorded = self._uow.recorded
        return recorded[-1].position if recorded else None


class SqlRegister:
    def __init__(
        self, store: SqlEventStore, places: Places, reporting: ReportingConfig = NATIONAL
    ) -> None:
        self.store = store
        self.places = places
        self.reporting = reporting
        self.organizations = SqlOrganizationRows(store.engine, places, reporting=reporting)

    @property
    def events(self) -> SqlEventStore:
        return self.store

    @property
    def engine(self) -> AsyncEngine:
        return self.store.engine

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[RegistryUnitOfWork]:
        rows: SqlOrganizationRows | None = None
        try:
            async with self.store.unit_of_work() as uow:
                rows = SqlOrganizationRows(self.engine, self.places, uow, self.reporting)
                yield RegistryUnitOfWork(uow, rows, partial(mark_written, uow))
        except IntegrityError as exc:
            if rows is None:
                raise
            raise await rows.taken() from exc

    @asynccontextmanager
    async def imports(self) -> AsyncIterator[SqlImportBatch]:
        batch: SqlImportBatch | None = None
        try:
            async with self.store.unit_of_work() as uow:
                batch = SqlImportBatch(uow, self.places, self.reporting)
                yield batch
        except (IntegrityError, DBAPIError) as exc:
            raise BatchFailed(str(exc)) from exc

    def earlier_write(self) -> tuple[str, int] | None:
        return stored_write()

    async def search(
        self, filters: Filters, *, today: date, limit: int, cursor: str | None
    ) -> Found:
        return await sql_search.search(
            self.engine, filters, today=today, limit=limit, cursor=cursor, reporting=self.reporting
        )

    async def open_snapshot(self) -> SqlSnapshot:
        return await SqlSnapshot.open(self.engine, self.reporting)
