"""Commands of the registry: what a caller asks, as small typed values (imperative names).

An act's date left out (None) means today; a date after today is refused. A command on an
existing organization carries the version the caller read, if it sent one (If-Match).
Each is decided by `decide` (app/decide.py), whether it comes from a route or an import row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from services.registry.domain.registration import OverrideRequest
from shared.contracts.registry import CreditList, CreditRemoval, Kind, Level


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterOrganization:
    """成立登记 of a social group, social service agency or foundation at a known domicile."""

    act_field: ClassVar[str] = "registered_on"
    credit_code: str
    name: str
    kind: Kind
    level: Level
    domicile: str
    registered_on: date | None = None
    registration_authority: str | None = None
    category: str | None = None
    legal_representative: str | None = None
    supervisory_unit: str | None = None
    registered_capital_yuan: int | None = None
    business_scope: str | None = None
    override: OverrideRequest | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FileCommunityOrganization:
    """社区社会组织备案 in a known community; street and urban come from the places if omitted."""

    act_field: ClassVar[str] = "filed_on"
    filing_number: str
    name: str
    community: str
    filed_on: date | None = None
    street: str | None = None
    urban: bool | None = None
    category: str | None = None


Creation = RegisterOrganization | FileCommunityOrganization


@dataclass(frozen=True, slots=True, kw_only=True)
class _OnOne:
    """A command on an existing organization, at the version the caller read if given."""

    act_field: ClassVar[str]
    organization_id: str
    expected_version: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeRegistration(_OnOne):
    """变更登记: the fields to change, a new domicile or community checked against the places."""

    act_field: ClassVar[str] = "changed_on"
    changes: Mapping[str, object] = field(default_factory=dict)
    changed_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitAnnualReport(_OnOne):
    """年报 on a year that has ended."""

    act_field: ClassVar[str] = "submitted_on"
    year: int
    submitted_on: date | None = None
    staff_employed: int | None = None
    figures: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConcludeInspection(_OnOne):
    """年检结论 on a year's filed report."""

    act_field: ClassVar[str] = "concluded_on"
    year: int
    conclusion: str
    concluded_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecogniseAsCharity(_OnOne):
    act_field: ClassVar[str] = "recognised_on"
    recognised_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderDisposal(_OnOne):
    act_field: ClassVar[str] = "ordered_on"
    due_on: date
    reason: str
    ordered_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RevokeRegistration(_OnOne):
    act_field: ClassVar[str] = "revoked_on"
    reason: str
    revoked_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RevokeCertificate(_OnOne):
    act_field: ClassVar[str] = "revoked_on"
    reason: str
    revoked_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Deregister(_OnOne):
    act_field: ClassVar[str] = "deregistered_on"
    reason: str
    deregistered_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeRating(_OnOne):
    """等级评估: a grade decided by evaluation, or its cancellation (grade None)."""

    act_field: ClassVar[str] = "decided_on"
    grade: str | None
    decided_on: date | None = None
    valid_until: date | None = None
    evaluation_id: str | None = None
    reason: str | None = None
    announced_on: date | None = None
    valid_from: date | None = None
    override_reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelFiling(_OnOne):
    """注销备案 / 撤销备案 of a community organization."""

    act_field: ClassVar[str] = "cancelled_on"
    how: str
    reason: str
    cancelled_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ImposePenalty(_OnOne):
    """行政处罚: 警告, 罚款 (an amount), 限期停止活动 (from, until) or 没收, by decision number."""

    act_field: ClassVar[str] = "decided_on"
    penalty: str
    decision_number: str
    decided_on: date | None = None
    minor: bool = False
    amount_yuan: int | None = None
    suspended_from: date | None = None
    suspended_until: date | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordPenaltyCarriedOut(_OnOne):
    """执行完毕: the penalty of a decision carried out."""

    act_field: ClassVar[str] = "carried_out_on"
    decision_number: str
    carried_out_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CompleteRectification(_OnOne):
    """整改完成: the 限期整改 ordered on a day completed."""

    act_field: ClassVar[str] = "completed_on"
    ordered_on: date
    completed_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordUnreachable(_OnOne):
    """无法取得联系: not reachable at its registered address (a credit-list fact)."""

    act_field: ClassVar[str] = "found_on"
    found_on: date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ListOnCredit(_OnOne):
    """列入活动异常名录 / 严重违法失信名单, naming its trigger."""

    act_field: ClassVar[str] = "listed_on"
    list: CreditList
    trigger: str
    listed_on: date | None = None
    decision_number: str | None = None
    basis: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DelistFromCredit(_OnOne):
    """移出 a credit list, with the reason."""

    act_field: ClassVar[str] = "delisted_on"
    list: CreditList
    reason: CreditRemoval
    delisted_on: date | None = None
    decision_number: str | None = None


OnOrganization = (
    ChangeRegistration
    | SubmitAnnualReport
    | ConcludeInspection
    | RecogniseAsCharity
    | OrderDisposal
    | RevokeRegistration
    | RevokeCertificate
    | Deregister
    | ChangeRating
    | CancelFiling
    | ImposePenalty
    | RecordPenaltyCarriedOut
    | CompleteRectification
    | RecordUnreachable
    | ListOnCredit
    | DelistFromCredit
)
Command = Creation | OnOrganization
