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
Kind = Literal["proposal", "verification", "follow_up"]
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
FOLLOW_UP_EXAMPLE: dict[str, Any] = {
    "reaction_id": "4e5f6a7b8c9d4e0fa1b2c3d4e5f6a7b8",
    "organization_id": "7a8b9c0d1e2f4a3b5c6d7e8f9a0b1c2d",
    "division": "420100",
    "kind": "follow_up",
    "rule": "follow_up_draw",
    "fact": "跟踪评估 draw of 420100 for 2026 (seed 20260901, share 0.1): rank 1 of 2 drawn "
    "among 12 holding 4A or 5A on 2026-09-01",
    "raised_on": "2026-09-01",
    "grade": "5A",
    "state": "downgraded",
    "decided_grade": "4A",
    "decided_on": "2026-11-10",
    "reason": "跟踪评估: 内部治理不达标，降为4A",
    "version": 2,
    "follow_up": {"authority": "420100", "year": 2026, "seed": 20260901, "rank": 1},
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


class FollowUpRead(BaseModel):
    """The 跟踪评估 draw that opened a follow_up case (authority, year, seed), and the case's
    rank in it."""

    authority: str
    year: int
    seed: int
    rank: int = Field(description="1 for the lowest SHA-256 of '<seed>:<organization_id>'")


class RatingChangeRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE, FOLLOW_UP_EXAMPLE]})

    reaction_id: str
    organization_id: str
    division: str
    kind: Kind = Field(
        description="proposal (39号 art. 30), verification (2026: 核查评估) or follow_up "
        "(2026: 跟踪评估, opened by a draw)"
    )
    change: str | None = Field(None, description="downgrade or cancellation; none for a follow_up")
    rule: str
    fact: str
    registry_event_id: str | None = Field(None, description="none for a follow_up")
    registry_event: str | None = Field(None, description="none for a follow_up")
    raised_on: date = Field(description="the registry fact's act date, or the day of the draw")
    grade: str = Field(description="the grade in force then")
    proposed_grade: str | None = None
    state: State
    decided_grade: str | None = None
    decided_on: date | None = None
    reason: str | None = None
    version: int
    follow_up: FollowUpRead | None = Field(
        None,
        description="a follow_up's draw (GET /v1/follow-up-draws/{authority}/{year}), its seed, "
        "and the case's rank",
    )

    @classmethod
    def of(cls, row: dict[str, Any]) -> RatingChangeRead:
        fields = {k: v for k, v in row.items() if k in cls.model_fields}
        if row.get("draw"):
            authority, year = str(row["draw"]).split("-")
            fields["follow_up"] = FollowUpRead(
                authority=authority, year=int(year), seed=row["seed"], rank=row["rank"]
            )
        return cls(**fields)


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
