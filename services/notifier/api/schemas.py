"""Bodies of the notifier API (XRead / XPage), with the examples the OpenAPI shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.notifier.app.day_scan import FIRST_DAY, LAST_DAY
from services.notifier.app.queries import Candidate

EXAMPLE_CANDIDATE: dict[str, Any] = {
    "organization_id": "org-0001",
    "name": "武昌区软件行业协会",
    "kind": "social_group",
    "division": "420106",
    "domicile": "420106001",
    "flag": "zombie",
    "active": True,
    "flagged_on": "2025-06-01",
    "as_of": "2025-06-01",
    "candidate_since": "2025-06-01",
    "missed": [
        {"year": 2023, "deadline": "2024-05-31", "review_deadline": None},
        {"year": 2024, "deadline": "2025-05-31", "review_deadline": None},
    ],
    "cleared_on": None,
    "cleared_reason": None,
    "disposal": {
        "kind": "限期整改",
        "on": "2025-07-01",
        "due_on": "2025-09-30",
        "completed_on": None,
        "reason": "连续两年未参加年检",
    },
}


class MissedYearRead(BaseModel):
    year: int
    deadline: date = Field(description="the last day to report to the registration authority")
    review_deadline: date | None = Field(
        None, description="the 业务主管单位's first review, for organizations that have one"
    )


class DisposalRead(BaseModel):
    kind: str = Field(
        description="限期整改, 撤销登记, 吊销登记证书 or 注销登记; for a community organization "
        "撤销备案 or 注销备案"
    )
    on: date
    due_on: date | None = Field(None, description="限期整改: the day it must be rectified by")
    completed_on: date | None = Field(None, description="限期整改: the day it was completed")
    reason: str | None = None


class CandidateRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_CANDIDATE]})

    organization_id: str
    name: str
    kind: str
    division: str = Field(description="county (GB/T 2260) of the domicile")
    domicile: str
    flag: str = Field(
        description="zombie, or a further signal (no_report_since_registration, "
        "unreachable_at_address)"
    )
    active: bool = Field(description="still flagged (false: cleared)")
    flagged_on: date = Field(description="the day of the scan that raised the flag")
    as_of: date = Field(description="the day of the flag's latest event")
    candidate_since: date | None = Field(
        None, description="the day the N-th consecutive missed year passed its deadline"
    )
    missed: list[MissedYearRead] = Field(description="the consecutive missed years, oldest first")
    cleared_on: date | None = None
    cleared_reason: str | None = Field(
        None, description="late_report, ended, delisted (the unreachable signal) or not_a_candidate"
    )
    disposal: DisposalRead | None = Field(None, description="the bureau's latest decision, if any")

    @classmethod
    def of(cls, c: Candidate) -> CandidateRead:
        return cls(
            organization_id=c.organization_id,
            name=c.name,
            kind=c.kind,
            division=c.division,
            domicile=c.domicile,
            flag=c.flag,
            active=c.active,
            flagged_on=c.flagged_on,
            as_of=c.as_of,
            candidate_since=c.since,
            missed=[MissedYearRead(**vars(m)) for m in c.missed],
            cleared_on=c.cleared_on,
            cleared_reason=c.cleared_reason,
            disposal=DisposalRead(**vars(c.disposal)) if c.disposal else None,
        )


class CandidatePage(BaseModel):
    items: list[CandidateRead]
    next_after: str | None = Field(None, description="pass as `after` for the next page")


# The Ya'an plan's three batches of the 清理 campaign, "注销一批、整改一批、激活一批"
# (seeds/yaan-empowerment-action-plan-2023-2025.txt, 二(四), 整治"僵尸型"社会组织).
class DistrictCount(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "division": "420106",
                    "candidates": 12,
                    "rectifying": 3,
                    "activated": 4,
                    "removed": 2,
                }
            ]
        }
    )

    division: str
    candidates: int = Field(description="flagged now")
    rectifying: int = Field(description="flagged, with a 限期整改 not yet completed (整改一批)")
    activated: int = Field(description="cleared by a late report (激活一批)")
    removed: int = Field(description="cleared by an end: 撤销, 吊销 or 注销 (注销一批)")


class CountsRead(BaseModel):
    place: str | None
    districts: list[DistrictCount]


class ScanCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"on": "2025-06-01"}]}
    )

    on: date = Field(
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="the day the register is judged on, up to today on the service's clock "
        "(a later day: 422 scan-day-in-future)",
        json_schema_extra={"pattern": r"^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"},
    )


class ScanRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "on": "2025-06-01",
                    "candidates": 57,
                    "flagged": 5,
                    "cleared": 1,
                    "signals_raised": 2,
                    "signals_cleared": 0,
                    "reminders": {
                        "report_due_soon": 0,
                        "report_overdue": 14,
                        "rating_expiring": 3,
                        "rectification_due_soon": 1,
                        "rectification_overdue": 0,
                    },
                    "recorded": True,
                    "latest_scan": "2025-06-01",
                }
            ]
        }
    )

    on: date
    candidates: int = Field(description="zombie candidates on that day")
    flagged: int = Field(description="flags this scan raised")
    cleared: int = Field(description="flags this scan cleared")
    signals_raised: int
    signals_cleared: int
    reminders: dict[str, int] = Field(description="reminders this scan raised, by kind")
    recorded: bool = Field(
        description="false: the day is before the latest scan; its candidates are counted, "
        "nothing is raised or cleared"
    )
    latest_scan: date | None = Field(description="the latest day a scan recorded, this one too")
