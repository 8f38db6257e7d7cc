"""A rating to record on the registry (its `PUT …/rating` body), and what the registry's
answer means for it: recorded, tried again after a back-off, or parked for a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from shared.contracts.evaluation import GradeConfirmed
from shared.contracts.registry import Grade

Outcome = Literal["sent", "retry", "parked"]
# Statuses that say "not now" rather than "not this": the registry is busy or timed out.
TRANSIENT = frozenset({408, 425, 429})


@dataclass(frozen=True)
class RatingToRecord:
    """One rating change the registry must hold exactly once, keyed by `evaluation_id` (the
    registry's idempotency key: a retry of a rating it holds answers 200, unchanged)."""

    evaluation_id: str
    organization_id: str
    source: str  # the evaluation event that decided it, e.g. grade_confirmed
    grade: Grade | None
    decided_on: date
    announced_on: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    reason: str | None = None
    application_id: str | None = None
    override_reason: str | None = None  # a validity the regime of decided_on would not give

    def body(self) -> dict[str, Any]:
        """The registry's RatingUpdate, as JSON."""
        out: dict[str, Any] = {
            "grade": self.grade,
            "decided_on": self.decided_on.isoformat(),
            "evaluation_id": self.evaluation_id,
        }
        for name in ("announced_on", "valid_from", "valid_until"):
            if (day := getattr(self, name)) is not None:
                out[name] = day.isoformat()
        if self.reason:
            out["reason"] = self.reason
        if self.override_reason:
            out["override_reason"] = self.override_reason
        return out


def from_confirmation(event: GradeConfirmed) -> RatingToRecord:
    """The grade the bureau confirmed, with the validity its regime gives."""
    return RatingToRecord(
        evaluation_id=event.evaluation_id,
        organization_id=event.organization_id,
        source="grade_confirmed",
        grade=event.grade,
        decided_on=event.decided_on,
        announced_on=event.announced_on,
        valid_from=event.valid_from,
        valid_until=event.valid_until,
        reason=event.reason,
        application_id=event.application_id,
    )


def outcome(status: int | None) -> Outcome:
    """2xx: the registry holds it (a repeat answers 200 too). No answer, 5xx, or a
    busy/timeout 4xx: try again. Any other 4xx is a refusal no retry can change: parked."""
    if status is None or status >= 500 or status in TRANSIENT:
        return "retry"
    if 200 <= status < 300:
        return "sent"
    return "parked"


def retry_delay(attempts: int, *, initial: float, longest: float) -> float:
    """Seconds before the next try after `attempts` failed ones: doubling from `initial`,
    never more than `longest` (the registry may be down for hours: keep trying)."""
    doublings = max(0, min(attempts - 1, 30))
    return min(longest, initial * float(1 << doublings))
