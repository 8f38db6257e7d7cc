"""Bodies of the credit-list decisions (api/credit_lists.py), and how the lists are shown."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from services.registry.app.types import ActDate, LongText, ShortText
from shared.contracts.registry import CreditList, CreditRemoval, CreditTrigger


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnreachableCreate(Strict):
    found_on: ActDate | None = Field(None, description="default today")
    note: LongText | None = None


class CreditListingCreate(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "list": "abnormal",
                    "trigger": "report_not_filed",
                    "listed_on": "2025-06-10",
                    "basis": "annual report 2024",
                }
            ]
        },
    )

    list: CreditList = Field(description="abnormal 活动异常名录, serious 严重违法失信名单")
    trigger: CreditTrigger
    listed_on: ActDate | None = Field(None, description="the decision's date; default today")
    decision_number: ShortText | None = None
    basis: LongText | None = None


class CreditRemovalCreate(Strict):
    list: CreditList
    reason: CreditRemoval
    delisted_on: ActDate | None = Field(None, description="default today")
    decision_number: ShortText | None = None


class CreditListingRead(BaseModel):
    trigger: CreditTrigger
    listed_on: date
    decision_number: str | None = None
    basis: str | None = None


class CreditListsRead(BaseModel):
    abnormal: CreditListingRead | None = None
    serious: CreditListingRead | None = None


class CandidateRead(BaseModel):
    organization_id: str
    name: str
    action: str = Field(description="list or remove")
    list: CreditList
    trigger: CreditTrigger | None = None
    reason: CreditRemoval | None = None
    basis: str | None = None


class CandidatePage(BaseModel):
    on: date
    place: str
    organizations_read: int = Field(description="organizations of the place examined")
    complete: bool = Field(description="false: more organizations than the cap; narrow place")
    items: list[CandidateRead]
