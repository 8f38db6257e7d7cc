"""Bodies of the rounds API (XCreate / XRead / XPage), with the examples the OpenAPI shows."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.evaluation.api.application_schemas import READ_EXAMPLE as APPLICATION
from services.evaluation.api.application_schemas import ApplicationRead
from services.evaluation.app.views import RoundView
from services.evaluation.domain.record import Regime
from services.evaluation.domain.round import Round
from shared.contracts.evaluation import Aggregate
from shared.http.dates import IsoDate

PlaceCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
FileName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]

CREATE_EXAMPLE: dict[str, Any] = {
    "authority": "420100",
    "title": "武汉市2026年度市级社会组织等级评估",
    "opens_on": "2026-06-01",
    "closes_on": "2026-06-30",
    "framework": "default-v1",
    "thresholds": "anqing-2021",
    "assessors": 3,
}
READ_EXAMPLE: dict[str, Any] = {
    "round_id": "0d1c2b3a4f5e46a7b8c9d0e1f2a3b4c5",
    "authority": "420100",
    "title": "武汉市2026年度市级社会组织等级评估",
    "announced_on": "2026-05-20",
    "opens_on": "2026-06-01",
    "closes_on": "2026-06-30",
    "regime": "revision_2026",
    "framework": "default-v1",
    "thresholds": "anqing-2021",
    "aggregate": "mean",
    "assessors": 3,
    "publicity_days": 15,
    "review_days": 15,
    "status": "closed",
    "closed_on": "2026-07-01",
    "admitted": 1,
    "excluded": 1,
    "ineligible": [
        {
            "application_id": "5b1e6c3d2a7f48e9a0b1c2d3e4f5a6b7",
            "organization_id": "7a8b9c0d1e2f4a3b5c6d7e8f9a0b1c2d",
            "reasons": ["credit_listed: on the abnormal list (活动异常名录) since 2026-06-05"],
        }
    ],
    "version": 2,
    "as_of": None,
    "applications": [APPLICATION],
}


class RoundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [CREATE_EXAMPLE]})

    authority: PlaceCode = Field(description="the registration authority's place code")
    title: Title
    opens_on: IsoDate = Field(description="first day of the application window, not before today")
    closes_on: IsoDate = Field(description="last day of the application window")
    framework: FileName | None = Field(None, description="default: the locality's (settings)")
    thresholds: FileName | None = Field(None, description="default: the locality's (settings)")
    aggregate: Aggregate = Field("mean", description="mean, median or trimmed_mean of sheets")
    assessors: int = Field(1, ge=1, le=50, description="sheets needed before the decision")
    publicity_days: int | None = Field(None, ge=1, le=90, description="公示; default 15")
    review_days: int | None = Field(None, ge=1, le=90, description="复核 deadline; default 15")


class IneligibleRead(BaseModel):
    application_id: str
    organization_id: str
    reasons: list[str] = Field(description="every failing rule with its facts")


class RoundRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [READ_EXAMPLE]})

    round_id: str
    authority: str
    title: str
    announced_on: date
    opens_on: date
    closes_on: date
    regime: Regime = Field(description="of the round's date (opens_on): process and eligibility")
    framework: str
    thresholds: str
    aggregate: Aggregate
    assessors: int
    publicity_days: int
    review_days: int
    status: str = Field(description="open, or closed")
    closed_on: date | None = None
    admitted: int | None = Field(None, description="applications still eligible at the close")
    excluded: int | None = Field(None, description="applications found ineligible at the close")
    ineligible: list[IneligibleRead] | None = Field(
        None,
        description="on GET of one round and on its closure: the applications the close found "
        "ineligible, and why (each one's application_rechecked)",
    )
    version: int
    as_of: date | None = Field(None, description="the day this state is shown as of, if asked")
    applications: list[ApplicationRead] | None = Field(
        None, description="on GET of one round: every application, withdrawn ones included"
    )

    @classmethod
    def of(cls, r: Round, *, as_of: date | None = None) -> RoundRead:
        t, closed = r.terms, r.closed
        return cls(
            **t.model_dump(exclude={"round_id"}),
            round_id=r.round_id,
            status=r.status,
            closed_on=closed.closed_on if closed else None,
            admitted=closed.admitted if closed else None,
            excluded=closed.excluded if closed else None,
            version=r.version,
            as_of=as_of,
        )

    @classmethod
    def full(cls, v: RoundView, as_of: date | None) -> RoundRead:
        read = cls.closure(v, as_of)
        read.applications = [ApplicationRead.of(a) for a in v.applications]
        return read

    @classmethod
    def closure(cls, v: RoundView, as_of: date | None = None) -> RoundRead:
        """The round with the applications its close found ineligible (not every one)."""
        read = cls.of(v.round, as_of=as_of)
        if v.round.closed is not None:
            read.ineligible = [
                IneligibleRead(
                    application_id=a.application_id,
                    organization_id=a.organization_id,
                    reasons=a.recheck.reasons,
                )
                for a in (w.application for w in v.applications)
                if a.recheck is not None and not a.recheck.eligible
            ]
        return read


class RoundPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [{**READ_EXAMPLE, "applications": None}]}]}
    )

    items: list[RoundRead] = Field(description="the rounds the key's area covers")
