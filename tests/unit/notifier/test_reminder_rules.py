"""The reminders' rules at their boundaries: N days before a deadline, the deadline itself,
the day after; 90 days before a grade's last day; a 限期整改 completed in time."""

from __future__ import annotations

from datetime import date

import pytest

from services.notifier.domain.reminders import (
    RATING_EXPIRING,
    RECTIFICATION_DUE_SOON,
    RECTIFICATION_OVERDUE,
    REPORT_DUE_SOON,
    REPORT_OVERDUE,
    Reminder,
    ReminderConfig,
    rating_reminder,
    rectification_reminder,
    report_reminders,
    stream_of,
)
from services.notifier.domain.zombie import Record, ZombieConfig
from shared.contracts.base import contract_of

ZOMBIE = ZombieConfig()
CONFIG = ReminderConfig(report_days_before=30, rating_days_before=90, rectification_days_before=14)
GROUP = Record("social_group", date(2020, 3, 1), filed={2023: date(2024, 5, 1)})


def kinds(record: Record, on: date) -> list[tuple[str, int | None]]:
    return [(r.kind, r.year) for r in report_reminders(record, on, ZOMBIE, CONFIG)]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 4, 30), []),  # 31 days before 31 May
        (date(2025, 5, 1), [(REPORT_DUE_SOON, 2024)]),  # 30 days before
        (date(2025, 5, 31), [(REPORT_DUE_SOON, 2024)]),  # the deadline itself
        (date(2025, 6, 1), [(REPORT_OVERDUE, 2024)]),  # the day after: one missed year
    ],
)
def test_an_annual_report_is_due_soon_up_to_its_deadline_and_overdue_the_day_after(
    on: date, expected: list[tuple[str, int]]
) -> None:
    assert kinds(GROUP, on) == expected


def test_a_report_filed_before_the_deadline_raises_nothing() -> None:
    filed = Record(
        "social_group", date(2020, 3, 1), filed={2023: date(2024, 5, 1), 2024: date(2025, 5, 10)}
    )
    assert kinds(filed, date(2025, 5, 20)) == []
    assert kinds(filed, date(2025, 6, 1)) == []


def test_a_late_report_filed_by_the_day_raises_no_overdue() -> None:
    late = Record(
        "social_group", date(2020, 3, 1), filed={2023: date(2024, 5, 1), 2024: date(2025, 6, 20)}
    )
    assert kinds(late, date(2025, 6, 10)) == [(REPORT_OVERDUE, 2024)]
    assert kinds(late, date(2025, 6, 21)) == []


def test_a_foundation_and_a_charity_are_reminded_of_31_march() -> None:
    foundation = Record("foundation", date(2020, 3, 1), filed={2023: date(2024, 3, 1)})
    assert kinds(foundation, date(2025, 3, 1)) == [(REPORT_DUE_SOON, 2024)]
    assert kinds(foundation, date(2025, 4, 1)) == [(REPORT_OVERDUE, 2024)]
    charity = Record("social_group", date(2020, 3, 1), date(2022, 6, 1), filed=GROUP.filed)
    assert kinds(charity, date(2025, 3, 1)) == [(REPORT_DUE_SOON, 2024)]
    [due] = report_reminders(charity, date(2025, 3, 1), ZOMBIE, CONFIG)
    assert due.due_on == date(2025, 3, 31)


def test_the_first_review_deadline_comes_with_a_supervised_organization() -> None:
    supervised = Record("social_group", date(2020, 3, 1), filed=GROUP.filed, supervised=True)
    [due] = report_reminders(supervised, date(2025, 5, 1), ZOMBIE, CONFIG)
    assert (due.due_on, due.review_deadline) == (date(2025, 5, 31), date(2025, 3, 31))


