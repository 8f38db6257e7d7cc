"""Refusals of the evaluation domain, each with a stable slug the API turns into problem+json."""

from __future__ import annotations


class DomainRefusal(Exception):
    """A command the domain refuses; `status` is the HTTP status it maps to."""

    slug = "refused"
    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvestigationNotFound(DomainRefusal):
    slug = "investigation-not-found"
    status = 404


class InvestigationClosed(DomainRefusal):
    slug = "investigation-already-closed"


class InvestigationAlreadyOpen(DomainRefusal):
    """An open investigation of the organization already has this reference."""

    slug = "investigation-already-open"


class DateBeforeOpening(DomainRefusal):
    slug = "closed-before-opened"
    status = 422


class RefusalWithFacts(DomainRefusal):
    """A refusal that carries structured facts, shown as problem+json extensions."""

    def __init__(self, message: str, **extensions: object) -> None:
        super().__init__(message)
        self.extensions = extensions


class InvalidFramework(ValueError):
    """An indicator framework or thresholds file that cannot be used (checked at start)."""


class RoundNotFound(DomainRefusal):
    slug = "round-not-found"
    status = 404


class ApplicationNotFound(DomainRefusal):
    slug = "application-not-found"
    status = 404


class ObjectionNotFound(DomainRefusal):
    slug = "objection-not-found"
    status = 404


class InvalidWindow(DomainRefusal):
    """The application window ends before it opens, or opens before the announcement."""

    slug = "invalid-window"
    status = 422


class UnknownFramework(DomainRefusal):
    """No indicator framework or thresholds file of that name."""

    slug = "unknown-framework"
    status = 422


class OutsideApplicationWindow(DomainRefusal):
    slug = "outside-application-window"


class RoundClosedAlready(DomainRefusal):
    slug = "round-closed"


class RoundStillOpen(DomainRefusal):
    """Closing before the window's last day, or scoring before the round closed."""

    slug = "round-still-open"


class NotRoundAuthority(DomainRefusal):
    """The organization was registered by another authority than the round's."""

    slug = "not-round-authority"
    status = 422


class Ineligible(RefusalWithFacts):
    """Eligibility refused: every failing rule with its facts (extensions `reasons`, `rules`)."""

    slug = "ineligible"
    status = 422


class AlreadyApplied(DomainRefusal):
    slug = "already-applied"


class SimplifiedVisitNotAllowed(DomainRefusal):
    slug = "simplified-visit-not-allowed"
    status = 422


class ApplicationWithdrawn(DomainRefusal):
    slug = "application-withdrawn"


class ApplicationExcluded(DomainRefusal):
    """The close found the application ineligible: nothing more happens on it."""

    slug = "application-excluded"


class ScoreOutOfRange(RefusalWithFacts):
    slug = "score-out-of-range"
    status = 422


class IndicatorMissing(RefusalWithFacts):
    slug = "indicator-missing"
    status = 422


class IndicatorUnknown(RefusalWithFacts):
    slug = "indicator-unknown"
    status = 422


class AssessorScoredAlready(DomainRefusal):
    slug = "assessor-already-scored"


class TooFewSheets(DomainRefusal):
    slug = "too-few-sheets"


class ReasonRequired(DomainRefusal):
    """A grade other than the proposed one needs the committee's reason."""

    slug = "reason-required"
    status = 422


class AlreadyDecided(DomainRefusal):
    slug = "already-decided"


class NotDecided(DomainRefusal):
    slug = "not-decided"


class AlreadyPublished(DomainRefusal):
    slug = "already-published"


class NotPublished(DomainRefusal):
    slug = "not-published"


class PublicityRunning(DomainRefusal):
    """Confirming while the 公示 runs."""

    slug = "publicity-running"


class PublicityOver(DomainRefusal):
    """An objection after the 公示 ended."""

    slug = "publicity-over"


class ObjectionPending(DomainRefusal):
    slug = "objection-pending"


class ObjectionDecidedAlready(DomainRefusal):
    slug = "objection-already-decided"


class ReviewOverdue(DomainRefusal):
    """The 复核 decision comes after its deadline (15 days of the objection by default)."""

    slug = "review-overdue"


class AlreadyConfirmed(DomainRefusal):
    slug = "already-confirmed"


class RatingChangeNotFound(DomainRefusal):
    slug = "rating-change-not-found"
    status = 404


class RatingChangeDecidedAlready(DomainRefusal):
    slug = "rating-change-already-decided"


class WrongReactionStep(DomainRefusal):
    """Confirm or dismiss a 39号 proposal; close a 2026 核查评估 with a result."""

    slug = "wrong-reaction-step"


class ResultGradeInvalid(DomainRefusal):
    """A 核查评估 that downgrades names a grade below the one in force; other results none."""

    slug = "result-grade-invalid"
    status = 422


class InvalidShare(DomainRefusal):
    """跟踪评估: a share drawn that is not above 0 and at most 1."""

    slug = "invalid-share"
    status = 422


class FollowUpNotInRegime(DomainRefusal):
    """跟踪评估 comes with the 2026 revision: a day before it is under 39号."""

    slug = "follow-up-not-in-regime"
    status = 422


class FollowUpDrawnAlready(DomainRefusal):
    """One 跟踪评估 draw per authority and year: another seed or share is refused."""

    slug = "follow-up-drawn-already"


class FollowUpDrawNotFound(DomainRefusal):
    slug = "follow-up-draw-not-found"
    status = 404
