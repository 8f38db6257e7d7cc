"""The shared annual-report rules at their boundaries: deadlines, required years, standing."""

from __future__ import annotations

from datetime import date

from shared.rules.reporting import (
    Reporter,
    ReportingConfig,
    deadline,
    first_required_year,
    last_required_year,
    on_time,
    required,
    status,
)

GROUP = Reporter("social_group", date(2020, 5, 1))


def test_a_charity_reports_by_31_march_from_its_recognition_year_only() -> None:
    org = Reporter("social_group", date(2020, 5, 1), charity_since=date(2023, 9, 1))
    assert deadline(2022, org) == date(2023, 5, 31)  # before its recognition: its kind's
    assert deadline(2023, org) == date(2024, 3, 31)
    assert deadline(2024, org) == date(2025, 3, 31)


def test_on_time_is_up_to_and_including_the_deadline() -> None:
    assert on_time(2023, date(2024, 5, 31), GROUP)
    assert not on_time(2023, date(2024, 6, 1), GROUP)


def test_a_year_is_required_once_registered_and_not_after_the_end() -> None:
    assert not required(2019, GROUP)
    assert required(2020, GROUP)
    ended = Reporter("social_group", date(2020, 5, 1), ended_on=date(2024, 5, 31))
    assert required(2022, ended)  # deadline 2023-05-31, before the end
    assert not required(2023, ended)  # deadline 2024-05-31, the day it ended
    assert last_required_year(ended) == 2022
    assert (
        last_required_year(Reporter("social_group", date(2020, 5, 1), ended_on=date(2021, 1, 1)))
        is None
    )


def test_the_first_required_year_follows_the_exemptions_of_the_locality() -> None:
    late_agency = Reporter("social_service_agency", date(2024, 7, 1))
    assert first_required_year(late_agency) == 2025
    assert first_required_year(Reporter("social_service_agency", date(2024, 6, 30))) == 2024
    shandong = ReportingConfig(social_group_exempt_after=(6, 30))
    assert first_required_year(Reporter("social_group", date(2024, 7, 1)), shandong) == 2025
    assert first_required_year(Reporter("social_group", date(2024, 7, 1))) == 2024
    assert first_required_year(Reporter("community_org", date(2024, 7, 1))) is None


def test_the_standing_as_of_a_day_counts_deadlines_passed_and_reports_filed_by_then() -> None:
    org = Reporter(
        "social_group",
        date(2021, 3, 1),
        filed={2021: date(2022, 5, 31), 2022: date(2023, 7, 1), 2024: date(2025, 4, 1)},
    )
    on_deadline = status(org, date(2025, 5, 31))
    assert on_deadline.required == (2021, 2022, 2023)  # 2024's deadline has not passed
    assert on_deadline.on_time == (2021, 2024)
    assert on_deadline.late == (2022,)
    assert on_deadline.overdue == (2023,)
    assert status(org, date(2025, 6, 1)).required == (2021, 2022, 2023, 2024)
    before = status(org, date(2023, 6, 30))
    assert before.late == () and before.overdue == (2022,)  # its late report came on 1 July


def test_a_charity_recognised_this_year_owes_last_year_by_its_kinds_deadline() -> None:
    org = Reporter("social_group", date(2020, 5, 1), charity_since=date(2025, 2, 1))
    assert status(org, date(2025, 4, 1)).overdue == (2020, 2021, 2022, 2023)
    assert status(org, date(2025, 6, 1)).overdue == (2020, 2021, 2022, 2023, 2024)
