"""Bodies of the reminders' API (ReminderRead / ReminderPage), with the examples the OpenAPI
shows."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from shared.contracts.notifier import ReminderKind

EXAMPLES: list[JsonValue] = [
    {
        "id": 41,
        "organization_id": "org-0001",
        "name": "武昌区软件行业协会",
        "kind": "social_group",
        "division": "420106",
        "domicile": "420106001",
        "reminder": "report_overdue",
        "raised_on": "2025-06-01",
        "due_on": "2025-05-31",
        "year": 2024,
        "review_deadline": None,
        "grade": None,
        "ordered_on": None,
        "event_id": "0b4f7a8e-3d2c-4b1a-9e6f-5c7d8e9f0a1b",
    },
    {
        "id": 42,
        "organization_id": "org-0002",
        "name": "武汉市慈善总会",
        "kind": "social_group",
        "division": "420106",
        "domicile": "420106002",
        "reminder": "rating_expiring",
        "raised_on": "2025-10-02",
        "due_on": "2025-12-31",
        "year": None,
        "review_deadline": None,
        "grade": "4A",
        "ordered_on": None,
        "event_id": "5e1d2c3b-4a59-4687-b7a6-95c4d3e2f1a0",
    },
]


class ReminderRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": EXAMPLES})

    id: int = Field(description="in the order raised; pass the last as `after`")
    organization_id: str
    name: str
    kind: str = Field(description="the organization's kind")
    division: str = Field(description="county (GB/T 2260) of the domicile")
    domicile: str
    reminder: ReminderKind = Field(
        description="report_due_soon (年报截止临近), report_overdue (年报逾期, 活动异常名录 "
        "candidate), rating_expiring (评估等级即将到期), rectification_due_soon (限期整改即将"
        "到期), rectification_overdue (限期整改逾期, 活动异常名录 candidate)"
    )
    raised_on: date = Field(description="the day of the scan that raised it")
    due_on: date = Field(description="the deadline, the due date, or the grade's last day")
    year: int | None = Field(None, description="annual reports: the year the report covers")
    review_deadline: date | None = Field(
        None, description="annual reports: the 业务主管单位's first review, if it has one"
    )
    grade: str | None = Field(None, description="ratings: the grade expiring")
    ordered_on: date | None = Field(None, description="限期整改: the day it was ordered")
    event_id: str = Field(description="the NOTIFIER event (and webhook-id) that carried it")


class ReminderPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": EXAMPLES[:1], "next_after": None}]}
    )

    items: list[ReminderRead]
    next_after: int | None = Field(None, description="pass as `after` for the next page")
