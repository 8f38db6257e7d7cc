"""Which registry facts put a grade in question (DOMAIN.md, Rating, Downgrade/cancel): one
named rule each, judged on the fact's act date against the grade in force that day.

39号 art. 30: an inspection 不合格 or not taken part in (the registry lists the organization
for a report not filed), two consecutive 基本合格, an administrative penalty → a downgrade by
one grade; 撤销, 吊销 or the serious credit list → cancellation. Under 39号 (facts before
2026-03-01) the bureau confirms or dismisses the proposal; under the 2026 revision the same
facts open a 核查评估 that the bureau closes with a result. 注销 voids the grade on the registry
itself: nothing is raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.evaluation.domain.record import Rating, Record
from services.evaluation.domain.rule import Context
from services.evaluation.domain.standing import held_grade
from services.evaluation.domain.thresholds import Grade
from shared.contracts import registry as r
from shared.contracts.evaluation import RatingChange, ReactionKind
from shared.rules.rating import regime_of

GRADES: tuple[Grade, ...] = ("1A", "2A", "3A", "4A", "5A")


@dataclass(frozen=True)
class Trigger:
    """A fact that puts the grade in question, under a named rule."""

    rule: str
    change: RatingChange
    fact: str
    on: date


@dataclass(frozen=True)
class Reaction:
    """What the service raises: the trigger, the grade it concerns, the step the regime gives."""

    trigger: Trigger
    kind: ReactionKind
    held: Rating
    proposed_grade: Grade | None


def one_lower(grade: Grade) -> Grade | None:
    """The grade one step down; below 1A there is none."""
    i = GRADES.index(grade)
    return GRADES[i - 1] if i > 0 else None


def trigger_of(event: Any, record: Record) -> Trigger | None:
    """The rule a registry fact meets, if any (`record` already holds the fact)."""
    match event:
        case r.InspectionConcluded(conclusion="unqualified"):
            fact = f"{event.year} inspection 不合格, concluded on {event.concluded_on}"
            return Trigger("inspection_unqualified", "downgrade", fact, event.concluded_on)
        case r.InspectionConcluded(conclusion="basically_qualified"):
            before = record.inspections.get(event.year - 1)
            if before is None or before.conclusion != "basically_qualified":
                return None
            fact = f"{event.year - 1} and {event.year} inspections 基本合格"
            return Trigger("basically_qualified_twice", "downgrade", fact, event.concluded_on)
        case r.CreditListed(list="abnormal", trigger="report_not_filed"):
            fact = f"listed on {event.listed_on} for a report not filed ({event.basis or '年报'})"
            return Trigger("inspection_missed", "downgrade", fact, event.listed_on)
        case r.CreditListed(list="serious"):
            fact = (
                f"on the serious list (严重违法失信名单) since {event.listed_on} ({event.trigger})"
            )
            return Trigger("serious_credit_list", "cancellation", fact, event.listed_on)
        case r.PenaltyImposed():
            fact = f"行政处罚 {event.decision_number} ({event.penalty}) of {event.decided_on}"
            return Trigger("penalty", "downgrade", fact, event.decided_on)
        case r.RegistrationRevoked():
            fact = f"撤销登记 on {event.revoked_on}: {event.reason}"
            return Trigger("registration_revoked", "cancellation", fact, event.revoked_on)
        case r.CertificateRevoked():
            fact = f"吊销登记证书 on {event.revoked_on}: {event.reason}"
            return Trigger("certificate_revoked", "cancellation", fact, event.revoked_on)
    return None


def reaction_to(event: Any, record: Record) -> Reaction | None:
    """The reaction a registry fact raises: none unless a rule is met and a grade is in force
    on the fact's day (the ratings decide it: an end on that day is the fact itself)."""
    trigger = trigger_of(event, record)
    if trigger is None:
        return None
    held = held_grade(Context(record, trigger.on))
    if held is None or held.grade is None:
        return None
    kind: ReactionKind = "proposal" if regime_of(trigger.on) == "mca_order_39" else "verification"
    proposed = one_lower(_grade(held.grade)) if trigger.change == "downgrade" else None
    return Reaction(trigger, kind, held, proposed)


def _grade(text: str) -> Grade:
    for g in GRADES:
        if g == text:
            return g
    raise ValueError(f"not a grade: {text!r}")
