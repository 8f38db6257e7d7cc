"""Annual-report deadlines and who must report for a year, by kind and locality."""

from __future__ import annotations

from datetime import date

import pytest

from services.registry.domain.reporting import (
    ReportingRules,
    latest_year_past_deadline,
    report_deadline,
    required_to_report,
    supervisory_review_deadline,
)
from shared.contracts.registry import Kind

SHANDONG = ReportingRules(social_group_exempt_after=(6, 30))


@pytest.mark.parametrize("kind", ["social_group", "social_service_agency"])
def test_social_groups_and_agencies_report_by_31_may_of_the_next_year(kind: Kind) -> None:
    assert report_deadline(2024, kind) == date(2025, 5, 31)


def test_foundations_report_by_31_march() -> None:
    assert report_deadline(2024, "foundation") == date(2025, 3, 31)


def test_a_recognised_charity_reports_by_31_march_whatever_its_kind() -> None:
    assert report_deadline(2024, "social_group", charity=True) == date(2025, 3, 31)


def test_organizations_with_a_supervisory_unit_reach_it_by_31_march() -> None:
    assert supervisory_review_deadline(2024) == date(2025, 3, 31)


def test_a_locality_may_set_its_own_deadline() -> None:
    rules = ReportingRules(social_group_deadline=(6, 30))
    assert report_deadline(2024, "social_group", rules=rules) == date(2025, 6, 30)


def test_community_organizations_have_no_report_deadline() -> None:
    with pytest.raises(ValueError):
        report_deadline(2024, "community_org")


def test_an_agency_registered_less_than_six_months_before_year_end_is_exempt() -> None:
    assert not required_to_report(2024, "social_service_agency", date(2024, 7, 1))


def test_an_agency_registered_six_months_or_more_before_year_end_reports() -> None:
    assert required_to_report(2024, "social_service_agency", date(2024, 6, 30))


def test_a_social_group_registered_by_31_december_reports_for_that_year() -> None:
    assert required_to_report(2024, "social_group", date(2024, 12, 31))


def test_a_locality_may_exempt_social_groups_registered_after_30_june() -> None:
    assert not required_to_report(2024, "social_group", date(2024, 7, 1), rules=SHANDONG)
    assert required_to_report(2024, "social_group", date(2024, 6, 30), rules=SHANDONG)


def test_foundations_and_charities_always_report_for_their_registration_year() -> None:
    assert required_to_report(2024, "foundation", date(2024, 12, 20))
    assert required_to_report(2024, "social_service_agency", date(2024, 12, 20), charity=True)


def test_every_legal_person_reports_for_years_after_registration() -> None:
    assert required_to_report(2025, "social_service_agency", date(2024, 12, 20))


def test_no_one_reports_for_a_year_before_registration() -> None:
    assert not required_to_report(2023, "foundation", date(2024, 1, 2))


def test_community_organizations_are_never_required_to_report() -> None:
    assert not required_to_report(2025, "community_org", date(2020, 1, 1))


@pytest.mark.parametrize(
    ("as_of", "year"),
    [(date(2025, 5, 31), 2023), (date(2025, 6, 1), 2024), (date(2026, 1, 1), 2024)],
)
def test_the_latest_year_past_its_deadline_counts_from_the_day_after(
    as_of: date, year: int
) -> None:
    assert latest_year_past_deadline(as_of, "social_group") == year


def test_a_foundations_deadline_passes_earlier_in_the_year() -> None:
    assert latest_year_past_deadline(date(2025, 4, 1), "foundation") == 2024
