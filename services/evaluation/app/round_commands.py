"""Commands of the grading workflow: a round and its applications, one handler each
(app/round_handlers.py). Each act is dated today (the clock): a step cannot be backdated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from services.evaluation.domain.thresholds import Grade
from shared.contracts.evaluation import Aggregate


@dataclass(frozen=True, kw_only=True)
class AnnounceRound:
    """评估批次 announced by a registration authority; terms left out take the locality's."""

    authority: str
    title: str
    opens_on: date
    closes_on: date
    framework: str | None = None
    thresholds: str | None = None
    aggregate: Aggregate = "mean"
    assessors: int = 1
    publicity_days: int | None = None
    review_days: int | None = None


@dataclass(frozen=True, kw_only=True)
class CloseRound:
    """The window is over: every application still on the round is checked again."""

    round_id: str


@dataclass(frozen=True, kw_only=True)
class SubmitApplication:
    round_id: str
    organization_id: str
    simplified_site_visit: bool = False


@dataclass(frozen=True, kw_only=True)
class WithdrawApplication:
    application_id: str
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class ScoreApplication:
    application_id: str
    assessor: str
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class DecideGrade:
    application_id: str
    grade: Grade
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class PublishDecision:
    application_id: str


@dataclass(frozen=True, kw_only=True)
class LodgeObjection:
    application_id: str
    grounds: str


@dataclass(frozen=True, kw_only=True)
class DecideObjection:
    application_id: str
    objection_id: str
    reason: str
    grade: Grade | None = None


@dataclass(frozen=True, kw_only=True)
class ConfirmGrade:
    application_id: str


RoundCommand = AnnounceRound | CloseRound
ApplicationCommand = (
    SubmitApplication
    | WithdrawApplication
    | ScoreApplication
    | DecideGrade
    | PublishDecision
    | LodgeObjection
    | DecideObjection
    | ConfirmGrade
)
