"""Events the notifier publishes to NOTIFIER (notifier.<pp>.<cc>.<dd>.<event_type>)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from shared.contracts.base import EventData, contract

# Why a flag was cleared: a report filed (late) for a year of the run, the organization's
# end (撤销, 吊销, 注销), or a scan on a day it no longer met the rule (e.g. an earlier day).
ClearReason = Literal["late_report", "ended", "not_a_candidate"]
# The 2021 campaign's further signals (民发〔2021〕63号) the register has the facts of.
Signal = Literal["no_report_since_registration"]


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
    "a further 僵尸型 signal of the 2021 campaign (e.g. no report since registration)",
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


@contract(
    "notifier",
    "reminder_raised",
    1,
    "a deadline reminder (inspection, rating expiry)",
    act_date="due_on",
)
class ReminderRaised(EventData):
    organization_id: str
    reminder: str
    due_on: date
