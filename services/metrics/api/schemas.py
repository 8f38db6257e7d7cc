"""Bodies of the metrics API, each with an example."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def _example(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


class TargetSetSummary(BaseModel):
    model_config = _example(
        {
            "id": "wuhan-three-year",
            "title": "武汉市社会组织建功英雄城助力先行区三年行动",
            "plan": "wuhan-three-year-action-plan-2023-2025.txt",
            "place": "420100",
            "start": "2023-06-01",
            "targets": 15,
        }
    )
    id: str
    title: str
    plan: str
    place: str
    start: date
    targets: int


class ForecastRead(BaseModel):
    value: float
    low: float
    high: float
    slope_per_month: float
    points: int = Field(description="monthly values the line was fitted to")


class SeriesPoint(BaseModel):
    date: date
    value: float | None


class TargetProgress(BaseModel):
    model_config = _example(
        {
            "id": "community-orgs",
            "clause": "§一(二)7",
            "wording": "到2025年底,全市社区社会组织突破3.8万家",
            "indicator": "community_orgs",
            "place": "420100",
            "comparison": ">",
            "threshold": 38000,
            "unit": "",
            "deadline": "2025-12-31",
            "aim": False,
            "check": False,
            "as_of": "2024-06-30",
            "value": 31250,
            "gap": 6750,
            "status": "on_track",
            "forecast": {
                "value": 39010.5,
                "low": 37420.1,
                "high": 40600.9,
                "slope_per_month": 410.2,
                "points": 13,
            },
            "pending": None,
        }
    )
    id: str
    clause: str
    wording: str
    indicator: str
    place: str
    comparison: str
    threshold: float
    unit: str
    deadline: date
    aim: bool = Field(description="力争: the plan strives for it rather than requires it")
    check: bool = Field(description="a published figure to reproduce, not a goal")
    as_of: date
    value: float | None
    gap: float | None = Field(description="threshold − value: still to go (≤ 0 once reached)")
    status: str = Field(description="met, on_track, at_risk, off_track or insufficient_history")
    forecast: ForecastRead | None
    pending: float | None = Field(
        None,
        description="of a 3A+ target: 已评定待生效, the organizations in its scope whose grade "
        "of 3A or above is decided but not yet in force on the register (rating.pending.3a); "
        "null for other targets",
    )
    history: list[SeriesPoint] | None = None


class TargetSetProgress(TargetSetSummary):
    model_config = _example(
        {
            "id": "ningbo",
            "title": "宁波市社区发展基金会全覆盖及登记情况(第333号建议答复)",
            "plan": "ningbo-reply-to-proposal-333.txt",
            "place": "330200",
            "start": "2023-01-01",
            "targets": 1,
            "as_of": "2023-06-15",
            "progress": [TargetProgress.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        }
    )
    as_of: date
    progress: list[TargetProgress]


class IndicatorValue(BaseModel):
    model_config = _example(
        {
            "indicator": "per_community.urban",
            "place": "330203",
            "as_of": "2023-06-15",
            "value": 26.4,
        }
    )
    indicator: str
    place: str
    as_of: date
    value: float | None


class Series(BaseModel):
    model_config = _example(
        {
            "indicator": "community_orgs",
            "place": "420100",
            "points": [
                {"date": "2024-01-31", "value": 30100},
                {"date": "2024-02-15", "value": 30180},
            ],
        }
    )
    indicator: str
    place: str
    points: list[SeriesPoint]


class ReportIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "indicator": "reported.brand_organizations",
                    "place": "511800",
                    "as_of": "2024-12-31",
                    "value": 6,
                    "document": "雅民发〔2025〕3号 2024年社会组织品牌创建情况通报",
                }
            ]
        },
    )
    indicator: str = Field(pattern=r"^reported\.[a-z0-9_]{1,80}$")
    place: str = Field(pattern=r"^\d{6}(\d{3}(\d{3})?)?$")
    as_of: date
    value: float
    document: str = Field(min_length=1, max_length=500, description="the document cited")
    note: str | None = Field(None, max_length=2000)
    corrects: int | None = Field(None, description="id of the reported value this corrects")


class ReportRead(BaseModel):
    model_config = _example(
        {
            "id": 7,
            "indicator": "reported.brand_organizations",
            "place": "511800",
            "as_of": "2024-12-31",
            "value": 6,
            "document": "雅民发〔2025〕3号 2024年社会组织品牌创建情况通报",
            "note": None,
            "corrects": None,
            "reported_by": "3f1c…",
            "reported_by_name": "雅安市民政局",
            "reported_at": "2025-01-06T02:14:00Z",
        }
    )
    id: int
    indicator: str
    place: str
    as_of: date
    value: float
    document: str
    note: str | None
    corrects: int | None
    reported_by: str
    reported_by_name: str
    reported_at: datetime
