"""年报 and 年检 on the Organization aggregate."""

from __future__ import annotations

from datetime import date

import pytest

from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.organization import Organization
from tests.unit.registry.builders import filed_community_org, registered


def reported(year: int = 2023) -> Organization:
    org = registered()
    return org.apply(
        org.submit_annual_report(year=year, submitted_on=date(year + 1, 4, 1), staff_employed=12)
    )


def test_a_report_for_an_ended_year_is_recorded_with_its_figures() -> None:
    org = registered()
    event = org.submit_annual_report(
        year=2023, submitted_on=date(2024, 1, 1), staff_employed=12, figures={"income": 3.5e5}
    )
    org = org.apply(event)
    assert org.reports[2023].staff_employed == 12
    assert org.reports[2023].figures == {"income": 3.5e5}


def test_report_for_a_year_that_has_not_ended_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        registered().submit_annual_report(year=2024, submitted_on=date(2024, 12, 31))
    assert refused.value.code == Refusal.REPORT_YEAR_NOT_ENDED


def test_a_second_report_for_the_same_year_is_refused() -> None:
    with pytest.raises(StateConflict) as refused:
        reported(2023).submit_annual_report(year=2023, submitted_on=date(2024, 5, 1))
    assert refused.value.code == Refusal.DUPLICATE_REPORT


def test_a_report_for_a_year_before_registration_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        registered().submit_annual_report(year=2019, submitted_on=date(2023, 1, 1))
    assert refused.value.code == Refusal.REPORT_YEAR_BEFORE_REGISTRATION


def test_a_late_report_is_accepted() -> None:
    org = registered()
    assert org.submit_annual_report(year=2021, submitted_on=date(2024, 9, 1)).year == 2021


def test_a_negative_staff_count_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        registered().submit_annual_report(
            year=2023, submitted_on=date(2024, 1, 1), staff_employed=-1
        )
    assert refused.value.code == Refusal.INVALID_FIELD


def test_a_community_organization_files_no_annual_report() -> None:
    with pytest.raises(StateConflict) as refused:
        filed_community_org().submit_annual_report(year=2023, submitted_on=date(2024, 1, 2))
    assert refused.value.code == Refusal.NOT_A_LEGAL_PERSON


@pytest.mark.parametrize(
    ("written", "stored"),
    [("合格", "qualified"), ("基本合格", "basically_qualified"), ("不合格", "unqualified")],
)
def test_an_inspection_conclusion_is_stored_under_its_stable_value(
    written: str, stored: str
) -> None:
    org = reported(2023)
    event = org.conclude_inspection(year=2023, conclusion=written, concluded_on=date(2024, 7, 1))
    assert org.apply(event).inspections[2023].conclusion == stored


def test_an_inspection_of_a_year_with_no_report_is_refused() -> None:
    with pytest.raises(StateConflict) as refused:
        reported(2023).conclude_inspection(
            year=2022, conclusion="合格", concluded_on=date(2024, 7, 1)
        )
    assert refused.value.code == Refusal.INSPECTION_WITHOUT_REPORT


def test_a_second_conclusion_for_the_same_year_is_refused() -> None:
    org = reported(2023)
    org = org.apply(
        org.conclude_inspection(year=2023, conclusion="合格", concluded_on=date(2024, 7, 1))
    )
    with pytest.raises(StateConflict) as refused:
        org.conclude_inspection(year=2023, conclusion="不合格", concluded_on=date(2024, 8, 1))
    assert refused.value.code == Refusal.DUPLICATE_INSPECTION


def test_a_conclusion_dated_before_the_report_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        reported(2023).conclude_inspection(
            year=2023, conclusion="合格", concluded_on=date(2024, 3, 1)
        )
    assert refused.value.code == Refusal.INSPECTION_BEFORE_REPORT


def test_an_unknown_conclusion_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        reported(2023).conclude_inspection(
            year=2023, conclusion="优秀", concluded_on=date(2024, 7, 1)
        )
    assert refused.value.code == Refusal.INVALID_FIELD
