"""Events the registry publishes to REGISTRY (registry.<pp>.<cc>.<dd>.<event_type>).

(Over 300 lines: one contract per registry event, all in the one module both sides import.)
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from shared.contracts.base import EventData, contract

Kind = Literal["social_group", "social_service_agency", "foundation", "community_org"]
Level = Literal["national", "province", "city", "county"]
Conclusion = Literal["qualified", "basically_qualified", "unqualified"]
Grade = Literal["1A", "2A", "3A", "4A", "5A"]
RatingRegime = Literal["mca_order_39", "revision_2026"]
FilingEnd = Literal["deregistration", "revocation"]
# 行政处罚 the registration authority imposes: 警告, 罚款, 限期停止活动, 没收 (违法所得/财产)
PenaltyKind = Literal["warning", "fine", "suspension", "confiscation"]


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
    voided_grade: Grade | None = Field(
        None, description="the grade in force that the end voids, as of the act date"
    )


@contract(
    "registry", "certificate_revoked", 1, "吊销登记证书: charities only", act_date="revoked_on"
)
class CertificateRevoked(EventData):
    organization_id: str
    revoked_on: date
    reason: str
    voided_grade: Grade | None = Field(
        None, description="the grade in force that the end voids, as of the act date"
    )


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
    voided_grade: Grade | None = Field(
        None, description="the grade in force that the end voids, as of the act date"
    )


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
    # optional: the store drops None values, and a cancellation must read back
    grade: Grade | None = None
    decided_on: date
    valid_until: date | None = None
    evaluation_id: str | None = None
    reason: str | None = None
    # Added compatibly (absent on events recorded before them; readers derive them then):
    announced_on: date | None = Field(None, description="公告: the day the result was announced")
    regime: RatingRegime | None = Field(
        None, description="mca_order_39 (decisions before 2026-03-01) or revision_2026"
    )
    valid_from: date | None = Field(None, description="the grade's first day in force")
    override_reason: str | None = Field(
        None, description="why the bureau recorded a validity or grade the regime would not give"
    )


@contract(
    "registry",
    "filing_cancelled",
    1,
    "注销备案 / 撤销备案: a community organization's filing ends",
    act_date="cancelled_on",
)
class FilingCancelled(EventData):
    organization_id: str
    how: FilingEnd = Field(
        description="deregistration (注销备案, on its application) or revocation (撤销备案)"
    )
    cancelled_on: date
    reason: str


@contract(
    "registry",
    "penalty_imposed",
    1,
    "行政处罚: 警告, 罚款, 限期停止活动 or 没收, by decision number",
    act_date="decided_on",
)
class PenaltyImposed(EventData):
    organization_id: str
    penalty: PenaltyKind
    decision_number: str = Field(description="the decision's number (处罚决定书文号)")
    decided_on: date
    minor: bool = Field(False, description="轻微行政处罚 (the 2026 rating rules depend on it)")
    amount_yuan: int | None = Field(None, description="the fine; the value confiscated, if known")
    suspended_from: date | None = Field(None, description="限期停止活动: the first day")
    suspended_until: date | None = Field(None, description="限期停止活动: the last day")
    reason: str | None = None


@contract(
    "registry",
    "penalty_carried_out",
    1,
    "行政处罚执行完毕: a penalty carried out",
    act_date="carried_out_on",
)
class PenaltyCarriedOut(EventData):
    organization_id: str
    decision_number: str
    carried_out_on: date


@contract(
    "registry",
    "rectification_completed",
    1,
    "整改完成: the 限期整改 ordered on a day is completed",
    act_date="completed_on",
)
class RectificationCompleted(EventData):
    organization_id: str
    ordered_on: date = Field(description="the order date of the 限期整改 it closes")
    completed_on: date


# 社会组织信用信息管理办法 (民政部令第60号): the two lists and what puts an organization on them
CreditList = Literal["abnormal", "serious"]  # 活动异常名录, 严重违法失信名单
CreditTrigger = Literal[
    # 活动异常名录 (art. 13)
    "report_not_filed",  # 未按时/按要求报送年度工作报告
    "rectification_not_completed",  # 未在限期内完成整改
    "unreachable_at_address",  # 通过登记的住所无法取得联系
    "warning_or_small_fine",  # 警告或不满5万元罚款
    # 严重违法失信名单 (art. 17)
    "abnormal_two_years",  # 被列入活动异常名录满2年
    "registration_revoked",  # 被撤销登记 / 吊销登记证书
    "large_fine",  # 5万元以上罚款
    "repeated_penalties",  # 3年内2次以上警告或不满5万元罚款
    "suspension",  # 限期停止活动
    "fraudulent_change",  # 弄虚作假办理变更登记
    "change_revoked",  # 被撤销变更登记
    "dishonest_debtor",  # 失信被执行人
]
CreditRemoval = Literal[
    "obligation_fulfilled",  # 履行义务 (e.g. the late report filed): leaves the abnormal list
    "clean_two_years",  # 2 years on the serious list with no new fact
    "deregistered",  # 注销 after 撤销/吊销: the only way off the serious list then
    "corrected",  # an objection (异议) found the listing wrong
]


@contract(
    "registry",
    "unreachable_recorded",
    1,
    "通过登记的住所无法联系: the organization cannot be reached at its registered address",
    act_date="found_on",
)
class UnreachableRecorded(EventData):
    organization_id: str
    found_on: date
    note: str | None = None


@contract(
    "registry",
    "credit_listed",
    1,
    "列入活动异常名录 / 严重违法失信名单: a decision with its trigger",
    act_date="listed_on",
)
class CreditListed(EventData):
    organization_id: str
    list: CreditList
    trigger: CreditTrigger
    listed_on: date
    decision_number: str | None = None
    basis: str | None = Field(None, description="the fact it rests on, e.g. 'annual report 2023'")


@contract(
    "registry",
    "credit_delisted",
    1,
    "移出活动异常名录 / 严重违法失信名单: a decision with its reason",
    act_date="delisted_on",
)
class CreditDelisted(EventData):
    organization_id: str
    list: CreditList
    reason: CreditRemoval
    delisted_on: date
    decision_number: str | None = None


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
    | FilingCancelled
    | PenaltyImposed
    | PenaltyCarriedOut
    | RectificationCompleted
    | UnreachableRecorded
    | CreditListed
    | CreditDelisted
)
