"""What the registry's answer means for a rating to record, the back-off between attempts,
and the PUT body a confirmation gives."""

from __future__ import annotations

from datetime import date

import pytest

from services.evaluation.domain.registry_record import from_confirmation, outcome, retry_delay
from shared.contracts.evaluation import GradeConfirmed


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (200, "sent"),
        (201, "sent"),
        (None, "retry"),
        (500, "retry"),
        (502, "retry"),
        (503, "retry"),
        (408, "retry"),
        (429, "retry"),
        (400, "parked"),
        (401, "parked"),
        (403, "parked"),
        (404, "parked"),
        (409, "parked"),
        (422, "parked"),
    ],
)
def test_only_a_refusal_no_retry_can_change_is_parked(status: int | None, expected: str) -> None:
    assert outcome(status) == expected


def test_the_wait_doubles_up_to_the_longest() -> None:
    waits = [retry_delay(n, initial=1.0, longest=60.0) for n in range(1, 9)]
    assert waits == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
    assert retry_delay(10_000, initial=1.0, longest=300.0) == 300.0


def test_a_confirmation_becomes_the_registrys_rating_body() -> None:
    event = GradeConfirmed(
        application_id="a1", organization_id="o1", evaluation_id="a1", grade="4A",
        decided_on=date(2026, 7, 1), announced_on=date(2026, 7, 17), regime="revision_2026",
        valid_from=date(2027, 1, 1), valid_until=date(2031, 12, 31),
    )  # fmt: skip
    record = from_confirmation(event)
    assert (record.source, record.application_id) == ("grade_confirmed", "a1")
    assert record.body() == {
        "grade": "4A", "decided_on": "2026-07-01", "evaluation_id": "a1",
        "announced_on": "2026-07-17", "valid_from": "2027-01-01", "valid_until": "2031-12-31",
    }  # fmt: skip
