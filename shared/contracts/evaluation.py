"""Events the evaluation service publishes to EVALUATION: investigations, the grading workflow
of a round (评估批次) and its applications (docs/evaluation.md, Workflow), reactions, expiry and
跟踪评估 draws.

(Over 300 lines: one contract per evaluation event, all in the one module both sides import.)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.base import EventData, contract, upcaster
from shared.contracts.registry import Grade, RatingRegime

Aggregate = Literal["mean", "median", "trimmed_mean"]


@contract(
    "evaluation",
    "round_announced",
    2,
    "评估批次: a round announced by a registration authority",
    act_date="announced_on",
)
class RoundAnnounced(EventData):
    round_id: str
    authority: str = Field(description="the registration authority's place code (GB/T 2260)")
    title: str
    announced_on: date
    opens_on: date = Field(description="first day of the application window")
    closes_on: date = Field(description="last day of the application window")
    regime: RatingRegime = Field(description="the regime of the round's date (opens_on)")
    framework: str = Field(description="the indicator framework's file, e.g. default-v1")
    thresholds: str = Field(description="the grade thresholds' file, e.g. anqing-2021")
    aggregate: Aggregate = Field(description="how the assessors' sheets make one score")
    assessors: int = Field(description="sheets needed before the committee may decide")
    publicity_days: int = Field(description="公示 period, days, the publication day included")
    review_days: int = Field(description="days after an objection to record its 复核 decision")


@upcaster("evaluation", "round_announced", 1)
def _round_v1(data: dict[str, Any]) -> dict[str, Any]:
    """v1 named only the window: it was announced when it opened, on the defaults of the time."""
    from shared.rules.rating import regime_of  # the rules import the registry's contracts

    opens = date.fromisoformat(data["opens_on"])
    return {
        **data,
        "announced_on": data["opens_on"],
        "regime": regime_of(opens),
        "framework": "default-v1",
        "thresholds": "anqing-2021",
        "aggregate": "mean",
        "assessors": 1,
        "publicity_days": 15,
        "review_days": 15,
    }


@contract(
    "evaluation",
    "round_closed",
    2,
    "评估批次 closed: how many applications the re-check admitted and excluded (each "
    "application's own outcome is its application_rechecked, written with it)",
    act_date="closed_on",
)
class RoundClosed(EventData):
    round_id: str
    closed_on: date
    admitted: int = Field(description="applications still eligible on the closing day")
    excluded: int = Field(description="applications found ineligible on the closing day")


@upcaster("evaluation", "round_closed", 1)
def _closed_v1(data: dict[str, Any]) -> dict[str, Any]:
    """v1 listed every ineligible application and why in the round's one event, which outgrew
    the event size limit for large rounds; the reasons are on each application_rechecked."""
    rest = {k: v for k, v in data.items() if k != "ineligible"}
    return {**rest, "excluded": len(data.get("ineligible", []))}


@contract(
    "evaluation", "application_submitted", 1, "评估申请: found eligible", act_date="submitted_on"
)
class ApplicationSubmitted(EventData):
    application_id: str
    round_id: str
    organization_id: str
    submitted_on: date
    # Added compatibly (absent on events recorded before them):
    authority: str | None = Field(None, description="the round's registration authority")
    re_evaluation: bool = Field(False, description="the organization holds a grade in force")
    simplified_site_visit: bool = Field(
        False, description="2026 revision: a re-evaluation within 2 years of the grade's start"
    )


@contract("evaluation", "application_withdrawn", 1, "评估申请 withdrawn", act_date="withdrawn_on")
class ApplicationWithdrawn(EventData):
    application_id: str
    organization_id: str
    withdrawn_on: date
    reason: str | None = None


@contract(
    "evaluation",
    "application_rechecked",
    1,
    "eligibility checked again when the round closed",
    act_date="checked_on",
)
class ApplicationRechecked(EventData):
    application_id: str
    organization_id: str
    checked_on: date
    eligible: bool
    reasons: list[str] = Field(default_factory=list, description="every failing rule, facts")


@contract("evaluation", "assessment_scored", 1, "评分: one assessor's sheet", act_date="scored_on")
class AssessmentScored(EventData):
    application_id: str
    organization_id: str
    assessor: str
    scored_on: date
    scores: dict[str, float] = Field(description="indicator code → points")
    total: float


@contract("evaluation", "grade_decided", 1, "评估委员会: the grade decided", act_date="decided_on")
class GradeDecided(EventData):
    application_id: str
    organization_id: str
    grade: Grade | None
    score: float | None = None
    decided_on: date
    valid_until: date | None = None
    # Added compatibly:
    round_id: str | None = None
    proposed_grade: Grade | None = Field(None, description="as the thresholds give the score")
    reason: str | None = Field(None, description="why the grade differs from the proposal")


@contract("evaluation", "decision_published", 1, "公示 of the decision", act_date="published_on")
class DecisionPublished(EventData):
    application_id: str
    organization_id: str
    published_on: date
    ends_on: date = Field(description="last day of the 公示 (objections accepted until then)")


@contract("evaluation", "objection_lodged", 1, "复核申请 during 公示", act_date="lodged_on")
class ObjectionLodged(EventData):
    application_id: str
    organization_id: str
    objection_id: str
    lodged_on: date
    grounds: str
    due_on: date = Field(description="last day to record the 复核 decision")


@contract(
    "evaluation", "objection_decided", 1, "复核 decision on an objection", act_date="decided_on"
)
class ObjectionDecided(EventData):
    application_id: str
    organization_id: str
    objection_id: str
    decided_on: date
    grade: Grade | None = Field(None, description="the grade after 复核")
    reason: str
    decided_by: Literal["review_committee", "evaluation_committee"] = Field(
        description="复核委员会 under 39号; the 评估委员会 under the 2026 revision"
    )


@contract(
    "evaluation",
    "grade_confirmed",
    1,
    "the bureau confirms: the grade takes effect (what the registry's rating records)",
    act_date="announced_on",
)
class GradeConfirmed(EventData):
    application_id: str
    organization_id: str
    evaluation_id: str = Field(description="the registry's idempotency key for the rating")
    grade: Grade
    decided_on: date
    announced_on: date = Field(description="公告: the bureau's confirmation")
    regime: RatingRegime
    valid_from: date
    valid_until: date
    reason: str | None = None


@contract(
    "evaluation",
    "investigation_opened",
    1,
    "立案调查: a government department or judicial organ investigates the organization",
    act_date="opened_on",
)
class InvestigationOpened(EventData):
    organization_id: str
    investigation_id: str
    reference: str = Field(description="the case's reference (立案文号), as the bureau gives it")
    opened_on: date


@contract(
    "evaluation",
    "investigation_closed",
    1,
    "立案调查 closed: the investigation of the organization has ended",
    act_date="closed_on",
)
class InvestigationClosed(EventData):
    organization_id: str
    investigation_id: str
    closed_on: date


# Reactions to registry events and to time (39号 art. 30; the 2026 revision's 核查评估):
# docs/evaluation.md, Reactions.
RatingChange = Literal["downgrade", "cancellation"]
ReactionKind = Literal["proposal", "verification", "follow_up"]
VerificationResult = Literal["kept", "downgraded", "cancelled"]


class FollowUpTrace(BaseModel):
    """The 跟踪评估 draw that opened a follow_up case (follow-ups-<authority>-<year>), and the
    organization's place in it."""

    model_config = ConfigDict(frozen=True)

    authority: str = Field(description="the registration authority that drew")
    year: int = Field(description="the draw's year: one draw per authority and year")
    seed: int = Field(description="the draw's seed")
    rank: int = Field(description="1 for the lowest SHA-256 of '<seed>:<organization_id>'")


