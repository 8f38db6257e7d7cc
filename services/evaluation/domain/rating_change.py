"""A grade in question as an aggregate: raised (by a registry fact: a 39号 proposal or a 2026
核查评估; by a 跟踪评估 draw: a follow_up), then decided once by the bureau; only a decision that
changes the grade goes to the registry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Self

from services.evaluation.domain import errors as e
from services.evaluation.domain.reactions import GRADES
from services.evaluation.domain.registry_record import RatingToRecord
from services.evaluation.domain.thresholds import Grade
from shared.contracts.evaluation import (
    RatingChangeDecided,
    RatingChangeProposed,
    VerificationResult,
)

Event = RatingChangeProposed | RatingChangeDecided
WHY = {"proposal": "39号 art. 30", "verification": "核查评估", "follow_up": "跟踪评估"}


@dataclass(frozen=True)
class RatingChangeCase:
    raised: RatingChangeProposed
    version: int = 1
    decided: RatingChangeDecided | None = None

    @classmethod
    def replay(cls, reaction_id: str, events: Iterable[Event]) -> Self:
        it = iter(events)
        first = next(it)
        assert isinstance(first, RatingChangeProposed), reaction_id
        state = cls(first)
        for event in it:
            state = state.apply(event)
        return state

    def apply(self, event: Event) -> Self:
        assert isinstance(event, RatingChangeDecided), event
        return replace(self, version=self.version + 1, decided=event)

    @property
    def state(self) -> str:
        return "open" if self.decided is None else self.decided.outcome

    def confirm(self, day: date, reason: str) -> RatingChangeDecided:
        """39号: the bureau lowers (or cancels) the grade as proposed."""
        self._open(("proposal",), "confirmed")
        return self._decided("confirmed", self.raised.proposed_grade, True, reason, day)

    def dismiss(self, day: date, reason: str) -> RatingChangeDecided:
        """39号: the bureau keeps the grade."""
        self._open(("proposal",), "dismissed")
        return self._decided("dismissed", None, False, reason, day)

    def close(
        self, day: date, result: VerificationResult, grade: Grade | None, reason: str
    ) -> RatingChangeDecided:
        """2026 revision: the result of a 核查评估 or a 跟踪评估; a downgrade names the lower
        grade."""
        self._open(("verification", "follow_up"), "closed")
        held = GRADES.index(self.raised.grade)
        if result == "downgraded" and (grade is None or GRADES.index(grade) >= held):
            raise e.ResultGradeInvalid(f"a downgrade names a grade below {self.raised.grade}")
        if result != "downgraded" and grade is not None:
            raise e.ResultGradeInvalid(f"a result {result} names no grade")
        return self._decided(result, grade, result != "kept", reason, day)

    def _open(self, kinds: tuple[str, ...], step: str) -> None:
        if self.decided is not None:
            raise e.RatingChangeDecidedAlready(
                f"{self.raised.reaction_id} was {self.decided.outcome} on {self.decided.decided_on}"
            )
        if self.raised.kind not in kinds:
            raise e.WrongReactionStep(
                f"{self.raised.reaction_id} is a {self.raised.kind}: not {step}"
            )

    def _decided(
        self, outcome: str, grade: Grade | None, changes: bool, reason: str, day: date
    ) -> RatingChangeDecided:
        return RatingChangeDecided(
            reaction_id=self.raised.reaction_id,
            organization_id=self.raised.organization_id,
            outcome=outcome,
            grade=grade,
            changes_rating=changes,
            reason=reason,
            decided_on=day,
        )


def to_record(raised: RatingChangeProposed, decided: RatingChangeDecided) -> RatingToRecord:
    """The registry's rating after a decision that changes it: a lower grade keeps the validity
    of the grade it lowers (hence the override reason); a cancellation has none."""
    lower = decided.grade is not None
    why = f"{raised.rule}: {raised.fact}; {decided.reason}"
    return RatingToRecord(
        evaluation_id=raised.reaction_id,
        organization_id=raised.organization_id,
        source="rating_change_decided",
        grade=decided.grade,
        decided_on=decided.decided_on,
        valid_from=raised.valid_from or raised.decided_on if lower else None,
        valid_until=raised.valid_until if lower else None,
        reason=why[:1000],
        override_reason=(
            f"降级 ({WHY[raised.kind]}): the validity of the {raised.grade} it lowers"
            if lower
            else None
        ),
    )
