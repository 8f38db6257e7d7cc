"""An application as the API shows it: with its round, and the score and proposed grade its
sheets give under the round's aggregate and thresholds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from services.evaluation.domain.application import Application
from services.evaluation.domain.catalogue import Catalogue
from services.evaluation.domain.round import Round
from services.evaluation.domain.thresholds import Grade
from shared.eventstore import EventMetadata

Covers = Callable[[str], bool]


@dataclass(frozen=True)
class Actor:
    """Who acts: the event metadata it leaves, and the area its key covers."""

    metadata: EventMetadata
    covers: Covers


@dataclass(frozen=True)
class RegistryStatus:
    """Where a confirmed grade stands on the registry: its record's state, and the day the
    registry's rating_changed for it was seen on REGISTRY."""

    state: str
    recorded_on: date | None


@dataclass(frozen=True)
class ApplicationView:
    application: Application
    round: Round
    score: float | None
    proposed_grade: Grade | None
    registry: RegistryStatus | None = None


def view(application: Application, terms: Round, catalogue: Catalogue) -> ApplicationView:
    score = application.score(terms.terms.aggregate)
    grades = catalogue.grades(terms.terms.thresholds)
    proposed = None if score is None else grades.grade_for(score)
    return ApplicationView(application, terms, score, proposed)


@dataclass(frozen=True)
class RoundView:
    round: Round
    applications: list[ApplicationView]
