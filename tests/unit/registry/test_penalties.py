"""行政处罚, their execution and 整改完成: the commands and the rules of dates at their edges."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.organization import Organization
from services.registry.domain.penalties import outstanding, rectification_overdue, suspended_on
from shared.contracts.registry import DisposalOrdered
from tests.unit.registry.builders import filed_community_org, registered, revoked

DAY = date(2024, 9, 1)
NUMBER = "武民罚决字〔2024〕7号"


def fined(org: Organization | None = None, **overrides: Any) -> Organization:
    org = org or registered()
    args: dict[str, Any] = {
        "penalty": "fine",
        "decision_number": NUMBER,
        "decided_on": DAY,
        "amount_yuan": 20_000,
        **overrides,
    }
    return org.apply(org.impose_penalty(**args))


def test_a_fine_is_recorded_under_its_decision_number() -> None:
    org = fined()
    assert org.penalties[NUMBER].amount_yuan == 20_000
    assert not org.penalties[NUMBER].minor


@pytest.mark.parametrize(
    "args",
    [
        {"penalty": "fine"},  # no amount
        {"penalty": "fine", "amount_yuan": 0},
        {"penalty": "warning", "amount_yuan": 100},
        {"penalty": "suspension"},
        {"penalty": "suspension", "suspended_from": date(2024, 8, 31), "suspended_until": DAY},
        {
            "penalty": "suspension",
            "suspended_from": date(2024, 9, 10),
            "suspended_until": date(2024, 9, 9),
        },
        {"penalty": "warning", "suspended_from": DAY, "suspended_until": DAY},
        {"penalty": "reprimand"},
    ],
)
def test_a_penalty_without_what_its_kind_needs_is_refused(args: dict[str, Any]) -> None:
    with pytest.raises(InvalidCommand) as refused:
        registered().impose_penalty(decision_number=NUMBER, decided_on=DAY, **args)
    assert refused.value.code == Refusal.INVALID_PENALTY


def test_a_one_day_suspension_starting_on_the_decision_day_is_accepted() -> None:
    org = registered()
    p = org.impose_penalty(
        penalty="suspension",
        decision_number=NUMBER,
        decided_on=DAY,
        suspended_from=DAY,
        suspended_until=DAY,
    )
    assert suspended_on(p, DAY)
    assert not suspended_on(p, date(2024, 9, 2))
    assert not suspended_on(p, date(2024, 8, 31))


def test_a_decision_number_is_used_once() -> None:
    with pytest.raises(StateConflict) as refused:
        fined(fined(), penalty="warning", amount_yuan=None)
    assert refused.value.code == Refusal.DUPLICATE_PENALTY


def test_penalties_concern_open_legal_persons() -> None:
    with pytest.raises(StateConflict) as refused:
        fined(filed_community_org())
    assert refused.value.code == Refusal.NOT_A_LEGAL_PERSON
    with pytest.raises(StateConflict) as refused:
        fined(revoked())
    assert refused.value.code == Refusal.ORGANIZATION_IN_LIQUIDATION


def test_a_penalty_is_carried_out_once_on_or_after_its_decision() -> None:
    org = fined()
    with pytest.raises(InvalidCommand) as refused:
        org.record_penalty_carried_out(decision_number=NUMBER, carried_out_on=date(2024, 8, 31))
    assert refused.value.code == Refusal.DATE_BEFORE_DECISION
    done = org.apply(org.record_penalty_carried_out(decision_number=NUMBER, carried_out_on=DAY))
    assert done.penalties_carried_out == {NUMBER: DAY}
    with pytest.raises(StateConflict) as again:
        done.record_penalty_carried_out(decision_number=NUMBER, carried_out_on=DAY)
    assert again.value.code == Refusal.PENALTY_ALREADY_CARRIED_OUT
    with pytest.raises(StateConflict) as unknown:
        org.record_penalty_carried_out(decision_number="other", carried_out_on=DAY)
    assert unknown.value.code == Refusal.UNKNOWN_PENALTY


def test_a_penalty_is_outstanding_from_its_decision_until_carried_out() -> None:
    p = fined().penalties[NUMBER]
    assert not outstanding(p, None, date(2024, 8, 31))
    assert outstanding(p, None, DAY)
    assert outstanding(p, date(2024, 10, 1), date(2024, 9, 30))
    assert not outstanding(p, date(2024, 10, 1), date(2024, 10, 1))


def ordered() -> Organization:
    org = registered()
    return org.apply(
        org.order_disposal(ordered_on=DAY, due_on=date(2024, 12, 1), reason="未按期年检")
    )


def test_a_rectification_completes_the_order_of_its_day_once() -> None:
    org = ordered()
    with pytest.raises(StateConflict) as unknown:
        org.complete_rectification(ordered_on=date(2024, 9, 2), completed_on=DAY)
    assert unknown.value.code == Refusal.UNKNOWN_DISPOSAL
    with pytest.raises(InvalidCommand) as early:
        org.complete_rectification(ordered_on=DAY, completed_on=date(2024, 8, 31))
    assert early.value.code == Refusal.DATE_BEFORE_ORDER
    done = org.apply(org.complete_rectification(ordered_on=DAY, completed_on=DAY))
    assert done.rectified == {DAY: DAY}
    with pytest.raises(StateConflict) as again:
        done.complete_rectification(ordered_on=DAY, completed_on=DAY)
    assert again.value.code == Refusal.RECTIFICATION_ALREADY_COMPLETED


def test_a_rectification_is_overdue_the_day_after_its_due_date_until_completed() -> None:
    d = DisposalOrdered(organization_id="o", ordered_on=DAY, due_on=date(2024, 12, 1), reason="x")
    assert not rectification_overdue(d, None, date(2024, 12, 1))
    assert rectification_overdue(d, None, date(2024, 12, 2))
    assert rectification_overdue(d, date(2024, 12, 5), date(2024, 12, 4))
    assert not rectification_overdue(d, date(2024, 12, 5), date(2024, 12, 5))
