"""One organization's application in a round, from submission to the confirmed grade: an
immutable aggregate whose commands check the step is in order and return the event to save.

submitted → (round closed) admitted | excluded → scored → decided → published (公示) →
objections and their 复核 → confirmed; withdrawn before the decision, and kept on record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Self

from services.evaluation.domain import errors as e
from services.evaluation.domain.application_status import Status, require
from services.evaluation.domain.framework import Framework
from services.evaluation.domain.process import Process, publicity_ends, review_due
from services.evaluation.domain.scoring import aggregate
from services.evaluation.domain.thresholds import Grade, Thresholds
from shared.contracts import evaluation as c
from shared.rules.rating import regime_of, regime_validity

Event = (
    c.ApplicationSubmitted
    | c.ApplicationWithdrawn
    | c.ApplicationRechecked
    | c.AssessmentScored
    | c.GradeDecided
    | c.DecisionPublished
    | c.ObjectionLodged
    | c.ObjectionDecided
    | c.GradeConfirmed
)


@dataclass(frozen=True)
class Objection:
    """复核申请 and, once recorded, its 复核 decision."""

    lodged: c.ObjectionLodged
    decided: c.ObjectionDecided | None = None


@dataclass(frozen=True)
class Application:
    submitted: c.ApplicationSubmitted
    version: int = 1
    withdrawn: c.ApplicationWithdrawn | None = None
    recheck: c.ApplicationRechecked | None = None
    sheets: tuple[c.AssessmentScored, ...] = ()
    decision: c.GradeDecided | None = None
    publication: c.DecisionPublished | None = None
    objections: dict[str, Objection] = field(default_factory=dict)
    confirmation: c.GradeConfirmed | None = None

    @classmethod
    def replay(cls, application_id: str, events: Iterable[Event]) -> Self:
        it = iter(events)
        first = next(it)
        assert isinstance(first, c.ApplicationSubmitted), application_id
        state = cls(first)
        for event in it:
            state = state.apply(event)
        return state

    def apply(self, event: Event) -> Self:
        after = replace(self, version=self.version + 1)
        if isinstance(event, c.ApplicationWithdrawn):
            return replace(after, withdrawn=event)
        if isinstance(event, c.ApplicationRechecked):
            return replace(after, recheck=event)
        if isinstance(event, c.AssessmentScored):
            return replace(after, sheets=(*self.sheets, event))
        if isinstance(event, c.GradeDecided):
            return replace(after, decision=event)
        if isinstance(event, c.DecisionPublished):
            return replace(after, publication=event)
        if isinstance(event, c.ObjectionLodged):
            lodged = Objection(event)
            return replace(after, objections={**self.objections, event.objection_id: lodged})
        if isinstance(event, c.ObjectionDecided):
            done = replace(self.objections[event.objection_id], decided=event)
            return replace(after, objections={**self.objections, event.objection_id: done})
        assert isinstance(event, c.GradeConfirmed), event
        return replace(after, confirmation=event)

    @property
    def application_id(self) -> str:
        return self.submitted.application_id

    @property
    def organization_id(self) -> str:
        return self.submitted.organization_id

    @property
    def status(self) -> Status:
        if self.withdrawn is not None:
            return "withdrawn"
        if self.confirmation is not None:
            return "confirmed"
        if self.publication is not None:
            return "published"
        if self.decision is not None:
            return "decided"
        if self.recheck is None:
            return "submitted"
        return "admitted" if self.recheck.eligible else "excluded"

    @property
    def grade(self) -> Grade | None:
        """The grade as it stands: the committee's, or the latest 复核 that changed it."""
        grade = self.decision.grade if self.decision else None
        for o in sorted(self.objections.values(), key=lambda o: o.lodged.lodged_on):
            if o.decided is not None and o.decided.grade is not None:
                grade = o.decided.grade
        return grade

    def score(self, how: c.Aggregate) -> float | None:
        """The sheets' aggregate so far (none before the first sheet)."""
        totals = [s.total for s in self.sheets]
        return aggregate(how, totals) if totals else None

    # --- commands -------------------------------------------------------------------------

    def withdraw(self, day: date, reason: str | None) -> c.ApplicationWithdrawn:
        """Withdrawn before the committee's decision; it stays on record."""
        self._require("submitted", "admitted", "excluded", step="withdrawal")
        return c.ApplicationWithdrawn(
            application_id=self.application_id,
            organization_id=self.organization_id,
            withdrawn_on=day,
            reason=reason,
        )

    def rechecked(self, day: date, reasons: Iterable[str]) -> c.ApplicationRechecked:
        """Eligibility again on the round's closing day (facts can change in between)."""
        self._require("submitted", step="re-check")
        found = list(reasons)
        return c.ApplicationRechecked(
            application_id=self.application_id,
            organization_id=self.organization_id,
            checked_on=day,
            eligible=not found,
            reasons=found,
        )

    def sheet(
        self, day: date, assessor: str, scores: dict[str, float], framework: Framework
    ) -> c.AssessmentScored:
        """One assessor's sheet, once, every indicator in its range."""
        self._require("admitted", step="scoring")
        if any(s.assessor == assessor for s in self.sheets):
            raise e.AssessorScoredAlready(f"{assessor} has scored {self.application_id} already")
        total = framework.total_of(scores)
        return c.AssessmentScored(
            application_id=self.application_id,
            organization_id=self.organization_id,
            assessor=assessor,
            scored_on=day,
            scores=scores,
            total=total,
        )

    def decide(
        self,
        day: date,
        grade: Grade,
        reason: str | None,
        *,
        terms: c.RoundAnnounced,
        thresholds: Thresholds,
    ) -> c.GradeDecided:
        """评估委员会: a grade, the proposal's or another with a reason, once enough sheets."""
        self._require("admitted", step="decision")
        if len(self.sheets) < terms.assessors:
            raise e.TooFewSheets(
                f"{len(self.sheets)} of the {terms.assessors} sheets the round needs"
            )
        score = aggregate(terms.aggregate, [s.total for s in self.sheets])
        proposed = thresholds.grade_for(score)
        if grade != proposed and not (reason and reason.strip()):
            raise e.ReasonRequired(
                f"the score {score} proposes {proposed or 'no grade'}; {grade} needs a reason"
            )
        return c.GradeDecided(
            application_id=self.application_id,
            organization_id=self.organization_id,
            round_id=self.submitted.round_id,
            grade=grade,
            score=score,
            proposed_grade=proposed,
            reason=reason,
            decided_on=day,
        )

    def publish(self, day: date, days: int) -> c.DecisionPublished:
        """公示 of the decision for `days` days, from `day`."""
        self._require("decided", step="公示")
        return c.DecisionPublished(
            application_id=self.application_id,
            organization_id=self.organization_id,
            published_on=day,
            ends_on=publicity_ends(day, days),
        )

    def object(
        self, objection_id: str, day: date, grounds: str, review_days: int
    ) -> c.ObjectionLodged:
        """复核申请, accepted only inside the 公示 window."""
        self._require("published", step="objection")
        assert self.publication is not None
        if day > self.publication.ends_on:
            raise e.PublicityOver(
                f"the 公示 ended on {self.publication.ends_on}: no objection after it"
            )
        return c.ObjectionLodged(
            application_id=self.application_id,
            organization_id=self.organization_id,
            objection_id=objection_id,
            lodged_on=day,
            grounds=grounds,
            due_on=review_due(day, review_days),
        )

    def review(
        self, objection_id: str, day: date, grade: Grade | None, reason: str, process: Process
    ) -> c.ObjectionDecided:
        """The 复核 decision, by its deadline; `grade` none: the decision stands."""
        self._require("published", step="复核")
        found = self.objections.get(objection_id)
        if found is None:
            raise e.ObjectionNotFound(f"no objection {objection_id} on {self.application_id}")
        if found.decided is not None:
            raise e.ObjectionDecidedAlready(
                f"objection {objection_id} was decided on {found.decided.decided_on}"
            )
        if day > found.lodged.due_on:
            raise e.ReviewOverdue(
                f"the 复核 of objection {objection_id} was due by {found.lodged.due_on}"
            )
        return c.ObjectionDecided(
            application_id=self.application_id,
            organization_id=self.organization_id,
            objection_id=objection_id,
            decided_on=day,
            grade=grade,
            reason=reason,
            decided_by=process.review_by,
        )

    def confirm(self, day: date) -> c.GradeConfirmed:
        """The bureau confirms after the 公示, every objection decided: the grade takes effect,
        valid as the regime of the decision date gives it (shared/rules/rating.py)."""
        self._require("published", step="confirmation")
        assert self.publication is not None and self.decision is not None
        if day <= self.publication.ends_on:
            raise e.PublicityRunning(f"the 公示 runs until {self.publication.ends_on}")
        if pending := sorted(k for k, o in self.objections.items() if o.decided is None):
            raise e.ObjectionPending(f"objections without a 复核 decision: {', '.join(pending)}")
        grade = self.grade
        assert grade is not None  # a decision always names a grade
        decided_on = self.decision.decided_on
        regime = regime_of(decided_on)
        valid_from, valid_until = regime_validity(regime, decided_on, day)
        return c.GradeConfirmed(
            application_id=self.application_id,
            organization_id=self.organization_id,
            evaluation_id=self.application_id,
            grade=grade,
            decided_on=decided_on,
            announced_on=day,
            regime=regime,
            valid_from=valid_from,
            valid_until=valid_until,
            reason=self.decision.reason,
        )

    def _require(self, *allowed: Status, step: str) -> None:
        require(self.application_id, self.status, allowed, step)
