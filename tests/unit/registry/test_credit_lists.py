"""Credit lists (民政部令第60号): decisions, and the candidates proposed at their date edges."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.registry.domain.credit_candidates import (
    Candidate,
    candidates,
    repeated_within,
    years_later,
)
from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.organization import Organization
from tests.unit.registry.builders import registered


def do(org: Organization, method: str, **args: Any) -> Organization:
    event = getattr(org, method)(**args)
    return org.apply(event)


def reported(org: Organization, *years: int) -> Organization:
    for y in years:
        org = do(org, "submit_annual_report", year=y, submitted_on=date(y + 1, 4, 1))
    return org


def triggers(org: Organization, day: date) -> set[tuple[str, str, str | None]]:
    return {(c.action, c.list, c.trigger or c.reason) for c in candidates(org, day)}


def test_a_report_overdue_the_day_after_its_deadline_is_proposed() -> None:
    org = reported(registered(), 2020, 2021, 2022)  # registered 2020-05-01
    assert ("list", "abnormal", "report_not_filed") not in triggers(org, date(2024, 5, 31))
    assert ("list", "abnormal", "report_not_filed") in triggers(org, date(2024, 6, 1))


def test_filing_the_late_report_proposes_leaving_the_abnormal_list() -> None:
    org = reported(registered(), 2020, 2021, 2022)
    org = do(
        org,
        "list_on_credit",
        list="abnormal",
        trigger="report_not_filed",
        listed_on=date(2024, 6, 10),
    )
    assert ("remove", "abnormal", "obligation_fulfilled") not in triggers(org, date(2024, 7, 1))
    org = do(org, "submit_annual_report", year=2023, submitted_on=date(2024, 7, 1))
    assert ("remove", "abnormal", "obligation_fulfilled") in triggers(org, date(2024, 7, 1))


def test_two_years_on_the_abnormal_list_proposes_the_serious_list_and_moves_it() -> None:
    org = do(
        registered(),
        "list_on_credit",
        list="abnormal",
        trigger="unreachable_at_address",
        listed_on=date(2022, 3, 1),
    )
    assert ("list", "serious", "abnormal_two_years") not in triggers(org, date(2024, 2, 29))
    assert ("list", "serious", "abnormal_two_years") in triggers(org, date(2024, 3, 1))
    moved = do(
        org,
        "list_on_credit",
        list="serious",
        trigger="abnormal_two_years",
        listed_on=date(2024, 3, 1),
    )
    assert set(moved.credit_listings) == {"serious"}


def fine(org: Organization, number: str, on: date, amount: int) -> Organization:
    return do(
        org,
        "impose_penalty",
        penalty="fine",
        decision_number=number,
        decided_on=on,
        amount_yuan=amount,
    )


def test_a_fine_of_50000_is_serious_and_under_it_abnormal() -> None:
    day = date(2024, 3, 1)
    big = triggers(fine(reported(registered(), 2020, 2021, 2022), "1", day, 50_000), day)
    assert ("list", "serious", "large_fine") in big
    assert ("list", "abnormal", "warning_or_small_fine") not in big
    small = triggers(fine(reported(registered(), 2020, 2021, 2022), "1", day, 49_999), day)
    assert ("list", "abnormal", "warning_or_small_fine") in small
    assert ("list", "serious", "large_fine") not in small


def test_two_small_penalties_within_three_years_are_serious() -> None:
    assert repeated_within([date(2021, 3, 1), date(2024, 2, 29)], 3)
    assert not repeated_within([date(2021, 3, 1), date(2024, 3, 1)], 3)
    assert not repeated_within([date(2021, 3, 1)], 3)
    assert years_later(date(2024, 2, 29), 2) == date(2026, 2, 28)


def test_a_revocation_lists_it_and_only_deregistration_takes_it_off() -> None:
    org = do(registered(), "revoke_registration", revoked_on=date(2024, 1, 10), reason="违法")
    assert ("list", "serious", "registration_revoked") in triggers(org, date(2024, 1, 10))
    org = do(
        org,
        "list_on_credit",
        list="serious",
        trigger="registration_revoked",
        listed_on=date(2024, 1, 11),
    )
    with pytest.raises(StateConflict) as refused:
        org.delist_from_credit(
            list="serious", reason="clean_two_years", delisted_on=date(2026, 2, 1)
        )
    assert refused.value.code == Refusal.CREDIT_REMOVAL_REFUSED
    assert ("remove", "serious", "clean_two_years") not in triggers(org, date(2026, 2, 1))
    gone = do(org, "deregister", deregistered_on=date(2024, 6, 1), reason="清算完毕")
    assert ("remove", "serious", "deregistered") in triggers(gone, date(2024, 6, 1))
    off = do(
        gone,
        "delist_from_credit",
        list="serious",
        reason="deregistered",
        delisted_on=date(2024, 6, 2),
    )
    assert off.credit_listings == {}


def test_two_clean_years_on_the_serious_list_propose_its_removal() -> None:
    org = reported(registered(), 2020, 2021)
    org = fine(org, "1", date(2022, 5, 1), 60_000)
    org = do(
        org, "list_on_credit", list="serious", trigger="large_fine", listed_on=date(2022, 6, 1)
    )
    org = reported(org, 2022, 2023)
    assert ("remove", "serious", "clean_two_years") not in triggers(org, date(2024, 5, 31))
    assert ("remove", "serious", "clean_two_years") in triggers(org, date(2024, 6, 1))


def test_a_trigger_must_belong_to_its_list() -> None:
    with pytest.raises(InvalidCommand) as refused:
        registered().list_on_credit(
            list="abnormal", trigger="large_fine", listed_on=date(2024, 1, 1)
        )
    assert refused.value.code == Refusal.INVALID_CREDIT_TRIGGER


def test_an_overdue_rectification_and_an_unreachable_fact_are_proposed() -> None:
    org = reported(registered(), 2020, 2021, 2022, 2023)
    org = do(
        org, "order_disposal", ordered_on=date(2024, 7, 1), due_on=date(2024, 9, 1), reason="x"
    )
    assert ("list", "abnormal", "rectification_not_completed") not in triggers(
        org, date(2024, 9, 1)
    )
    assert ("list", "abnormal", "rectification_not_completed") in triggers(org, date(2024, 9, 2))
    org = do(org, "record_unreachable", found_on=date(2024, 9, 5))
    assert ("list", "abnormal", "unreachable_at_address") in triggers(org, date(2024, 9, 5))
    assert isinstance(candidates(org, date(2024, 9, 5))[0], Candidate)