def test_an_exempt_registration_year_an_ended_or_a_community_organization_raise_nothing() -> None:
    november = Record("social_service_agency", date(2024, 11, 1))  # 民政部令第27号 art. 3
    assert kinds(november, date(2025, 5, 1)) == []
    assert kinds(november, date(2025, 6, 1)) == []
    ended = Record("social_group", date(2020, 3, 1), ended_on=date(2025, 4, 1), filed=GROUP.filed)
    assert kinds(ended, date(2025, 5, 1)) == []
    assert kinds(Record("community_org", date(2020, 3, 1)), date(2025, 6, 1)) == []


@pytest.mark.parametrize(
    ("on", "raised"),
    [
        (date(2025, 10, 1), False),  # 91 days before the last day
        (date(2025, 10, 2), True),  # 90 days before
        (date(2025, 12, 31), True),  # the last day
        (date(2026, 1, 1), False),  # expired: no longer expiring
    ],
)
def test_a_grade_is_expiring_from_90_days_before_its_last_day(on: date, raised: bool) -> None:
    found = rating_reminder("4A", date(2020, 12, 1), date(2025, 12, 31), on, CONFIG)
    assert (found is not None) == raised
    if found is not None:
        assert (found.kind, found.due_on, found.grade) == (
            RATING_EXPIRING,
            date(2025, 12, 31),
            "4A",
        )


def test_no_grade_or_a_decision_after_the_day_raises_nothing() -> None:
    assert rating_reminder(None, date(2020, 12, 1), None, date(2025, 12, 1), CONFIG) is None
    assert (
        rating_reminder("3A", date(2026, 1, 5), date(2025, 12, 31), date(2025, 12, 1), CONFIG)
        is None
    )


ORDERED, DUE = date(2025, 7, 1), date(2025, 9, 30)


@pytest.mark.parametrize(
    ("on", "completed", "kind"),
    [
        (date(2025, 9, 15), None, None),  # 15 days before the due date
        (date(2025, 9, 16), None, RECTIFICATION_DUE_SOON),  # 14 days before
        (date(2025, 9, 30), None, RECTIFICATION_DUE_SOON),  # the due date itself
        (date(2025, 10, 1), None, RECTIFICATION_OVERDUE),  # the day after
        (date(2025, 10, 1), date(2025, 9, 20), None),  # completed before its due date
        (date(2025, 9, 25), date(2025, 9, 20), None),
        (date(2025, 10, 1), date(2025, 10, 5), RECTIFICATION_OVERDUE),  # not completed yet
        (date(2025, 10, 6), date(2025, 10, 5), None),  # completed late, before the scan
        (date(2025, 6, 30), None, None),  # not ordered yet
    ],
)
def test_a_rectification_is_due_soon_then_overdue_unless_completed(
    on: date, completed: date | None, kind: str | None
) -> None:
    found = rectification_reminder(ORDERED, DUE, completed, on, CONFIG)
    assert (found.kind if found else None) == kind


def test_a_reminder_is_keyed_by_its_year_or_date_and_becomes_its_contracts_event() -> None:
    report = Reminder(REPORT_OVERDUE, date(2025, 5, 31), year=2024)
    rating = Reminder(RATING_EXPIRING, date(2025, 12, 31), grade="5A")
    assert (report.period, rating.period) == ("2024", "2025-12-31")
    assert stream_of("org-1", report) == "reminder-report_overdue-2024-org-1"
    event = report.event("org-1", date(2025, 6, 1))
    c = contract_of(event)
    assert (c.name, c.schema_version, c.act_date(event)) == ("report_overdue", 1, date(2025, 6, 1))
    assert c.dump(event) == {
        "organization_id": "org-1",
        "as_of": "2025-06-01",
        "due_on": "2025-05-31",
        "year": 2024,
    }
    order = Reminder(RECTIFICATION_OVERDUE, DUE, ordered_on=ORDERED).event(
        "org-2", date(2025, 10, 1)
    )
    assert contract_of(order).dump(order)["ordered_on"] == "2025-07-01"
