"""Bodies of the rating-changes API (reactions to registry facts) and of expiry scans, with
the examples the OpenAPI shows."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.evaluation.api.application_schemas import Text
from services.evaluation.domain.thresholds import Grade
from shared.contracts.evaluation import VerificationResult
from shared.http.dates import IsoDate

State = Literal["open", "confirmed", "dismissed", "kept", "downgraded", "cancelled"]
EXAMPLE: dict[str, Any] = {
    "reaction_id": "9c8b7a6f5e4d43c2b1a0f9e8d7c6b5a4",
    "organization_id": "3f2b9c0a7d6e4f1a8b5c2d9e0f1a2b3c",
    "division": "420106",
    "kind": "proposal",
    "change": "downgrade",
    "rule": "inspection_unqualified",
    "fact": "2024 inspection 不合格, concluded on 2025-06-30",
    "registry_event_id": "0f1e2d3c-4b5a-4968-8776-655443322110",
    "registry_event": "inspection_concluded",
    "raised_on": "2025-06-30",
    "grade": "4A",
    "proposed_grade": "3A",
    "state": "confirmed",
    "decided_grade": "3A",
    "decided_on": "2025-07-15",
    "reason": "年检不合格，依39号令第三十条降低一个等级",
    "version": 2,
}


class Decision(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "年检不合格，依第三十条降级"}]}
    )

    reason: Text


class Closure(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"result": "downgraded", "grade": "3A", "reason": "核查评估: 降为3A"}]
        },
    )

    result: VerificationResult = Field(description="kept, downgraded (name the grade), cancelled")
    grade: Grade | None = Field(None, description="the lower grade, for downgraded only")
    reason: Text


class RatingChangeRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    reaction_id: str
    organization_id: str
    division: str
    kind: str = Field(description="proposal (39号 art. 30) or verification (2026: 核查评估)")
    change: str = Field(description="downgrade or cancellation")
    rule: str
    fact: str
    registry_event_id: str
    registry_event: str
    raised_on: date = Field(description="the registry fact's act date")
    grade: str = Field(description="the grade in force then")
    proposed_grade: str | None = None
    state: State
    decided_grade: str | None = None
    decided_on: date | None = None
    reason: str | None = None
    version: int


class RatingChangePage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [EXAMPLE]}]})

    items: list[RatingChangeRead] = Field(description="oldest fact first")


class ExpiryScanCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"on": "2027-01-01"}]}
    )

    on: IsoDate | None = Field(None, description="the day judged; default today")


class ExpiryScanRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"on": "2027-01-01", "expired": 3}]})

    on: date
    expired: int = Field(description="grades recorded as expired by this scan (grade_expired)")
