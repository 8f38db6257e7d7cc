"""The ports the evaluation's handlers and queries talk to; adapters/ implements them in SQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from services.evaluation.domain.application import Application
from services.evaluation.domain.investigations import Event, Investigations
from services.evaluation.domain.rating_change import RatingChangeCase
from services.evaluation.domain.record import Record
from services.evaluation.domain.registry_record import RatingToRecord
from services.evaluation.domain.round import Round
from shared.eventstore import EventStore, UnitOfWork


class Records(Protocol):
    """The projection of REGISTRY with the investigations recorded here, one record each."""

    async def get(self, organization_id: str) -> Record | None: ...

    async def get_many(self, organization_ids: Collection[str]) -> dict[str, Record]:
        """The records of those on the projection, read together."""
        ...

    async def graded(self, authority: str, grades: Collection[str], on: date) -> list[str]:
        """Organizations registered by `authority`, not ended or revoked by `on`, with a
        decision of one of `grades` by then: a superset of those holding one on that day."""
        ...


class InvestigationRows(Protocol):
    """The investigations read model, written with the events in one unit of work."""

    async def put(self, after: Investigations, event: Event) -> None: ...


class WorkflowRows(Protocol):
    """The rounds, applications and objections read models, written with their events."""

    async def put_round(self, state: Round) -> None: ...

    async def put_application(self, state: Application, terms: Round) -> None: ...

    async def put_applications(self, states: Sequence[Application], terms: Round) -> None:
        """`put_application` of many, in a few statements."""
        ...


@dataclass(frozen=True)
class OverdueObjection:
    objection_id: str
    application_id: str
    round_id: str
    authority: str
    lodged_on: date
    due_on: date


@dataclass(frozen=True)
class Notice:
    """A decision on the 公示 board: who, the grades, and the window."""

    application_id: str
    round_id: str
    authority: str
    organization_id: str
    name: str
    credit_code: str | None
    score: float | None
    proposed_grade: str | None
    decided_grade: str
    decided_on: date
    published_on: date
    ends_on: date


class PublicityBoard(Protocol):
    """The decisions published by an authority whose 公示 window holds a day."""

    async def notices(self, authority: str, day: date) -> list[Notice]: ...


class WorkflowIndex(Protocol):
    """Reads of the workflow's read models: what the event streams cannot list."""

    async def rounds(self) -> list[tuple[str, str]]:
        """Every round's id and authority, oldest first."""
        ...

    async def applications(self, round_id: str) -> list[str]:
        """The ids of the applications of a round, in the order submitted."""
        ...

    async def overdue(self, today: date) -> list[OverdueObjection]:
        """Objections without a 复核 decision whose deadline passed before `today`."""
        ...


class RegistryOutbox(Protocol):
    """Ratings to record on the registry, written with the event that decided them."""

    async def add(self, record: RatingToRecord, division: str) -> None: ...


@dataclass(frozen=True)
class RegistryAnswer:
    """The registry's answer to one `PUT …/rating`: its status (None: no answer) and, for a
    refusal, its problem+json; `error` says why there was no answer."""

    status: int | None
    problem: dict[str, Any] | None = None
    error: str | None = None


class RegistryClient(Protocol):
    """The registry's rating route, called with the evaluation's own service key."""

    async def record_rating(self, organization_id: str, body: dict[str, Any]) -> RegistryAnswer: ...


@dataclass(frozen=True)
class Due:
    """A pending record whose next attempt is due."""

    evaluation_id: str
    organization_id: str
    body: dict[str, Any]
    attempts: int


class RegistryRecords(Protocol):
    """The ratings to record, as the sender and the API see them (adapters/registry_records)."""

    async def due(self, now: datetime, limit: int) -> list[Due]: ...

    async def finish(self, evaluation_id: str, values: dict[str, Any]) -> bool: ...

    async def release(self, evaluation_id: str) -> bool: ...

    async def rows(self, state: str | None = None) -> list[dict[str, Any]]: ...

    async def get(self, evaluation_id: str) -> dict[str, Any] | None: ...

    async def recorded_on(self, evaluation_id: str) -> tuple[str, date | None] | None: ...


class ReactionRows(Protocol):
    """Rating changes (and expired grades), written with their events."""

    async def put(self, case: RatingChangeCase, division: str) -> None: ...

    async def put_many(self, cases: Sequence[RatingChangeCase], division: str) -> None:
        """`put` of many, in a few statements."""
        ...

    async def expired(self, grade: ExpiredGrade) -> None: ...


@dataclass(frozen=True)
class ExpiredGrade:
    """A grade whose validity ended with no new decision."""

    organization_id: str
    division: str
    grade: str
    decided_on: date
    valid_until: date


class ReactionIndex(Protocol):
    """Reads of the rating changes' read model and of grades due to expire."""

    async def rows(self, state: str | None, kind: str | None = None) -> list[dict[str, Any]]:
        """Those in `state` and of `kind` (any if none), oldest first."""
        ...

    async def drawn(self, draw: str) -> list[dict[str, Any]]:
        """The follow_up cases a draw (`<authority>-<year>`) opened, in the order of rank."""
        ...

    async def get(self, reaction_id: str) -> dict[str, Any] | None: ...

    async def expired_by(self, on: date) -> list[ExpiredGrade]:
        """Latest decisions whose grade's validity ended before `on`, not yet recorded."""
        ...


@dataclass(frozen=True)
class EvaluationUnitOfWork:
    """One transaction: the event store's appends and the read model's rows, both or neither."""

    events: UnitOfWork
    investigations: InvestigationRows
    # under an Idempotency-Key, records in the key's row the stream and version written
    mark_written: Callable[[str, int], Awaitable[None]]
    workflow: WorkflowRows
    registry: RegistryOutbox
    reactions: ReactionRows


class EvaluationStore(Protocol):
    """The evaluation's storage: its event store and units of work over it."""

    @property
    def events(self) -> EventStore: ...

    def unit_of_work(self) -> AbstractAsyncContextManager[EvaluationUnitOfWork]: ...

    def earlier_write(self) -> tuple[str, int] | None:
        """On a retry whose earlier attempt's write is stored, that write's stream and version."""
        ...
