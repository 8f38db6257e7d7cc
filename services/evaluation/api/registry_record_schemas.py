"""Bodies of the registry-records API: a rating to record on the registry as it stands
(XRead) and a page of them, with the examples the OpenAPI shows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

State = Literal["pending", "sent", "parked"]
EXAMPLE: dict[str, Any] = {
    "evaluation_id": "5b1e6c3d2a7f48e9a0b1c2d3e4f5a6b7",
    "organization_id": "3f2b9c0a7d6e4f1a8b5c2d9e0f1a2b3c",
    "application_id": "5b1e6c3d2a7f48e9a0b1c2d3e4f5a6b7",
    "division": "420100",
    "source": "grade_confirmed",
    "body": {
        "grade": "4A",
        "decided_on": "2026-08-10",
        "announced_on": "2026-08-26",
        "valid_from": "2027-01-01",
        "valid_until": "2031-12-31",
        "evaluation_id": "5b1e6c3d2a7f48e9a0b1c2d3e4f5a6b7",
    },
    "state": "parked",
    "attempts": 1,
    "next_attempt_at": None,
    "last_status": 409,
    "last_error": None,
    "problem": {
        "type": "urn:socorg:problem:evaluation-already-recorded",
        "title": "Evaluation already recorded",
        "status": 409,
        "detail": "evaluation 5b1e… is recorded with grade 3A",
    },
    "created_at": "2026-08-26T02:00:00Z",
    "sent_at": None,
    "recorded_on": None,
}


class RegistryRecordRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    evaluation_id: str = Field(description="the registry's idempotency key for the rating")
    organization_id: str
    application_id: str | None = None
    division: str = Field(description="the round's authority, or the organization's county")
    source: str = Field(description="the evaluation event that decided it")
    body: dict[str, Any] = Field(description="the PUT /v1/organizations/{id}/rating body")
    state: State = Field(description="pending (being tried), sent (the registry holds it), parked")
    attempts: int
    next_attempt_at: datetime | None = None
    last_status: int | None = Field(None, description="the registry's last status; none: no answer")
    last_error: str | None = Field(None, description="why there was no answer")
    problem: dict[str, Any] | None = Field(None, description="the registry's problem+json")
    created_at: datetime
    sent_at: datetime | None = None
    recorded_on: date | None = Field(
        None, description="the day the registry's rating_changed was seen on REGISTRY"
    )


class RegistryRecordPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [EXAMPLE]}]})

    items: list[RegistryRecordRead] = Field(description="oldest first")