@contract(
    "evaluation",
    "rating_change_proposed",
    2,
    "a grade in question: 39号 art. 30's proposed downgrade or cancellation, a 核查评估 raised "
    "by a registry fact, or a 跟踪评估 case opened by a draw; with its rule and fact",
    act_date="raised_on",
)
class RatingChangeProposed(EventData):
    reaction_id: str
    organization_id: str
    kind: ReactionKind = Field(
        description="proposal (39号: the bureau confirms or dismisses), verification (2026 "
        "revision: 核查评估) or follow_up (2026 revision: 跟踪评估, opened by a draw); the "
        "bureau closes a verification or a follow_up with a result"
    )
    change: RatingChange | None = Field(
        None, description="the change a registry fact calls for; none for a follow_up"
    )
    rule: str = Field(
        description="the rule, e.g. inspection_unqualified, serious_credit_list, follow_up_draw"
    )
    fact: str = Field(description="the fact behind it, as the registry recorded it, or the draw")
    registry_event_id: str | None = Field(
        None, description="the registry event that raised it; none for a follow_up"
    )
    registry_event: str | None = Field(
        None, description="its type, e.g. inspection_concluded; none for a follow_up"
    )
    raised_on: date = Field(description="the registry fact's act date, or the day of the draw")
    grade: Grade = Field(description="the grade in force on that day (a draw: on its `on`)")
    proposed_grade: Grade | None = Field(None, description="one grade lower; none: no grade")
    decided_on: date = Field(description="the decision of the grade in force")
    valid_from: date | None = None
    valid_until: date | None = None
    follow_up: FollowUpTrace | None = Field(
        None, description="a follow_up's draw (authority, year, seed) and its rank in it"
    )


