"""Reads of the workflow: a round with its applications, or one application, as they stand or
as they stood at the end of any past day (`as_of`), folded from their events (a confirmed
grade with where it stands on the registry); overdue 复核."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from services.evaluation.app.errors import DateInFuture, OutsideClientArea
from services.evaluation.app.ports import OverdueObjection, RegistryRecords, WorkflowIndex
from services.evaluation.app.streams import end_of
from services.evaluation.app.views import (
    ApplicationView,
    Covers,
    RegistryStatus,
    RoundView,
    view,
)
from services.evaluation.domain.application import Application
from services.evaluation.domain.catalogue import Catalogue
from services.evaluation.domain.errors import ApplicationNotFound, RoundNotFound
from services.evaluation.domain.round import Round
from shared.clock import Clock
from shared.eventstore.repository import Repository


class WorkflowQueries:
    def __init__(
        self,
        *,
        rounds: Repository[Round],
        applications: Repository[Application],
        index: WorkflowIndex,
        catalogue: Catalogue,
        clock: Clock,
        registry_records: RegistryRecords,
    ) -> None:
        self.rounds, self.applications = rounds, applications
        self.index, self.catalogue, self.clock = index, catalogue, clock
        self.registry_records = registry_records

    async def rounds_of(self, covers: Covers) -> list[Round]:
        """The rounds of the authorities the key covers, oldest window first."""
        found = [i for i, authority in await self.index.rounds() if covers(authority)]
        return [r for i in found if (r := await self.rounds.load(i)) is not None]

    async def round(self, round_id: str, as_of: date | None, covers: Covers) -> RoundView:
        """The round and every application on it; with `as_of`, as at the end of that day."""
        bound = self._bound(as_of)
        found = await self.rounds.load(round_id, as_of=bound)
        if found is None:
            when = "" if as_of is None else f" by {as_of}"
            raise RoundNotFound(f"no round {round_id} announced{when}")
        _covered(covers, found)
        ids = await self.index.applications(round_id)
        loaded = await self.applications.load_many(ids, as_of=bound)  # every stream at once
        views = [view(a, found, self.catalogue) for i in ids if (a := loaded.get(i)) is not None]
        return RoundView(found, views)

    async def application(
        self, application_id: str, as_of: date | None, covers: Covers
    ) -> ApplicationView:
        bound = self._bound(as_of)
        app = await self.applications.load(application_id, as_of=bound)
        if app is None:
            when = "" if as_of is None else f" by {as_of}"
            raise ApplicationNotFound(f"no application {application_id}{when}")
        found = await self.rounds.load(app.submitted.round_id, as_of=bound)
        assert found is not None, f"application {application_id} without its round"
        _covered(covers, found)
        shown = view(app, found, self.catalogue)
        if as_of is None and app.confirmation is not None:
            status = await self.registry_records.recorded_on(app.application_id)
            if status is not None:
                shown = replace(shown, registry=RegistryStatus(*status))
        return shown

    async def overdue(self, covers: Covers) -> list[OverdueObjection]:
        """Objections whose 复核 decision was due before today and is not recorded."""
        found = await self.index.overdue(self.clock.today())
        return [o for o in found if covers(o.authority)]

    def _bound(self, as_of: date | None) -> datetime | None:
        if as_of is None:
            return None
        if as_of > (today := self.clock.today()):
            raise DateInFuture(f"as_of {as_of} is after today ({today}, Asia/Shanghai)")
        return end_of(as_of)


def _covered(covers: Covers, found: Round) -> None:
    if not covers(found.terms.authority):
        authority = found.terms.authority
        raise OutsideClientArea(f"the key does not cover the round's authority {authority}")
