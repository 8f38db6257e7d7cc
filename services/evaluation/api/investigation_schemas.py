"""Bodies of the investigations API (XCreate / XRead / XPage), with their OpenAPI examples."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.evaluation.domain.record import Investigation
from shared.http.dates import IsoDate

Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
READ_EXAMPLE: dict[str, Any] = {
    "investigation_id": "9c1f4e2a6b7d4c3e8f0a1b2c3d4e5f60",
    "organization_id": "3f2b9c0a7d6e4f1a8b5c2d9e0f1a2b3c",
    "reference": "武公立〔2026〕7号",
    "opened_on": "2026-05-10",
    "closed_on": None,
}


class InvestigationCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reference": "武公立〔2026〕7号", "opened_on": "2026-05-10"}]
        },
    )

    reference: Reference = Field(description="the case's reference (立案文号)")
    opened_on: IsoDate | None = Field(None, description="立案 date; default today, never later")


class InvestigationClosure(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"closed_on": "2026-09-30"}]}
    )

    closed_on: IsoDate | None = Field(None, description="default today; not before it opened")


class InvestigationRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [READ_EXAMPLE]})

    investigation_id: str
    organization_id: str
    reference: str
    opened_on: date
    closed_on: date | None = Field(None, description="none: in progress")

    @classmethod
    def of(cls, organization_id: str, i: Investigation) -> InvestigationRead:
        return cls(organization_id=organization_id, **vars(i))


class InvestigationPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [READ_EXAMPLE]}]})

    items: list[InvestigationRead] = Field(description="oldest first")
