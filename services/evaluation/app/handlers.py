"""Handlers of the investigation commands: load the organization's investigations through the
repository, call one method, save its event with the read model's row in one unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from services.evaluation.app.commands import CloseInvestigation, Command, OpenInvestigation
from services.evaluation.app.errors import (
    DateInFuture,
    OrganizationNotFound,
    OutsideClientArea,
    VersionConflict,
)
from services.evaluation.app.ports import EvaluationStore, Records
from services.evaluation.app.streams import CODEC, INVESTIGATIONS
from services.evaluation.domain.investigations import Event, Investigations
from services.evaluation.domain.record import Investigation
from shared.clock import Clock
from shared.eventstore import EventMetadata, WrongExpectedVersion
from shared.eventstore.repository import Repository

Covers = Callable[[str], bool]


class InvestigationHandlers:
    def __init__(self, *, store: EvaluationStore, records: Records, clock: Clock) -> None:
        self.store = store
        self.records = records
        self.clock = clock
        self.repository = Repository(
            store=store.events,
            codec=CODEC,
            stream_prefix=INVESTIGATIONS,
            replay=Investigations.replay,
        )

    async def handle(
        self, command: Command, *, metadata: EventMetadata, covers: Covers
    ) -> Investigation:
        """The investigation the command opened or closed, its event saved; or the refusal."""
        if (earlier := self.store.earlier_write()) is not None:
            return await self._as_written(*earlier)
        division = await self._division(command.organization_id, covers)
        state = await self.repository.load(command.organization_id)
        state = state or Investigations(command.organization_id)
        event = self._decide(state, command)
        after = state.apply(event)
        try:
            async with self.store.unit_of_work() as uow:
                await uow.investigations.put(after, event)
                self.repository.save(
                    uow.events,
                    after.organization_id,
                    state.version,
                    [event],
                    metadata=metadata,
                    division=division,
                )
                await uow.mark_written(
                    self.repository.stream_of(after.organization_id), after.version
                )
        except WrongExpectedVersion as exc:
            raise VersionConflict(f"investigations changed meanwhile: {exc}; retry") from exc
        return after.cases[event.investigation_id]

    def _decide(self, state: Investigations, command: Command) -> Event:
        if isinstance(command, OpenInvestigation):
            return state.open(
                investigation_id=uuid.uuid4().hex,
                reference=command.reference,
                opened_on=self._day(command.opened_on),
            )
        assert isinstance(command, CloseInvestigation)
        return state.close(
            investigation_id=command.investigation_id, closed_on=self._day(command.closed_on)
        )

    def _day(self, day: date | None) -> date:
        today = self.clock.today()
        if day is not None and day > today:
            raise DateInFuture(f"{day} is after today ({today}, Asia/Shanghai)")
        return day or today

    async def _division(self, organization_id: str, covers: Covers) -> str:
        record = await self.records.get(organization_id)
        if record is None:
            raise OrganizationNotFound(f"no organization {organization_id} on the register")
        if not covers(record.domicile):
            raise OutsideClientArea(f"the key does not cover place {record.domicile}")
        return record.division

    async def _as_written(self, stream: str, version: int) -> Investigation:
        """A retry of a request whose write is stored: its investigation, answered again."""
        org = stream.removeprefix(INVESTIGATIONS)
        state = await self.repository.load(org, to_version=version)
        if state is None or state.last is None:
            raise OrganizationNotFound(f"no stream {stream} in the evaluation's store")
        return state.cases[state.last]
