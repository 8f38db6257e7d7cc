"""In-memory adapters of the registry's ports (app/ports.py), for tests without a database.

They pass the same contract tests as the SQL adapters
(tests/integration/registry/test_read_model_contract.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date

from services.registry.app.ports import ImportBatch, RegistryUnitOfWork, Snapshot
from services.registry.app.search import Filters, Found
from services.registry.domain.errors import IdentifierTaken
from services.registry.domain.organization import Organization
from shared.contracts.registry import RegistryEvent
from shared.eventstore.memory import InMemoryEventStore, MemoryUnitOfWork

IDENTIFIERS = (("credit code", "credit_code"), ("filing number", "filing_number"))


class FakeOrganizationRows:
    """The read model as the state of each organization after its last event."""

    def __init__(self, rows: dict[str, Organization], uow: MemoryUnitOfWork | None = None) -> None:
        self._rows = rows  # what committed units of work wrote
        self._uow = uow
        self._staged: dict[str, Organization] = {}

    async def put(self, org: Organization, event: RegistryEvent) -> None:
        if self._uow is None:
            raise RuntimeError("the read model is written in a unit of work")
        for what, attribute in IDENTIFIERS:
            value = getattr(org, attribute)
            holder = self._holder(attribute, value)
            if holder is not None and holder != org.organization_id:
                raise IdentifierTaken(what, value, holder)
        if not self._staged:
            self._uow.on_commit(lambda: self._rows.update(self._staged))
        self._staged[org.organization_id] = org

    async def holder_of(
        self, *, credit_code: str | None = None, filing_number: str | None = None
    ) -> str | None:
        if credit_code is not None:
            return self._holder("credit_code", credit_code)
        return self._holder("filing_number", filing_number)

    def _holder(self, attribute: str, value: str | None) -> str | None:
        if value is None:
            return None
        for oid, org in {**self._rows, **self._staged}.items():
            if getattr(org, attribute) == value:
                return oid
        return None


class FakeRegister:
    """The `Register` port in memory: the in-memory event store and a fake read model."""

    def __init__(self) -> None:
        self.store = InMemoryEventStore()
        self.rows: dict[str, Organization] = {}
        self.organizations = FakeOrganizationRows(self.rows)
        self.marks: list[tuple[str, int]] = []  # writes marked for the request's key
        self.earlier: tuple[str, int] | None = None  # a retry's stored write, if any

    @property
    def events(self) -> InMemoryEventStore:
        return self.store

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[RegistryUnitOfWork]:
        async with self.store.unit_of_work() as uow:
            marks: list[tuple[str, int]] = []

            async def mark(stream: str, version: int) -> None:
                marks.append((stream, version))

            uow.on_commit(lambda: self.marks.extend(marks))
            yield RegistryUnitOfWork(uow, FakeOrganizationRows(self.rows, uow), mark)

    def earlier_write(self) -> tuple[str, int] | None:
        return self.earlier

    # the read side's SQL (search, import batches, export snapshots) has no fake: its tests
    # run on SQLite and PostgreSQL (tests/integration/registry)
    async def search(
        self, filters: Filters, *, today: date, limit: int, cursor: str | None
    ) -> Found:
        raise NotImplementedError

    def imports(self) -> AbstractAsyncContextManager[ImportBatch]:
        raise NotImplementedError

    async def open_snapshot(self) -> Snapshot:
        raise NotImplementedError
