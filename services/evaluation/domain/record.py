"""What eligibility knows of one organization: the facts the registry recorded (projected from
REGISTRY) and the investigations the bureau recorded here, each with its dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Regime = Literal["mca_order_39", "revision_2026"]  # shared.contracts.registry.RatingRegime
Conclusion = Literal["qualified", "basically_qualified", "unqualified"]


@dataclass(frozen=True)
class Inspection:
    """年检结论 on a year's report: 合格 / 基本合格 / 不合格."""

    conclusion: Conclusion
    concluded_on: date


@dataclass(frozen=True)
class Penalty:
    """行政处罚 by decision number; `carried_out_on`: 执行完毕, if recorded."""

    decision_number: str
    penalty: str
    decided_on: date
    minor: bool = False
    carried_out_on: date | None = None


@dataclass(frozen=True)
class CreditEntry:
    """A stay on a credit list (民政部令第60号): abnormal 活动异常名录, serious 严重违法失信名单."""

    list: str
    listed_on: date
    trigger: str
    removed_on: date | None = None


@dataclass(frozen=True)
class Disposal:
    """限期整改 ordered on a day, due by another, completed (整改完成) or not."""

    ordered_on: date
    due_on: date
    completed_on: date | None = None


@dataclass(frozen=True)
class Rating:
    """A rating decision (rating_changed): a grade with its validity, or none (cancelled)."""

    decided_on: date
    grade: str | None
    regime: Regime
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class Investigation:
    """立案调查 by a government department or judicial organ, recorded by the bureau."""

    investigation_id: str
    reference: str
    opened_on: date
    closed_on: date | None = None


@dataclass(frozen=True)
class Record:
    """One organization as of the latest event projected; the rules pick what was so on a day."""

    organization_id: str
    kind: str
    registered_on: date  # 成立登记, or 备案 for a community organization
    registration_authority: str | None = None
    division: str = ""  # the county of its domicile (GB/T 2260), the events' subject place
    domicile: str = ""  # its place code, down to street or community
    charity_since: date | None = None
    revoked_on: date | None = None  # 撤销登记 / 吊销登记证书: in liquidation from then
    revoked_by: str | None = None
    ended_on: date | None = None  # 注销 (or the end of a community organization's filing)
    reports: dict[int, date] = field(default_factory=dict)  # year → submitted on
    inspections: dict[int, Inspection] = field(default_factory=dict)  # year → conclusion
    penalties: tuple[Penalty, ...] = ()
    credit: tuple[CreditEntry, ...] = ()
    disposals: tuple[Disposal, ...] = ()
    ratings: tuple[Rating, ...] = ()  # in the order decided
    investigations: tuple[Investigation, ...] = ()
