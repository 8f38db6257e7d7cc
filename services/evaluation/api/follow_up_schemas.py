"""Bodies of the 跟踪评估 draws API (XCreate / XRead), with the examples the OpenAPI shows."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.evaluation.app.follow_ups import DrawView
from shared.contracts.evaluation import FollowUpDrawn
from shared.http.dates import IsoDate

PlaceCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]

CREATE_EXAMPLE: dict[str, Any] = {
    "authority": "420100",
    "on": "2026-09-01",
    "share": 0.1,
    "seed": 20260901,
}
READ_EXAMPLE: dict[str, Any] = {
    "authority": "420100",
    "year": 2026,
    "on": "2026-09-01",
    "drawn_on": "2026-09-01",
    "seed": 20260901,
    "share": 0.1,
    "candidates": 12,
    "method": "sha256-rank",
    "picked": 2,
    "drawn": [
        {
            "rank": 1,
            "organization_id": "7a8b9c0d1e2f4a3b5c6d7e8f9a0b1c2d",
            "grade": "5A",
            "decided_on": "2024-11-20",
            "reaction_id": "4e5f6a7b8c9d4e0fa1b2c3d4e5f6a7b8",
            "state": "downgraded",
            "decided_grade": "4A",
        },
        {
            "rank": 2,
            "organization_id": "0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5",
            "grade": "4A",
            "decided_on": "2023-12-05",
            "reaction_id": "9f8e7d6c5b4a43f2e1d0c9b8a7f6e5d4",
            "state": "open",
        },
    ],
}


class FollowUpDrawCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [CREATE_EXAMPLE]})

    authority: PlaceCode = Field(description="the registration authority whose organizations")
    on: IsoDate | None = Field(
        None, description="the day whose grades in force count (default today; not after it)"
    )
    share: float | None = Field(
        None,
        gt=0,
        le=1,
        description="share of the candidates drawn, rounded up (default: the locality's); "
        "recorded exactly as written, e.g. 0.1",
    )
    seed: int | None = Field(
        None, ge=0, lt=2**63, description="the draw's seed (default: a random one, recorded)"
    )


class FollowUpPickRead(BaseModel):
    """An organization drawn, and its follow_up case as it stands."""

    rank: int = Field(description="1 for the lowest SHA-256 of '<seed>:<organization_id>'")
    organization_id: str
    grade: str = Field(description="the grade it held on the day judged (4A or 5A)")
    decided_on: date | None = Field(None, description="the decision of that grade")
    reaction_id: str | None = Field(
        None,
        description="its follow_up case (/v1/rating-changes/{reaction_id}, closed with the "
        "result); none for a draw recorded before the cases (schema 1)",
    )
    state: str | None = Field(None, description="the case's state: open, kept, downgraded, …")
    decided_grade: str | None = Field(None, description="the grade after a downgrade")


class FollowUpDrawRead(FollowUpDrawn):
    """The draw as its follow_up_drawn event records it, with the organizations drawn."""

    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [READ_EXAMPLE]})

    share: float = Field(description="the share drawn, above 0 and at most 1")  # type: ignore[assignment]
    drawn: list[FollowUpPickRead] = Field(description="in the order of their rank")

    @classmethod
    def of(cls, view: DrawView) -> FollowUpDrawRead:
        return cls(
            **view.event.model_dump(),
            drawn=[FollowUpPickRead(**vars(p)) for p in view.picks],
        )
