"""跟踪评估 draws (2026 revision): who is a candidate on a day, how many a share draws, a draw
anyone can recompute from its seed, its events (a count, and one follow_up case per
organization drawn), and the bureau's closing of a follow_up case."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date
from decimal import Decimal

import pytest

from services.evaluation.domain import errors as e
from services.evaluation.domain.follow_up import (
    Candidate,
    candidate,
    case_id,
    draw,
    drawn_count,
    made,
)
from services.evaluation.domain.rating_change import RatingChangeCase, to_record
from services.evaluation.domain.record import Rating
from shared.contracts import contract_of, get_contract
from tests.unit.evaluation.builders import DRAWN_V1, clean

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


def test_a_draw_of_thousands_is_one_small_event_and_a_case_per_organization_drawn() -> None:
    found = candidates(50_000)
    done = made("420100", ON, D(2026, 9, 2), Decimal("0.1"), 20260901, found)
    event = done.drawn
    assert (event.year, event.candidates, event.picked) == (2026, 50_000, 5_000)
    assert len(json.dumps(contract_of(event).dump(event))) < 300  # whatever the number drawn
    assert [c.organization_id for c in done.opened] == [
        c.organization_id for c in draw(found, Decimal("0.1"), 20260901)
    ]
    first = done.opened[0]
    assert (first.kind, first.rule, first.change, first.registry_event_id) == (
        "follow_up", "follow_up_draw", None, None,
    )  # fmt: skip
    assert (first.raised_on, first.grade, first.decided_on) == (D(2026, 9, 2), "4A", D(2024, 1, 1))
    assert first.follow_up is not None
    assert (first.follow_up.authority, first.follow_up.year, first.follow_up.seed) == (
        "420100", 2026, 20260901,
    )  # fmt: skip
    assert [c.follow_up.rank for c in done.opened if c.follow_up] == list(range(1, 5_001))
    assert "seed 20260901" in first.fact and "rank 1 of 5000" in first.fact
    ids = {c.reaction_id for c in done.opened}
    assert len(ids) == 5_000
    assert first.reaction_id == case_id("420100", 2026, first.organization_id)
    assert case_id("420100", 2027, first.organization_id) != first.reaction_id  # another draw


def a_case(grade: str = "5A") -> RatingChangeCase:
    pick = Candidate("org-1", grade, D(2024, 11, 20), D(2024, 11, 20), D(2029, 11, 19))  # type: ignore[arg-type]
    (opened,) = made("420100", ON, ON, Decimal(1), 7, [pick]).opened
    return RatingChangeCase(opened)


def test_a_follow_up_case_is_closed_with_a_result_and_only_closed() -> None:
    case = a_case()
    assert case.state == "open"
    kept = case.close(D(2026, 11, 10), "kept", None, "跟踪评估: 维持5A")
    assert (kept.outcome, kept.grade, kept.changes_rating) == ("kept", None, False)
    down = case.close(D(2026, 11, 10), "downgraded", "3A", "跟踪评估: 降为3A")
    assert (down.outcome, down.grade, down.changes_rating) == ("downgraded", "3A", True)
    record = to_record(case.raised, down)
    body = record.body()
    assert (body["grade"], body["valid_until"], record.evaluation_id) == (
        "3A", "2029-11-19", case.raised.reaction_id,
    )  # fmt: skip
    assert record.override_reason is not None and "跟踪评估" in record.override_reason
    assert "跟踪评估 draw of 420100 for 2026" in record.reason
    cancelled = case.close(D(2026, 11, 10), "cancelled", None, "弄虚作假")
    assert (cancelled.grade, cancelled.changes_rating) == (None, True)
    after = case.apply(down)
    assert (after.state, after.version) == ("downgraded", 2)


def test_a_follow_up_case_refuses_the_wrong_steps() -> None:
    case = a_case("4A")
    with pytest.raises(e.WrongReactionStep):
        case.confirm(D(2026, 11, 10), "a proposal's step")
    with pytest.raises(e.WrongReactionStep):
        case.dismiss(D(2026, 11, 10), "a proposal's step")
    for grade in ("4A", "5A", None):
        with pytest.raises(e.ResultGradeInvalid):
            case.close(D(2026, 11, 10), "downgraded", grade, "not lower")  # type: ignore[arg-type]
    with pytest.raises(e.ResultGradeInvalid):
        case.close(D(2026, 11, 10), "cancelled", "3A", "a cancellation names no grade")
    closed = case.apply(case.close(D(2026, 11, 10), "kept", None, "维持"))
    with pytest.raises(e.RatingChangeDecidedAlready):
        closed.close(D(2026, 11, 11), "downgraded", "3A", "twice")


def test_a_draw_recorded_under_schema_1_reads_as_its_counts() -> None:
    read = get_contract("evaluation", "follow_up_drawn").parse(DRAWN_V1, 1)
    assert (read.candidates, read.picked, read.share) == (4, 2, Decimal("0.5"))
    assert "drawn" not in contract_of(read).dump(read)


def test_a_rating_change_raised_under_schema_1_reads_unchanged() -> None:
    v1 = {
        "reaction_id": "x1", "organization_id": "o1", "kind": "verification",
        "change": "downgrade", "rule": "penalty", "fact": "行政处罚", "registry_event_id": "e1",
        "registry_event": "penalty_imposed", "raised_on": "2026-04-01", "grade": "4A",
        "proposed_grade": "3A", "decided_on": "2024-11-20",
    }  # fmt: skip
    read = get_contract("evaluation", "rating_change_proposed").parse(v1, 1)
    assert (read.change, read.registry_event_id, read.follow_up) == ("downgrade", "e1", None)
    assert RatingChangeCase(read).close(D(2026, 5, 1), "kept", None, "无影响").outcome == "kept"
