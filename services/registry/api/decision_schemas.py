"""Bodies of the commands on one organization: reports, inspections, decisions, rating, history."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.registry.app.types import (
    ActDate,
    Figures,
    LongText,
    ShortText,
    Staff,
    Year,
)
from shared.contracts.registry import Grade


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


class AnnualReportCreate(Strict):
    model_config = _example(
        year=2024, submitted_on="2025-03-20", staff_employed=12, figures={"income_yuan": 350000}
    )

    year: Year = Field(description="the year reported on; it must have ended")
    submitted_on: ActDate | None = Field(None, description="default today")
    staff_employed: Staff | None = None
    figures: Figures = Field(
        default_factory=dict, description="named amounts, at most 500 (名称 up to 100 characters)"
    )


class InspectionCreate(Strict):
    model_config = _example(year=2024, conclusion="合格", concluded_on="2025-06-30")

    year: Year
    conclusion: Literal[
        "合格", "基本合格", "不合格", "qualified", "basically_qualified", "unqualified"
    ]
    concluded_on: ActDate | None = Field(None, description="default today")


class CharityRecognitionCreate(Strict):
    model_config = _example(recognised_on="2024-09-05")

    recognised_on: ActDate | None = Field(None, description="default today")


class RevocationCreate(Strict):
    model_config = _example(revoked_on="2024-11-01", reason="连续两年未参加年检")

    revoked_on: ActDate | None = Field(None, description="default today")
    reason: LongText


class DeregistrationCreate(Strict):
    model_config = _example(deregistered_on="2025-02-01", reason="自行解散，清算完毕")

    deregistered_on: ActDate | None = Field(None, description="default today")
    reason: LongText


class FilingCancellationCreate(Strict):
    model_config = _example(how="注销备案", cancelled_on="2025-02-01", reason="自行解散")

    how: Literal["注销备案", "撤销备案", "deregistration", "revocation"] = Field(
        description="注销备案 on the organization's application, 撤销备案 by the authority"
    )
    cancelled_on: ActDate | None = Field(None, description="default today")
    reason: LongText


class DisposalCreate(Strict):
    model_config = _example(ordered_on="2025-07-01", due_on="2025-10-01", reason="未按时年报")

    ordered_on: ActDate | None = Field(None, description="default today")
    due_on: ActDate = Field(description="the day the rectification is due")
    reason: LongText


class RatingUpdate(Strict):
    model_config = _example(
        grade="4A", decided_on="2024-12-20", valid_until="2029-12-19", evaluation_id="round-2024-7"
    )

    grade: Grade | None = Field(description="1A–5A, or null when the grade is cancelled")
    decided_on: ActDate | None = Field(
        None, description="default today; chooses the regime (the 2026 revision from 2026-03-01)"
    )
    announced_on: ActDate | None = Field(None, description="公告 date; default decided_on")
    valid_from: ActDate | None = Field(None, description="default: as the regime gives it")
    valid_until: ActDate | None = Field(None, description="default: as the regime gives it")
    evaluation_id: ShortText | None = Field(
        None, description="a repeat with the same evaluation and grade answers 200, unchanged"
    )
    reason: LongText | None = None
    override_reason: LongText | None = Field(
        None,
        description="why a validity the regime would not give, or a grade within two years "
        "of registration, is recorded",
    )


class EventRead(BaseModel):
    position: int
    version: int
    type: str
    schema_version: int
    occurred_at: datetime = Field(description="00:00 Asia/Shanghai of the act's date")
    recorded_at: datetime
    data: dict[str, Any]
    client: str = Field(description="the client that caused it")
    actor: str | None = None
    correlation_id: str | None = None


class HistoryRead(BaseModel):
    organization_id: str
    items: list[EventRead]
