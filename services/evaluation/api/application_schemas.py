"""Bodies of the applications API: submission and each later step (XCreate), the application
as it stands (XRead), with the examples the OpenAPI shows."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.evaluation.app.views import ApplicationView
from services.evaluation.domain.application import Objection
from services.evaluation.domain.thresholds import Grade
from shared.contracts.evaluation import GradeConfirmed

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
APP, ORG = "5b1e6c3d2a7f48e9a0b1c2d3e4f5a6b7", "3f2b9c0a7d6e4f1a8b5c2d9e0f1a2b3c"
CONFIRMED: dict[str, Any] = {
    "application_id": APP,
    "organization_id": ORG,
    "evaluation_id": APP,
    "grade": "4A",
    "decided_on": "2026-08-10",
    "announced_on": "2026-08-26",
    "regime": "revision_2026",
    "valid_from": "2027-01-01",
    "valid_until": "2031-12-31",
    "reason": None,
}
READ_EXAMPLE: dict[str, Any] = {
    "application_id": APP,
    "round_id": "0d1c2b3a4f5e46a7b8c9d0e1f2a3b4c5",
    "organization_id": ORG,
    "status": "confirmed",
    "submitted_on": "2026-06-10",
    "re_evaluation": False,
    "simplified_site_visit": False,
    "withdrawn_on": None,
    "eligible_at_close": True,
    "reasons_at_close": [],
    "sheets": [
        {"assessor": "专家甲", "scored_on": "2026-07-20", "total": 912.0},
        {"assessor": "专家乙", "scored_on": "2026-07-21", "total": 924.0},
    ],
    "score": 918.0,
    "proposed_grade": "4A",
    "decided_grade": "4A",
    "decided_on": "2026-08-10",
    "decision_reason": None,
    "published_on": "2026-08-11",
    "publicity_ends_on": "2026-08-25",
    "objections": [],
    "grade": "4A",
    "confirmation": CONFIRMED,
    "registry_state": "sent",
    "recorded_on": "2026-08-26",
    "version": 7,
}


def _example(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


class ApplicationCreate(BaseModel):
    model_config = _example({"organization_id": ORG, "simplified_site_visit": False})

    organization_id: Name
    simplified_site_visit: bool = Field(
        False, description="2026 revision: a re-evaluation within 2 years of the grade's start"
    )


class Withdrawal(BaseModel):
    model_config = _example({"reason": "机构调整, 下一批次再申请"})

    reason: Text | None = None


class SheetCreate(BaseModel):
    model_config = _example({"assessor": "专家甲", "scores": {"A1": 28, "A2": 36, "B1": 75}})

    assessor: Name = Field(description="the assessor (评估专家); one sheet each")
    scores: dict[str, float] = Field(description="every indicator of the framework → points")


class DecisionCreate(BaseModel):
    model_config = _example({"grade": "4A", "reason": None})

    grade: Grade
    reason: Text | None = Field(None, description="required when it differs from the proposal")


class Empty(BaseModel):
    model_config = _example({})


class ObjectionCreate(BaseModel):
    model_config = _example({"grounds": "工作绩效得分未计入2025年度获奖项目"})

    grounds: Text = Field(description="复核申请: what the organization objects to")


class ReviewCreate(BaseModel):
    model_config = _example({"grade": None, "reason": "复核维持原评估等级"})

    grade: Grade | None = Field(None, description="the grade after 复核; none: it stands")
    reason: Text


class SheetRead(BaseModel):
    assessor: str
    scored_on: date
    total: float


class ObjectionRead(BaseModel):
    objection_id: str
    lodged_on: date
    grounds: str
    due_on: date = Field(description="last day to record its 复核 decision")
    decided_on: date | None = None
    grade: Grade | None = None
    reason: str | None = None
    decided_by: str | None = Field(None, description="review_committee or evaluation_committee")


class ApplicationRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [READ_EXAMPLE]})

    application_id: str
    round_id: str
    organization_id: str
    status: str = Field(
        description="submitted, withdrawn, excluded, admitted, decided, published, confirmed"
    )
    submitted_on: date
    re_evaluation: bool
    simplified_site_visit: bool
    withdrawn_on: date | None = None
    eligible_at_close: bool | None = Field(None, description="none: the round is open")
    reasons_at_close: list[str] = Field(default_factory=list)
    sheets: list[SheetRead]
    score: float | None = Field(None, description="the round's aggregate of the sheets")
    proposed_grade: Grade | None = Field(None, description="as the thresholds give the score")
    decided_grade: Grade | None = None
    decided_on: date | None = None
    decision_reason: str | None = None
    published_on: date | None = None
    publicity_ends_on: date | None = None
    objections: list[ObjectionRead]
    grade: Grade | None = Field(None, description="decided, or as the last 复核 changed it")
    confirmation: dict[str, Any] | None = Field(
        None, description="what the registry's PUT …/rating records (grade_confirmed)"
    )
    registry_state: str | None = Field(
        None,
        description="the confirmed grade's record for the registry: pending, sent or parked "
        "(GET /v1/registry-records); shown on the current state only",
    )
    recorded_on: date | None = Field(
        None, description="the day the registry's rating_changed for it was seen on REGISTRY"
    )
    version: int

    @classmethod
    def of(cls, v: ApplicationView) -> ApplicationRead:
        a = v.application
        s, d, p, w, r = a.submitted, a.decision, a.publication, a.withdrawn, a.recheck
        return cls(
            application_id=a.application_id,
            round_id=s.round_id,
            organization_id=a.organization_id,
            status=a.status,
            submitted_on=s.submitted_on,
            re_evaluation=s.re_evaluation,
            simplified_site_visit=s.simplified_site_visit,
            withdrawn_on=w.withdrawn_on if w else None,
            eligible_at_close=r.eligible if r else None,
            reasons_at_close=r.reasons if r else [],
            sheets=[SheetRead(assessor=x.assessor, scored_on=x.scored_on, total=x.total)
                    for x in a.sheets],
            score=v.score,
            proposed_grade=v.proposed_grade,
            decided_grade=d.grade if d else None,
            decided_on=d.decided_on if d else None,
            decision_reason=d.reason if d else None,
            published_on=p.published_on if p else None,
            publicity_ends_on=p.ends_on if p else None,
            objections=[_objection(o) for o in a.objections.values()],
            grade=a.grade,
            confirmation=_confirmed(a.confirmation),
            registry_state=v.registry.state if v.registry else None,
            recorded_on=v.registry.recorded_on if v.registry else None,
            version=a.version,
        )  # fmt: skip


def _objection(o: Objection) -> ObjectionRead:
    lodged, decided = o.lodged, o.decided
    return ObjectionRead(
        objection_id=lodged.objection_id,
        lodged_on=lodged.lodged_on,
        grounds=lodged.grounds,
        due_on=lodged.due_on,
        decided_on=decided.decided_on if decided else None,
        grade=decided.grade if decided else None,
        reason=decided.reason if decided else None,
        decided_by=decided.decided_by if decided else None,
    )


def _confirmed(c: GradeConfirmed | None) -> dict[str, Any] | None:
    return None if c is None else c.model_dump(mode="json", exclude_none=True)


class OverdueRead(BaseModel):
    objection_id: str
    application_id: str
    round_id: str
    authority: str
    lodged_on: date
    due_on: date


class OverduePage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "objection_id": "e4d3c2b1a0f94e8d7c6b5a4f3e2d1c0b",
                            "application_id": APP,
                            "round_id": "0d1c2b3a4f5e46a7b8c9d0e1f2a3b4c5",
                            "authority": "420100",
                            "lodged_on": "2026-08-15",
                            "due_on": "2026-08-30",
                        }
                    ]
                }
            ]
        }
    )

    items: list[OverdueRead] = Field(description="oldest deadline first")