@upcaster("evaluation", "rating_change_proposed", 1)
def _proposed_v1(data: dict[str, Any]) -> dict[str, Any]:
    """v1 was raised by registry facts only: it has every field v2 made optional (change, the
    registry event) and no follow_up."""
    return data


@contract(
    "evaluation",
    "rating_change_decided",
    1,
    "the bureau's decision on a proposed change, or the result of a 核查评估",
    act_date="decided_on",
)
class RatingChangeDecided(EventData):
    reaction_id: str
    organization_id: str
    outcome: Literal["confirmed", "dismissed", "kept", "downgraded", "cancelled"]
    grade: Grade | None = Field(None, description="the grade after it (confirmed, downgraded)")
    changes_rating: bool = Field(description="whether the registry's rating changes")
    reason: str
    decided_on: date


@contract(
    "evaluation",
    "grade_expired",
    1,
    "a grade's validity ended with no new decision (both regimes)",
    act_date="expired_on",
)
class GradeExpired(EventData):
    organization_id: str
    grade: Grade
    decided_on: date = Field(description="the decision of the grade that expired")
    valid_until: date
    expired_on: date = Field(description="the day after its last valid day")


@contract(
    "evaluation",
    "follow_up_drawn",
    2,
    "跟踪评估 (2026 revision): organizations holding 4A or above drawn at random, seeded, for a "
    "follow-up evaluation; how many (each drawn organization's case is its own "
    "rating_change_proposed, kind follow_up, written with it)",
    act_date="drawn_on",
)
class FollowUpDrawn(EventData):
    authority: str = Field(description="the registration authority whose organizations are drawn")
    year: int = Field(description="one draw per authority and year (the year of `on`)")
    on: date = Field(description="the day whose grades in force made the candidates")
    drawn_on: date
    seed: int = Field(description="the seed: the draw is recomputed from it and the candidates")
    share: Decimal = Field(description="the share drawn, above 0 and at most 1")
    candidates: int = Field(description="organizations of the authority holding 4A or 5A on `on`")
    method: str = Field(
        "sha256-rank",
        description="sha256-rank: candidates ranked by SHA-256 hex of '<seed>:<organization_id>', "
        "ascending; the first ceil(share x candidates) drawn",
    )
    picked: int = Field(description="how many were drawn: ceil(share x candidates)")


@upcaster("evaluation", "follow_up_drawn", 1)
def _drawn_v1(data: dict[str, Any]) -> dict[str, Any]:
    """v1 listed every organization drawn in the draw's one event, which outgrew the event size
    limit at about 4,000 drawn; v2 counts them, each drawn organization being its own case.
    The list stays in the stored v1 event (never rewritten)."""
    rest = {k: v for k, v in data.items() if k != "drawn"}
    return {**rest, "picked": len(data.get("drawn", []))}
