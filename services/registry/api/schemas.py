"""Request and response bodies of the organizations resource (XCreate / XUpdate / XRead / XPage)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.registry.api.credit_schemas import CreditListsRead
from services.registry.api.penalty_schemas import PenaltyRead
from services.registry.api.reporting_schemas import ReportingRead
from services.registry.app.types import (
    ActDate,
    Category,
    CreditCode,
    FilingNumber,
    LongText,
    Name,
    PlaceCode,
    ShortText,
    Yuan,
)
from shared.contracts.registry import Conclusion, FilingEnd, Grade, Kind, Level, RatingRegime

Status = Literal["active", "in_liquidation", "deregistered"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CodeOverrideCreate(Strict):
    """An audited acceptance of a legacy credit code (needs the scope registry:override)."""

    allowed_by: ShortText
    reason: LongText


class OrganizationCreate(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "credit_code": "52420100MJH27161X9",
                    "name": "武汉市武昌区青少年发展服务中心",
                    "kind": "social_service_agency",
                    "category": "社会服务类",
                    "level": "county",
                    "domicile": "420106001",
                    "registered_on": "2021-03-15",
                    "legal_representative": "张三",
                }
            ]
        }
    )

    credit_code: CreditCode
    name: Name
    kind: Kind
    level: Level
    domicile: PlaceCode = Field(description="6, 9 or 12-digit code of a known place")
    registered_on: ActDate | None = Field(None, description="成立登记 date; default today")
    category: Category | None = None
    registration_authority: PlaceCode | None = Field(
        None, description="6-digit code of the registering bureau; default: code digits 3–8"
    )
    legal_representative: ShortText | None = None
    supervisory_unit: ShortText | None = None
    registered_capital_yuan: Yuan | None = None
    business_scope: LongText | None = None
    code_override: CodeOverrideCreate | None = None


class CommunityOrganizationCreate(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "filing_number": "武昌积玉桥备2024-001",
                    "name": "积玉桥社区邻里互助队",
                    "category": "生活服务类",
                    "community": "420106001001",
                    "filed_on": "2024-04-01",
                }
            ]
        }
    )

    filing_number: FilingNumber
    name: Name
    community: PlaceCode = Field(description="12-digit community code (居委会 or 村委会)")
    street: PlaceCode | None = Field(None, description="9-digit street; default: the community's")
    urban: bool | None = Field(None, description="default: 居委会 urban, 村委会 rural")
    category: Category | None = None
    filed_on: ActDate | None = Field(None, description="备案 date; default today")


class OrganizationUpdate(Strict):
    """变更登记: only the fields sent change (null clears an optional one)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"legal_representative": "李四", "changed_on": "2024-05-20"}]
        }
    )

    changed_on: ActDate | None = Field(None, description="变更 date; default today")
    name: Name | None = None
    category: Category | None = None
    domicile: PlaceCode | None = None
    legal_representative: ShortText | None = None
    supervisory_unit: ShortText | None = None
    registered_capital_yuan: Yuan | None = None
    business_scope: LongText | None = None
    street: PlaceCode | None = None
    community: PlaceCode | None = None
    urban: bool | None = None


class CodeOverrideRead(BaseModel):
    allowed_by: str
    reason: str
    failed_checks: list[str]


class RatingRead(BaseModel):
    grade: Grade | None
    decided_on: date
    valid_until: date | None = None
    evaluation_id: str | None = None
    announced_on: date | None = None
    regime: RatingRegime | None = Field(
        None, description="mca_order_39 (decided before 2026-03-01) or revision_2026"
    )
    valid_from: date | None = None
    override_reason: str | None = None
    reason: str | None = None
    ended_on: date | None = Field(
        None, description="撤销/吊销/注销 ended the organization, and the grade with it, that day"
    )


class RevocationRead(BaseModel):
    kind: Literal["registration_revoked", "certificate_revoked"]
    revoked_on: date
    reason: str


class AnnualReportRead(BaseModel):
    year: int
    submitted_on: date
    staff_employed: int | None = None
    conclusion: Conclusion | None = None
    concluded_on: date | None = None


class DisposalRead(BaseModel):
    ordered_on: date
    due_on: date
    reason: str
    completed_on: date | None = Field(None, description="整改完成; none: not yet")


class OrganizationRead(BaseModel):
    id: str
    version: int = Field(description="the stream version; send it back as If-Match")
    as_of: date | None = Field(None, description="the date this state was read as of")
    kind: Kind
    status: Status
    name: str
    category: str | None = None
    credit_code: str | None = None
    filing_number: str | None = None
    level: Level | None = None
    registration_authority: str | None = None
    domicile: str
    domicile_name: str | None = Field(None, description="the place's names, province down")
    street: str | None = None
    community: str | None = None
    urban: bool | None = None
    registered_on: date = Field(description="成立登记 date, or 备案 date (community orgs)")
    legal_representative: str | None = None
    supervisory_unit: str | None = None
    registered_capital_yuan: int | None = None
    business_scope: str | None = None
    charity_since: date | None = None
    grade: Grade | None = Field(None, description="the grade in force on as_of (or today)")
    rating: RatingRead | None = None
    code_override: CodeOverrideRead | None = None
    revocation: RevocationRead | None = None
    deregistered_on: date | None = None
    filing_cancelled: FilingEnd | None = Field(
        None, description="how a community organization's filing ended (its deregistered_on)"
    )
    annual_reports: list[AnnualReportRead] = []
    disposals: list[DisposalRead] = []
    penalties: list[PenaltyRead] = Field([], description="行政处罚, by decision date")
    credit_lists: CreditListsRead = Field(
        default_factory=CreditListsRead, description="its listings in force (民政部令第60号)"
    )
    unreachable_on: list[date] = Field([], description="days found unreachable at its address")
    reporting: ReportingRead | None = Field(
        None, description="annual reports owed, filed and overdue (legal persons only)"
    )


class OrganizationSummary(BaseModel):
    id: str
    name: str
    kind: Kind
    status: Status
    category: str | None = None
    level: Level | None = None
    credit_code: str | None = None
    filing_number: str | None = None
    grade: Grade | None = Field(
        None, description="the latest grade recorded (in force from `rating_valid_from`)"
    )
    rating_valid_from: date | None = None
    rating_valid_until: date | None = None
    domicile: str
    street: str | None = None
    community: str | None = None
    urban: bool | None = None
    registered_on: date
    charity: bool
    code_override: bool
    version: int


class OrganizationPage(BaseModel):
    items: list[OrganizationSummary]
    total: int = Field(
        description="how many organizations match the filters, on every page; exact up to "
        "1,000, past that 1,000 with `total_exact` false"
    )
    total_exact: bool = Field(True, description="false when more than `total` match")
    next_cursor: str | None = Field(None, description="pass as ?cursor= for the next page")
