"""Events the notifier publishes to NOTIFIER (notifier.<pp>.<cc>.<dd>.<event_type>)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from shared.contracts.base import EventData, contract

# Why a flag was cleared: a report filed (late) for a year of the run, the organization's
# end (撤销, 吊销, 注销; 注销备案 / 撤销备案), its removal from the 活动异常名录 (the
# unreachable signal: the bureau found it again), or a scan on a day it no longer met the rule.
ClearReason = Literal["late_report", "ended", "delisted", "not_a_candidate"]
# The 2021 campaign's further signals (民发〔2021〕63号) the register has the facts of.
Signal = Literal["no_report_since_registration", "unreachable_at_address"]


class MissedYearData(EventData):
    year: int
    deadline: date
    review_deadline: date | None = Field(
        None, description="the 业务主管单位's first review, for organizations that have one"
    )


@contract(
    "notifier",
    "zombie_flagged",
    1,
    "僵尸型 candidate: N consecutive missed annual reports",
    act_date="as_of",
)
class ZombieFlagged(EventData):
    organization_id: str
    as_of: date = Field(description="the day of the scan that found it")
    missed_years: list[int]
    missed: list[MissedYearData] = Field(
        default_factory=list, description="each missed year with its deadline(s)"
    )
    candidate_since: date | None = Field(
        None, description="the day the N-th consecutive missed year passed its deadline"
    )
    consecutive_years: int | None = Field(None, description="N, as configured")


@contract(
    "notifier",
    "zombie_cleared",
    1,
    "the zombie flag cleared (late report or end)",
    act_date="as_of",
)
class ZombieCleared(EventData):
    organization_id: str
    as_of: date
    reason: ClearReason


@contract(
    "notifier",
    "zombie_signal_raised",
    1,
    "a further 僵尸型 signal of the 2021 campaign (no report since registration; unreachable "
    "at the registered address)",
    act_date="as_of",
)
class ZombieSignalRaised(EventData):
    organization_id: str
    signal: Signal
    as_of: date


@contract(
    "notifier",
    "zombie_signal_cleared",
    1,
    "a further 僵尸型 signal no longer holds",
    act_date="as_of",
)
class ZombieSignalCleared(EventData):
    organization_id: str
    signal: Signal
    as_of: date
    reason: ClearReason


# The reminders and warning stages (docs/notifier.md, Reminders): each raised once per
# organization, kind and year (annual reports) or due date (ratings, 限期整改).
ReminderKind = Literal[
    "report_due_soon",
    "report_overdue",
    "rating_expiring",
    "rectification_due_soon",
    "rectification_overdue",
]


class ReminderData(EventData):
    """What every reminder carries: whom, the day of the scan that raised it, the date due."""

    organization_id: str
    as_of: date = Field(description="the day of the scan that raised it")
    due_on: date = Field(description="the deadline, the due date or the rating's last day")


@contract(
    "notifier",
    "report_due_soon",
    1,
    "年报截止临近: an annual report not yet filed, its deadline within the configured days",
    act_date="as_of",
)
class ReportDueSoon(ReminderData):
    year: int = Field(description="the year the report covers")
    review_deadline: date | None = Field(
        None, description="the 业务主管单位's first review, for organizations that have one"
    )


@contract(
    "notifier",
    "report_overdue",
    1,
    "年报逾期: the latest year past its deadline not reported; a 活动异常名录 candidate "
    "(民政部令第60号)",
    act_date="as_of",
)
class ReportOverdue(ReminderData):
    year: int = Field(description="the year the report covers")
    review_deadline: date | None = Field(
        None, description="the 业务主管单位's first review, for organizations that have one"
    )


@contract(
    "notifier",
    "rating_expiring",
    1,
    "评估等级即将到期: a grade whose last day of validity is within the configured days",
    act_date="as_of",
)
class RatingExpiring(ReminderData):
    grade: str = Field(description="1A to 5A")


@contract(
    "notifier",
    "rectification_due_soon",
    1,
    "限期整改即将到期: a rectification order due within the configured days, not completed",
    act_date="as_of",
)
class RectificationDueSoon(ReminderData):
    ordered_on: date = Field(description="the day the 限期整改 was ordered")


@contract(
    "notifier",
    "rectification_overdue",
    1,
    "限期整改逾期: due date passed with no 整改完成 recorded; a 活动异常名录 candidate "
    "(民政部令第60号)",
    act_date="as_of",
)
class RectificationOverdue(ReminderData):
    ordered_on: date = Field(description="the day the 限期整改 was ordered")
