"""跟踪评估 draws (2026 revision): who is a candidate on a day, how many a share draws, and a
draw anyone can recompute from its seed."""

from __future__ import annotations

import hashlib
import random
from datetime import date
from decimal import Decimal

import pytest

from services.evaluation.domain import errors as e
from services.evaluation.domain.follow_up import Candidate, candidate, draw, drawn_count
from services.evaluation.domain.record import Rating
from tests.unit.evaluation.builders import clean

D = date
ON = D(2026, 9, 1)


def graded(grade: str | None, decided_on: date = D(2024, 11, 20)) -> Rating:
    until = D(decided_on.year + 5, 12, 31)
    return Rating(decided_on, grade, "mca_order_39", decided_on, until)  # type: ignore[arg-type]


def candidates(n: int) -> list[Candidate]:
    return [Candidate(f"org-{i:04d}", "4A", D(2024, 1, 1)) for i in range(n)]


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ((graded("4A"),), "4A"),
        ((graded("5A"),), "5A"),
        ((graded("3A"),), None),  # below 4A
        ((graded("5A"), graded(None, D(2025, 6, 1))), None),  # cancelled since
        ((graded("4A"), graded("3A", D(2025, 6, 1))), None),  # downgraded since
        ((graded("3A"), graded("5A", D(2026, 9, 2))), None),  # 5A decided after the day
        ((Rating(D(2019, 1, 10), "5A", "mca_order_39", D(2019, 1, 10), D(2024, 1, 9)),), None),
        ((), None),  # never rated
    ],
)
def test_a_candidate_holds_4a_or_5a_on_the_day(
    ratings: tuple[Rating, ...], expected: str | None
) -> None:
    found = candidate(clean(ratings=ratings), ON)
    assert (found.grade if found else None) == expected


def test_an_ended_or_liquidating_organization_is_no_candidate_from_that_day() -> None:
    held = (graded("5A"),)
    assert candidate(clean(ratings=held, ended_on=ON), ON) is None
    assert (
        candidate(clean(ratings=held, revoked_on=ON, revoked_by="registration_revoked"), ON) is None
    )
    assert candidate(clean(ratings=held, ended_on=D(2026, 9, 2)), ON) is not None


@pytest.mark.parametrize(
    ("share", "of", "drawn"),
    [
        ("1", 25, 25),
        ("0.1", 30, 3),  # exact: no binary rounding up to 4
        ("0.1", 25, 3),  # 2.5 rounded up
        ("0.1", 21, 3),
        ("0.1", 20, 2),
        ("0.0001", 1, 1),  # any share of a non-empty set draws one
        ("0.5", 0, 0),
    ],
)
def test_a_share_draws_its_fraction_of_the_candidates_rounded_up(
    share: str, of: int, drawn: int
) -> None:
    assert drawn_count(Decimal(share), of) == drawn
    assert len(draw(candidates(of), Decimal(share), seed=7)) == drawn


@pytest.mark.parametrize("share", ["0", "-0.1", "1.0001", "2"])
def test_a_share_outside_0_to_1_is_refused(share: str) -> None:
    with pytest.raises(e.InvalidShare):
        drawn_count(Decimal(share), 10)


def test_the_draw_is_recomputed_from_its_seed_whatever_the_order_read() -> None:
    found = candidates(200)
    first = draw(found, Decimal("0.1"), seed=20260901)
    shuffled = found[:]
    random.Random(1).shuffle(shuffled)
    assert draw(shuffled, Decimal("0.1"), seed=20260901) == first
    # the documented method, recomputed by hand: SHA-256 hex of "<seed>:<id>", lowest first
    by_hand = sorted(
        found, key=lambda c: hashlib.sha256(f"20260901:{c.organization_id}".encode()).hexdigest()
    )[:20]
    assert first == by_hand


def test_another_seed_draws_another_set() -> None:
    found = candidates(200)
    drawn = {
        seed: {c.organization_id for c in draw(found, Decimal("0.1"), seed)} for seed in (1, 2)
    }
    assert drawn[1] != drawn[2]
    assert len(drawn[1]) == len(drawn[2]) == 20
