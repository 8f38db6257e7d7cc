"""Reminders and warning stages as pure functions of a day: an annual report due soon or
overdue, a grade about to expire, a 限期整改 due soon or overdue (docs/notifier.md, Reminders).

Each reminder has a key — organization, kind, and the year (reports) or the date due (ratings,
限期整改) — under which it is raised once. Only what was on the register by the day counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from services.notifier.domain.zombie import Record, ZombieConfig, reporter_of
from shared.contracts.notifier import (
    RatingExpiring,
    RectificationDueSoon,
    RectificationOverdue,
    ReminderData,
    ReminderKind,
    ReportDueSoon,
    ReportOverdue,
)
from shared.rules import reporting
from shared.rules.reporting import Reporter

REPORT_DUE_SOON: ReminderKind = "report_due_soon"
REPORT_OVERDUE: ReminderKind = "report_overdue"
RATING_EXPIRING: ReminderKind = "rating_expiring"
RECTIFICATION_DUE_SOON: ReminderKind = "rectification_due_soon"
RECTIFICATION_OVERDUE: ReminderKind = "rectification_overdue"
KINDS: tuple[ReminderKind, ...] = (
    REPORT_DUE_SOON,
    REPORT_OVERDUE,
    RATING_EXPIRING,
    RECTIFICATION_DUE_SOON,
    RECTIFICATION_OVERDUE,
)


@dataclass(frozen=True)
class ReminderConfig:
    """How many days ahead each reminder comes (the locality's settings); 90 days before a
    grade's last day by default, as the bureau plans its next 等级评估 round."""

    report_days_before: int = 30
    rating_days_before: int = 90
    rectification_days_before: int = 14


@dataclass(frozen=True)
class Reminder:
    """One reminder for one organization: its kind, the date due, and what it is about."""

    kind: ReminderKind
    due_on: date
    year: int | None = None  # annual reports: the year the report covers
    review_deadline: date | None = None  # annual reports with a 业务主管单位
    grade: str | None = None  # ratings
    ordered_on: date | None = None  # 限期整改

    @property
    def period(self) -> str:
        """The reminder's key beside the organization and kind: the year, or the date due."""
        return str(self.year) if self.year is not None else self.due_on.isoformat()

    def event(self, organization_id: str, on: date) -> ReminderData:
        common = {"organization_id": organization_id, "as_of": on, "due_on": self.due_on}
        if self.kind == REPORT_DUE_SOON:
            return ReportDueSoon(**common, year=self.year, review_deadline=self.review_deadline)
        if self.kind == REPORT_OVERDUE:
            return ReportOverdue(**common, year=self.year, review_deadline=self.review_deadline)
        if self.kind == RATING_EXPIRING:
            return RatingExpiring(**common, grade=self.grade)
        if self.kind == RECTIFICATION_DUE_SOON:
            return RectificationDueSoon(**common, ordered_on=self.ordered_on)
        return RectificationOverdue(**common, ordered_on=self.ordered_on)


def stream_of(organization_id: str, reminder: Reminder) -> str:
    """The notifier's stream of one reminder: one event, appended at version 0, so a second
    raising of the same key is refused by the store as well as by the reminders' table."""
    return f"reminder-{reminder.kind}-{reminder.period}-{organization_id}"


def active_on(record: Record, on: date) -> bool:
    """On the register on `on`: registered (or filed) by then and not ended."""
    return record.registered_on <= on and (record.ended_on is None or record.ended_on > on)


def approaching(due_on: date, on: date, days: int) -> bool:
    """From `days` days before the date due up to that date itself."""
    return due_on - timedelta(days=days) <= on <= due_on


def passed(due_on: date, on: date) -> bool:
    """From the day after the date due."""
    return on > due_on


def report_reminders(
    record: Record, on: date, zombie: ZombieConfig, config: ReminderConfig
) -> list[Reminder]:
    """An unfiled report whose deadline is near (each such year), and the latest year past its
    deadline if it was required and not reported by `on` (one missed year: the 活动异常名录
    trigger of 民政部令第60号 art. 13, 未按规定报送年度工作报告)."""
    found = reporter_on(record, on, zombie)
    if found is None or record.registered_on > on:
        return []
    org, rules = found
    filed = {y for y, d in record.filed.items() if d <= on}
    out: list[Reminder] = []
    for year in (on.year - 1, on.year):
        due = reporting.deadline(year, org, rules)
        if approaching(due, on, config.report_days_before) and _owed(year, org, rules, filed):
            out.append(report(REPORT_DUE_SOON, year, record, on, zombie))
    latest = reporting.latest_year_past_deadline(on, org, rules)
    if _owed(latest, org, rules, filed):
        out.append(report(REPORT_OVERDUE, latest, record, on, zombie))
    return out


def reporter_on(
    record: Record, on: date, zombie: ZombieConfig
) -> tuple[Reporter, reporting.ReportingConfig] | None:
    """The record as the reporting rules read it on `on` (a charity from its recognition on);
    None when it owes no report then (ended, or left out by the zombie rule's settings)."""
    found = reporter_of(record, zombie)
    if found is None or (record.ended_on is not None and record.ended_on <= on):
        return None
    base, rules = found
    charity = base.charity_since if base.charity_since and base.charity_since <= on else None
    return Reporter(base.kind, base.registered_on, charity), rules


def report(
    kind: ReminderKind, year: int, record: Record, on: date, zombie: ZombieConfig
) -> Reminder:
    """The reminder of `kind` about the report on `year`, with its deadline(s)."""
    found = reporter_on(record, on, zombie)
    if found is None:
        raise ValueError(f"{record.kind} owes no annual report on {on}")
    org, rules = found
    review = reporting.supervisory_review_deadline(year, rules) if record.supervised else None
    return Reminder(kind, reporting.deadline(year, org, rules), year=year, review_deadline=review)


def rating_reminder(
    grade: str | None,
    decided_on: date,
    valid_until: date | None,
    on: date,
    config: ReminderConfig,
) -> Reminder | None:
    """A grade decided by `on` whose last day is within `rating_days_before` days of `on`."""
    if grade is None or valid_until is None or decided_on > on:
        return None
    if not approaching(valid_until, on, config.rating_days_before):
        return None
    return Reminder(RATING_EXPIRING, valid_until, grade=grade)


def rectification_reminder(
    ordered_on: date, due_on: date, completed_on: date | None, on: date, config: ReminderConfig
) -> Reminder | None:
    """A 限期整改 ordered by `on` and not completed by then: due soon, or past its due date
    (an order not carried out in time: 民政部令第60号 art. 13)."""
    if ordered_on > on or (completed_on is not None and completed_on <= on):
        return None
    if passed(due_on, on):
        return Reminder(RECTIFICATION_OVERDUE, due_on, ordered_on=ordered_on)
    if approaching(due_on, on, config.rectification_days_before):
        return Reminder(RECTIFICATION_DUE_SOON, due_on, ordered_on=ordered_on)
    return None


def _owed(year: int, org: Reporter, rules: reporting.ReportingConfig, filed: set[int]) -> bool:
    return reporting.required(year, org, rules) and year not in filed
