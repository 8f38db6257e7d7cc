"""Charity recognition, 限期整改, rating, and the ways an organization ends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.organization import Organization
from tests.unit.registry.builders import (
    charity,
    deregistered,
    filed_community_org,
    registered,
    revoked,
)

DAY = date(2024, 9, 1)
Command = Callable[[Organization], object]


def rated(grade: str = "4A") -> Organization:
    org = registered()
    return org.apply(org.change_rating(grade=grade, decided_on=date(2023, 3, 1)))


# ---- charity -------------------------------------------------------------------------------


def test_a_legal_person_can_be_recognised_as_a_charity() -> None:
    assert charity().is_charity


def test_recognising_a_charity_twice_is_refused() -> None:
    with pytest.raises(StateConflict) as refused:
        charity().recognise_as_charity(recognised_on=DAY)
    assert refused.value.code == Refusal.ALREADY_A_CHARITY


def test_a_community_organization_cannot_be_recognised_as_a_charity() -> None:
    with pytest.raises(StateConflict) as refused:
        filed_community_org().recognise_as_charity(recognised_on=DAY)
    assert refused.value.code == Refusal.NOT_A_LEGAL_PERSON


# ---- 限期整改 --------------------------------------------------------------------------------


def test_a_disposal_order_is_recorded_with_its_due_date() -> None:
    org = registered()
    org = org.apply(org.order_disposal(ordered_on=DAY, due_on=date(2024, 12, 1), reason="未年检"))
    assert org.disposals[0].due_on == date(2024, 12, 1)


def test_a_disposal_due_on_or_before_its_order_date_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        registered().order_disposal(ordered_on=DAY, due_on=DAY, reason="未年检")
    assert refused.value.code == Refusal.DUE_DATE_NOT_AFTER_ORDER


# ---- rating --------------------------------------------------------------------------------


def test_a_grade_is_in_force_until_its_validity_ends() -> None:
    org = rated("4A")
    assert org.grade_on(date(2025, 1, 1)) == "4A"
    assert org.grade_on(date(2028, 3, 2)) is None
    assert org.grade_on(date(2023, 2, 28)) is None


def test_a_rating_can_be_cancelled() -> None:
    org = rated()
    org = org.apply(org.change_rating(grade=None, decided_on=DAY, reason="严重违法"))
    assert org.grade_on(DAY) is None


def test_rating_a_community_organization_is_refused() -> None:
    with pytest.raises(StateConflict) as refused:
        filed_community_org().change_rating(
            grade="3A", decided_on=DAY, valid_until=date(2029, 9, 1)
        )
    assert refused.value.code == Refusal.RATING_ON_COMMUNITY_ORG


@pytest.mark.parametrize(
    ("grade", "valid_until"),
    [("6A", date(2029, 1, 1)), ("3A", DAY), (None, date(2029, 1, 1))],
)
def test_a_rating_without_a_proper_grade_and_validity_is_refused(
    grade: str | None, valid_until: date | None
) -> None:
    with pytest.raises(InvalidCommand) as refused:
        registered().change_rating(grade=grade, decided_on=DAY, valid_until=valid_until)
    assert refused.value.code == Refusal.INVALID_RATING


def test_recording_the_same_rating_again_is_refused() -> None:
    with pytest.raises(StateConflict) as refused:
        rated("4A").change_rating(grade="4A", decided_on=date(2023, 3, 1))
    assert refused.value.code == Refusal.RATING_UNCHANGED


# ---- endings -------------------------------------------------------------------------------


def test_revoking_the_registration_puts_the_organization_in_liquidation() -> None:
    assert revoked().status == "in_liquidation"


def test_revoking_a_charitys_certificate_puts_it_in_liquidation() -> None:
    org = charity()
    org = org.apply(org.revoke_certificate(revoked_on=DAY, reason="违反慈善法"))
    assert org.status == "in_liquidation"


def test_revoking_the_certificate_of_a_non_charity_is_refused() -> None:
    with pytest.raises(StateConflict) as refused:
        registered().revoke_certificate(revoked_on=DAY, reason="违法")
    assert refused.value.code == Refusal.NOT_A_CHARITY


def test_an_organization_deregisters_on_its_own_application() -> None:
    assert deregistered().status == "deregistered"


def test_deregistration_closes_a_revoked_organization() -> None:
    org = revoked()
    org = org.apply(org.deregister(deregistered_on=date(2024, 12, 1), reason="清算完毕"))
    assert org.status == "deregistered"


def test_deregistration_dated_before_the_revocation_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        revoked().deregister(deregistered_on=date(2024, 5, 1), reason="清算完毕")
    assert refused.value.code == Refusal.DATE_BEFORE_REVOCATION


@pytest.mark.parametrize(
    "command",
    [
        lambda o: o.change_registration({"name": "新"}, changed_on=DAY),
        lambda o: o.submit_annual_report(year=2023, submitted_on=DAY),
        lambda o: o.recognise_as_charity(recognised_on=DAY),
        lambda o: o.order_disposal(ordered_on=DAY, due_on=date(2025, 1, 1), reason="整改"),
        lambda o: o.change_rating(grade="3A", decided_on=DAY),
        lambda o: o.revoke_registration(revoked_on=DAY, reason="再次撤销"),
    ],
)
def test_an_organization_in_liquidation_accepts_nothing_but_deregistration(
    command: Command,
) -> None:
    with pytest.raises(StateConflict) as refused:
        command(revoked())
    assert refused.value.code == Refusal.ORGANIZATION_IN_LIQUIDATION


@pytest.mark.parametrize(
    "command",
    [
        lambda o: o.change_registration({"name": "新"}, changed_on=DAY),
        lambda o: o.submit_annual_report(year=2023, submitted_on=DAY),
        lambda o: o.revoke_registration(revoked_on=DAY, reason="撤销"),
        lambda o: o.deregister(deregistered_on=DAY, reason="再次注销"),
    ],
)
def test_a_deregistered_organization_accepts_nothing(command: Command) -> None:
    with pytest.raises(StateConflict) as refused:
        command(deregistered())
    assert refused.value.code == Refusal.ORGANIZATION_DEREGISTERED


def test_a_deregistered_organization_keeps_its_history_readable() -> None:
    org = deregistered()
    assert org.name == "武汉市软件行业协会" and org.deregistered_on == date(2024, 6, 1)
