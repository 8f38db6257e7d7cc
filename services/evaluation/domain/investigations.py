"""立案调查 on one organization, as the bureau records them here (the registry does not hold
them): an immutable aggregate whose commands return the event to save."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Self

from services.evaluation.domain.errors import (
    DateBeforeOpening,
    InvestigationAlreadyOpen,
    InvestigationClosed,
    InvestigationNotFound,
)
from services.evaluation.domain.record import Investigation
from shared.contracts.evaluation import InvestigationClosed as Closed
from shared.contracts.evaluation import InvestigationOpened as Opened

Event = Opened | Closed


@dataclass(frozen=True)
class Investigations:
    """The investigations of one organization; `last` names the one the latest event concerns."""

    organization_id: str
    version: int = 0
    cases: Mapping[str, Investigation] = field(default_factory=dict)
    last: str | None = None

    @classmethod
    def replay(cls, organization_id: str, events: Iterable[Event]) -> Self:
        state = cls(organization_id)
        for event in events:
            state = state.apply(event)
        return state

    def apply(self, event: Event) -> Self:
        cases = dict(self.cases)
        i = event.investigation_id
        if isinstance(event, Opened):
            cases[i] = Investigation(i, event.reference, event.opened_on)
        else:
            cases[i] = replace(cases[i], closed_on=event.closed_on)
        return replace(self, version=self.version + 1, cases=cases, last=i)

    def open(self, *, investigation_id: str, reference: str, opened_on: date) -> Opened:
        """立案调查 opened on a day; one open case per reference."""
        reference = reference.strip()
        for case in self.cases.values():
            if case.reference == reference and case.closed_on is None:
                raise InvestigationAlreadyOpen(
                    f"investigation {case.investigation_id} ({reference}) is open since "
                    f"{case.opened_on}"
                )
        return Opened(
            organization_id=self.organization_id,
            investigation_id=investigation_id,
            reference=reference,
            opened_on=opened_on,
        )

    def close(self, *, investigation_id: str, closed_on: date) -> Closed:
        """The investigation ended on a day, not before it opened; once."""
        case = self.cases.get(investigation_id)
        if case is None:
            raise InvestigationNotFound(
                f"no investigation {investigation_id} of {self.organization_id}"
            )
        if case.closed_on is not None:
            raise InvestigationClosed(
                f"investigation {investigation_id} closed on {case.closed_on}"
            )
        if closed_on < case.opened_on:
            raise DateBeforeOpening(f"closed on {closed_on}, before it opened on {case.opened_on}")
        return Closed(
            organization_id=self.organization_id,
            investigation_id=investigation_id,
            closed_on=closed_on,
        )
