"""Events the registry publishes to REGISTRY (registry.<pp>.<cc>.<dd>.<event_type>)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from shared.contracts.base import EventData, contract

Kind = Literal["social_group", "social_service_agency", "foundation", "community_org"]
Level = Literal["national", "province", "city", "county"]
Conclusion = Literal["qualified", "basically_qualified", "unqualified"]
Grade = Literal["1A", "2A", "3A", "4A", "5A"]


class CodeOverride(EventData):
    """Who allowed a legacy credit code that fails a GB 32100 check, and why."""

    allowed_by: str
    reason: str
    failed_checks: list[str]


@contract(
    "registry",
    "organization_registered",
    1,
    "成立登记: a legal-person organization",
    act_date="registered_on",
)
class OrganizationRegistered(EventData):
    organization_id: str
    credit_code: str
    name: str
    kind: Kind
    category: str | None = None
    level: Level
    registration_authority: str = Field(description="6-digit code of the registering bureau")
    domicile: str = Field(description="place code of the domicile: 6, 9 or 12 digits")
    registered_on: date
    legal_representative: str | None = None
    supervisory_unit: str | None = None
    registered_capital_yuan: int | None = None
    business_scope: str | None = None
    code_override: CodeOverride | None = None


@contract("registry", "community_organization_filed", 1, "社区社会组织备案", act_date="filed_on")
class CommunityOrganizationFiled(EventData):
    organization_id: str
    filing_number: str
    name: str
    category: str | None = None
    street: str = Field(description="9-digit street/township code")
    community: str = Field(description="12-digit community code")
    urban: bool
    filed_on: date


@contract(
    "registry",
    "registration_changed",
    1,
    "变更登记: fields with old and new values",
    act_date="changed_on",
)
class RegistrationChanged(EventData):
    organization_id: str
    changed_on: date
    changes: dict[str, tuple[object, object]]


@contract(
    "registry", "annual_report_submitted", 1, "年报: the report for a year", act_date="submitted_on"
)
class AnnualReportSubmitted(EventData):
    organization_id: str
    year: int
    submitted_on: date
    staff_employed: int | None = None
    figures: dict[str, float] = Field(default_factory=dict)


@contract(
    "registry",
    "inspection_concluded",
    1,
    "年检结论: 合格 / 基本合格 / 不合格",
    act_date="concluded_on",
)
class InspectionConcluded(EventData):
    organization_id: str
    year: int
    conclusion: Conclusion
    concluded_on: date


@contract("registry", "charity_recognised", 1, "慈善组织认定", act_date="recognised_on")
class CharityRecognised(EventData):
    organization_id: str
    recognised_on: date


@contract(
    "registry",
    "registration_revoked",
    1,
    "撤销登记: an administrative sanction",
    act_date="revoked_on",
)
class RegistrationRevoked(EventData):
    organization_id: str
    revoked_on: date
    reason: str


@contract(
    "registry", "certificate_revoked", 1, "吊销登记证书: charities only", act_date="revoked_on"
)
class CertificateRevoked(EventData):
    organization_id: str
    revoked_on: date
    reason: str


@contract(
    "registry",
    "deregistered",
    1,
    "注销登记: on application or after a revocation",
    act_date="deregistered_on",
)
class Deregistered(EventData):
    organization_id: str
    deregistered_on: date
    reason: str


@contract(
    "registry",
    "disposal_ordered",
    1,
    "限期整改: an order to rectify by a date",
    act_date="ordered_on",
)
class DisposalOrdered(EventData):
    organization_id: str
    ordered_on: date
    due_on: date
    reason: str


@contract("registry", "rating_changed", 1, "等级评估结果: a grade, or none", act_date="decided_on")
class RatingChanged(EventData):
    organization_id: str
    grade: Grade | None = None  # a cancellation is stored without it (exclude_none)
    decided_on: date
    valid_until: date | None = None
    evaluation_id: str | None = None
    reason: str | None = None


# Every payload the registry publishes, for code that folds or dispatches on them.
RegistryEvent = (
    OrganizationRegistered
    | CommunityOrganizationFiled
    | RegistrationChanged
    | AnnualReportSubmitted
    | InspectionConcluded
    | CharityRecognised
    | RegistrationRevoked
    | CertificateRevoked
    | Deregistered
    | DisposalOrdered
    | RatingChanged
)
