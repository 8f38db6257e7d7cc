"""Bodies of 行政处罚, their execution and 整改完成 (api/penalties.py), and how they are shown."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from services.registry.app.types import ActDate, LongText, ShortText
from shared.contracts.registry import PenaltyKind

Amount = Annotated[int, Field(ge=1, le=10**15)]


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


class PenaltyCreate(BaseModel):
    model_config = _example(
        penalty="fine",
        decision_number="武民罚决字〔2025〕3号",
        decided_on="2025-03-10",
        amount_yuan=20000,
        reason="未按规定接受年度检查",
    )

    penalty: PenaltyKind = Field(
        description="warning 警告, fine 罚款, suspension 限期停止活动, confiscation 没收"
    )
    decision_number: ShortText = Field(description="处罚决定书文号")
    decided_on: ActDate | None = Field(None, description="the decision's date; default today")
    minor: bool = Field(False, description="轻微行政处罚")
    amount_yuan: Amount | None = Field(
        None, description="a fine's amount (required); the value confiscated"
    )
    suspended_from: ActDate | None = Field(None, description="限期停止活动: first day")
    suspended_until: date | None = Field(None, description="限期停止活动: last day")
    reason: LongText | None = None


class PenaltyExecutionCreate(BaseModel):
    model_config = _example(decision_number="武民罚决字〔2025〕3号", carried_out_on="2025-04-01")

    decision_number: ShortText
    carried_out_on: ActDate | None = Field(None, description="default today")


class RectificationCreate(BaseModel):
    model_config = _example(ordered_on="2025-01-10", completed_on="2025-03-01")

    ordered_on: date = Field(description="the order date of the 限期整改 it closes")
    completed_on: ActDate | None = Field(None, description="default today")


class PenaltyRead(BaseModel):
    penalty: PenaltyKind
    decision_number: str
    decided_on: date
    minor: bool
    amount_yuan: int | None = None
    suspended_from: date | None = None
    suspended_until: date | None = None
    reason: str | None = None
    carried_out_on: date | None = Field(None, description="执行完毕; none: not yet")
