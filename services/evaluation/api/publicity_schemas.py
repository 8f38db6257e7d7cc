"""Bodies of the public 公示 board (XRead, XPage), with the examples the OpenAPI shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.evaluation.app.ports import Notice

NOTICE: dict[str, Any] = {
    "application_id": "5b1e6c3d2a7f48e9a0b1c2d3e4f5a6b7",
    "round_id": "0d1c2b3a4f5e46a7b8c9d0e1f2a3b4c5",
    "organization_id": "3f2b9c0a7d6e4f1a8b5c2d9e0f1a2b3c",
    "name": "宁波市软件行业协会",
    "credit_code": "51330200MJ9005328E",
    "registry_url": "https://registry.example.gov.cn/v1/organizations/by-credit-code/"
    "51330200MJ9005328E",
    "score": 940.0,
    "proposed_grade": "4A",
    "decided_grade": "4A",
    "decided_on": "2026-08-10",
    "published_on": "2026-08-11",
    "ends_on": "2026-08-25",
}


class NoticeRead(BaseModel):
    application_id: str
    round_id: str
    organization_id: str
    name: str
    credit_code: str | None
    registry_url: str | None = Field(description="the organization on the registry, by code")
    score: float | None
    proposed_grade: str | None = Field(description="as the round's thresholds give the score")
    decided_grade: str = Field(description="the 评估委员会's, or the 复核's if it changed it")
    decided_on: date
    published_on: date
    ends_on: date = Field(description="the last day of the 公示 (objections accepted until then)")

    @classmethod
    def of(cls, notice: Notice, registry_url: str) -> NoticeRead:
        code = notice.credit_code
        link = f"{registry_url}/v1/organizations/by-credit-code/{code}" if code else None
        fields = {k: v for k, v in vars(notice).items() if k != "authority"}
        return cls(**fields, registry_url=link)


class PublicityPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"authority": "330200", "on": "2026-08-12", "items": [NOTICE]}]
        }
    )

    authority: str
    on: date = Field(description="the day whose 公示 is shown")
    items: list[NoticeRead]
