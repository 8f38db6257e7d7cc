"""The ports the registry's handlers and queries talk to; adapters/ implements them in SQL.

A unit of work offers the appends of the event store plus the read model the registry owns,
committed together. Tests swap in the in-memory ones (tests/unit/registry/fakes.py), which
pass the same contract tests (tests/integration/registry/test_read_model_contract.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from services.registry.app.imports.outcomes import Outcome
from services.registry.app.imports.plan import Planned
from services.registry.app.search import Filters, Found
from services.registry.domain.organization import Organization
from shared.contracts.registry import RegistryEvent
from shared.eventstore import EventMetadata, EventStore, UnitOfWork


class OrganizationRows(Protocol):
    """The organizations read model (one row per organization, its annual-report rows)."""

    async def put(self, org: Organization, event: RegistryEvent) -> None:
        """The organization's rows after `event`. A credit code or filing number another
        organization holds raises `IdentifierTaken`, at the unit of work's commit at the
        latest (PostgreSQL sends the write with the COMMIT)."""
        ...

    async def holder_of(
        self, *, credit_code: str | None = None, filing_number: str | None = None
    ) -> str | None:
        """The id of the organization holding a credit code or filing number, if any."""
        ...


@dataclass(frozen=True)
class RegistryUnitOfWork:
    """One transaction: the event store's appends and the read model's changes, both or
    neither (a `Register` hands them out)."""

    events: UnitOfWork
    organizations: OrganizationRows
    # under an Idempotency-Key, records in the key's row where this write is (stream and
    # version), in the same transaction: the row says "written" exactly when it is stored
    mark_written: Callable[[str, int], Awaitable[None]]


class Register(Protocol):
    """The registry's storage: the event store, units of work over it, the read model's reads."""

    @property
    def events(self) -> EventStore: ...

    def unit_of_work(self) -> AbstractAsyncContextManager[RegistryUnitOfWork]: ...

    @property
    def organizations(self) -> OrganizationRows:
        """The read model outside any unit of work (reads)."""
        ...

    def earlier_write(self) -> tuple[str, int] | None:
        """On a retry whose earlier attempt's write is stored (its answer lost), that write's
        stream and version: the handler answers from it and writes nothing."""
        ...

    async def search(
        self, filters: Filters, *, today: date, limit: int, cursor: str | None
    ) -> Found: ...

    def imports(self) -> AbstractAsyncContextManager[ImportBatch]:
        """A unit of work for one batch of an import (many streams at once)."""
        ...

    async def open_snapshot(self) -> Snapshot:
        """The read model and the event position it reflects, read in one snapshot (open
        until `close`: an export streams from it after the route has returned)."""
        ...


class ImportBatch(Protocol):
    """A batch of import rows committed in one transaction; `imports()` raises `BatchFailed`
    if the transaction fails as a whole (WrongExpectedVersion if a stream moved)."""

    async def commit(
        self,
        batch: Sequence[Planned],
        metadata: Callable[[Planned], EventMetadata],
        *,
        thorough: bool,
    ) -> list[Outcome]: ...

    @property
    def last_position(self) -> int | None: ...


class Snapshot(Protocol):
    position: int

    def rows(self, filters: Filters, *, today: date) -> AsyncIterator[dict[str, Any]]: ...

    async def close(self) -> None: ...
