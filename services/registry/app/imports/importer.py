"""Run an import: read rows, plan each through the aggregate, commit them batch by batch.

A batch is one transaction over many streams. If it fails as a whole (a concurrent writer
took an identifier or moved a stream meanwhile), its rows are committed one by one, so only
the rows concerned fail. Per-row errors go to a spool (memory, then a temporary file), so an
import of a million bad rows still holds only one batch in memory.
"""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass, field

from services.registry.app.handlers import Actor, RegistryHandlers
from services.registry.app.imports.outcomes import BatchFailed, Outcome, RowError
from services.registry.app.imports.plan import Planned, plan
from services.registry.app.imports.reader import Malformed, Raw
from services.registry.app.imports.rows import (
    RegistrationRow,
    RowInvalid,
    identifier_of,
    parse_row,
)
from services.registry.domain.errors import RegistryRefusal
from services.registry.domain.organization import domicile_of
from shared.eventstore import EventMetadata, WrongExpectedVersion

log = logging.getLogger("socorg.registry.imports")
DEFAULT_BATCH = 500
# Rows planned between two turns of the event loop while a batch commits. Rows parsed from a
# chunk already received never wait for I/O, so without this the commit's next statement
# would wait until the whole chunk is planned.
_YIELD_EVERY = 8


@dataclass
class Counts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    position: int | None = None  # of the last event appended, if any


class ErrorSpool:
    """Row errors as NDJSON lines, in memory up to 1 MiB and on disk beyond."""

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+b")

    def add(self, error: RowError) -> None:
        line = {"type": "error", **asdict(error)}
        self._file.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")

    def lines(self) -> Iterator[bytes]:
        self._file.seek(0)
        yield from self._file
        self._file.close()


@dataclass
class _Batch:
    """Rows read since the last batch: the planned ones and the ones that failed planning."""

    planned: list[Planned] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def add(self, row: Planned | RowError) -> None:
        if isinstance(row, RowError):
            self.errors.append(row)
        else:
            self.planned.append(row)

    def __len__(self) -> int:
        return len(self.planned) + len(self.errors)


@dataclass
class Importer:
    handlers: RegistryHandlers
    actor: Actor
    import_id: str
    batch_size: int = DEFAULT_BATCH
    counts: Counts = field(default_factory=Counts)
    errors: ErrorSpool = field(default_factory=ErrorSpool)
    started: float = field(default_factory=time.monotonic)

    async def run(self, raws: AsyncIterator[Raw]) -> AsyncIterator[Counts]:
        """Apply every row; yield the counts after each batch (every `batch_size` rows).

        A batch is committed while the next one is read and planned (planning is pure and
        needs no database): the service computes while PostgreSQL writes. Batches still
        commit one after another, so each one's lookups see every earlier batch. The counts
        cover the batches committed so far, never rows still in flight.
        """
        batch = _Batch()
        committing: asyncio.Task[None] | None = None
        try:
            async for number, raw in raws:
                batch.add(self._plan(number, raw))
                if committing is not None and len(batch) % _YIELD_EVERY == 0:
                    await asyncio.sleep(0)  # let the commit go on with its next statement
                if len(batch) == self.batch_size:
                    if committing is not None:
                        await committing
                        yield self.counts
                    committing = asyncio.create_task(self._settle(batch))
                    batch = _Batch()
            if committing is not None:
                await committing
                yield self.counts
            committing = None
            if len(batch):
                await self._settle(batch)
                yield self.counts
        finally:
            if committing is not None:  # the reader failed or the client left: finish it
                # (its own failure, if any, gives way to the one already propagating)
                await asyncio.gather(asyncio.shield(committing), return_exceptions=True)

    async def _settle(self, batch: _Batch) -> None:
        """Commit a batch's planned rows; count them and its rows that failed planning."""
        for error in batch.errors:
            self._fail(error)
        await self._commit(batch.planned)
        self.counts.rows += len(batch)

    @property
    def seconds(self) -> float:
        return round(time.monotonic() - self.started, 3)

    def _plan(self, number: int, raw: dict[str, object] | Malformed) -> Planned | RowError:
        if isinstance(raw, Malformed):
            return RowError(number, None, raw.problem, raw.detail)
        try:
            return self._plan_row(number, raw)
        except Exception:  # a row the planner cannot take is that row's error, never the import's
            log.exception("import %s: row %s could not be planned", self.import_id, number)
            return RowError(number, identifier_of(raw), "unreadable-row", _UNREADABLE)

    def _plan_row(self, number: int, raw: dict[str, object]) -> Planned | RowError:
        identifier = identifier_of(raw)
        try:
            row = parse_row(raw)
            if (
                isinstance(row, RegistrationRow)
                and row.code_override
                and not self.actor.may_override
            ):
                return RowError(number, identifier, "missing-scope", _NO_OVERRIDE)
            today = self.handlers.clock.today()
            planned = plan(number, row, places=self.handlers.places, today=today)
        except RowInvalid as exc:
            return RowError(number, identifier, "validation", exc.detail)
        except RegistryRefusal as exc:
            return RowError(number, identifier, exc.code.value, exc.message)
        place = domicile_of(planned.organization)
        if not self.actor.covers(place):
            return RowError(
                number,
                identifier,
                "outside-client-area",
                f"the key of {self.actor.name} does not cover place {place}",
            )
        planned.new_events  # noqa: B018 - encoded now, while the batch before commits
        return planned

    def _fail(self, error: RowError) -> None:
        """Count and keep a row's error; returns None, so `return (…)` plans nothing."""
        self.counts.failed += 1
        self.errors.add(error)

    def _metadata(self, p: Planned) -> EventMetadata:
        a = self.actor
        extra = {"import_id": self.import_id, "import_row": p.row}
        return EventMetadata(
            client=a.id, actor=a.name, correlation_id=a.correlation_id, extra=extra
        )

    async def _commit(self, batch: list[Planned]) -> None:
        if not batch:
            return
        try:
            outcomes = await self._in_transaction(batch)
        except (BatchFailed, WrongExpectedVersion):
            if len(batch) == 1:
                outcomes = [RowError(batch[0].row, batch[0].identifier, "storage", _RACE)]
            else:  # find the rows a concurrent writer collided with, one transaction each
                for p in batch:
                    await self._commit([p])
                return
        for outcome in outcomes:
            self._count(outcome)

    async def _in_transaction(self, batch: list[Planned]) -> list[Outcome]:
        thorough = len(batch) == 1  # a batch that failed is retried row by row, thoroughly
        async with self.handlers.register.imports() as unit:
            outcomes = await unit.commit(batch, self._metadata, thorough=thorough)
        if (position := unit.last_position) is not None:
            self.counts.position = position
        return outcomes

    def _count(self, outcome: Outcome) -> None:
        if isinstance(outcome, RowError):
            self._fail(outcome)
        else:
            setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)


_NO_OVERRIDE = "a credit-code override needs the scope 'registry:override'"
_UNREADABLE = "the row could not be read; the log has the error under this import's id"
_RACE = "another write to this organization or identifier came first; run the import again"
