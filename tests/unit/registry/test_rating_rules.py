"""The rating rules at their boundaries: regime by decision date, validity, two full years,
and a repeated evaluation."""

from __future__ import annotations

from datetime import date

import pytest

from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from shared.rules.rating import rateable_from, regime_of, regime_validity
from tests.unit.registry.builders import registered


def test_the_revision_governs_decisions_from_1_march_2026() -> None:
    assert regime_of(date(2026, 2, 28)) == "mca_order_39"
    assert regime_of(date(2026, 3, 1)) == "revision_2026"


def test_under_39号_a_grade_is_valid_five_years_from_the_decision() -> None:
    day = date(2024, 12, 20)
    assert regime_validity("mca_order_39", day, day) == (day, date(2029, 12, 19))
    leap = date(2024, 2, 29)
    assert regime_validity("mca_order_39", leap, leap) == (leap, date(2029, 2, 27))


def test_under_the_revision_the_validity_runs_from_the_next_january_for_five_years() -> None:
    decided, announced = date(2026, 12, 20), date(2027, 1, 5)
    assert regime_validity("revision_2026", decided, announced) == (
        date(2028, 1, 1),
        date(2032, 12, 31),
    )


def test_an_organization_is_rateable_two_full_years_after_registration() -> None:
    assert rateable_from(date(2023, 5, 1)) == date(2025, 5, 1)
    assert rateable_from(date(2024, 2, 29)) == date(2026, 2, 28)


def test_a_rating_takes_its_regime_and_validity_from_the_decision_date() -> None:
    org = registered(registered_on=date(2020, 1, 1))
    event = org.change_rating(
        grade="4A", decided_on=date(2026, 3, 1), announced_on=date(2026, 3, 20)
    )
    assert event is not None
    assert (event.regime, event.valid_from, event.valid_until) == (
        "revision_2026",
        date(2027, 1, 1),
        date(2031, 12, 31),
    )
    before = org.change_rating(grade="4A", decided_on=date(2026, 2, 28))
    assert before is not None and before.regime == "mca_order_39"
    assert (before.valid_from, before.valid_until) == (date(2026, 2, 28), date(2031, 2, 27))


def test_a_validity_the_regime_cannot_produce_needs_an_override() -> None:
    org = registered(registered_on=date(2020, 1, 1))
    with pytest.raises(InvalidCommand) as refused:
        org.change_rating(grade="3A", decided_on=date(2025, 1, 1), valid_until=date(2030, 6, 30))
    assert refused.value.code == Refusal.INVALID_RATING_VALIDITY
    assert "2030-06-30" in refused.value.message and "2025-01-01" in refused.value.message
    event = org.change_rating(
        grade="3A",
        decided_on=date(2025, 1, 1),
        valid_until=date(2030, 6, 30),
        override_reason="评估委员会决定",
    )
    assert event is not None and event.override_reason == "评估委员会决定"


def test_a_grade_before_two_full_years_is_refused_without_an_override() -> None:
    org = registered(registered_on=date(2023, 5, 1))
    with pytest.raises(StateConflict) as refused:
        org.change_rating(grade="3A", decided_on=date(2025, 4, 30))
    assert refused.value.code == Refusal.RATING_TOO_EARLY
    assert org.change_rating(grade="3A", decided_on=date(2025, 5, 1)) is not None
    assert (
        org.change_rating(grade="3A", decided_on=date(2025, 4, 30), override_reason="省级试点")
        is not None
    )


def test_a_repeated_evaluation_is_already_on_record() -> None:
    org = registered(registered_on=date(2020, 1, 1))
    first = org.change_rating(grade="4A", decided_on=date(2025, 1, 1), evaluation_id="r-7")
    assert first is not None
    org = org.apply(first)
    assert org.change_rating(grade="4A", decided_on=date(2025, 1, 2), evaluation_id="r-7") is None
    with pytest.raises(StateConflict) as refused:
        org.change_rating(grade="5A", decided_on=date(2025, 1, 2), evaluation_id="r-7")
    assert refused.value.code == Refusal.EVALUATION_ALREADY_RECORDED


def test_the_grade_before_stays_in_force_until_a_revision_grade_starts() -> None:
    org = registered(registered_on=date(2015, 1, 1))
    old = org.change_rating(grade="3A", decided_on=date(2022, 1, 10))
    assert old is not None
    org = org.apply(old)
    new = org.change_rating(grade="5A", decided_on=date(2026, 6, 1))
    assert new is not None
    org = org.apply(new)
    assert org.grade_on(date(2026, 12, 31)) == "3A"
    assert org.grade_on(date(2027, 1, 1)) == "5A"


def test_the_end_voids_the_grade_as_of_its_date() -> None:
    org = registered(registered_on=date(2015, 1, 1))
    org = org.apply(org.change_rating(grade="5A", decided_on=date(2022, 1, 10)))  # type: ignore[arg-type]
    end = org.deregister(deregistered_on=date(2024, 6, 1), reason="清算完毕")
    assert end.voided_grade == "5A"
    org = org.apply(end)
    assert org.grade_on(date(2024, 5, 31)) == "5A" and org.grade_on(date(2024, 6, 1)) is None
