"""Each reaction rule (39号 art. 30) at its boundaries: the facts that raise one, the grade in
force that day, the step the regime gives (a proposal before 2026-03-01, a 核查评估 from it),
and the bureau's decisions on the aggregate."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from services.evaluation.domain import errors as e
from services.evaluation.domain.rating_change import RatingChangeCase, to_record
from services.evaluation.domain.reactions import one_lower, reaction_to
from services.evaluation.domain.record import Rating as R
from services.evaluation.domain.record import Record
from shared.contracts import registry as r
from shared.contracts.evaluation import RatingChangeProposed
from tests.unit.evaluation.builders import clean, concluded

D = date
HELD = R(D(2022, 1, 10), "4A", "mca_order_39", D(2022, 1, 10), D(2027, 1, 9))
ORG = "org-1"


def rated(*ratings: R) -> Record:
    return replace(clean(), ratings=ratings or (HELD,))


def unqualified(on: date, year: int = 2024) -> r.InspectionConcluded:
    return r.InspectionConcluded(
        organization_id=ORG, year=year, conclusion="unqualified", concluded_on=on
    )


def test_an_unqualified_inspection_proposes_one_grade_down_under_order_39() -> None:
    found = reaction_to(unqualified(D(2025, 6, 30)), concluded(rated(), y2024="unqualified"))
    assert found is not None
    assert (found.kind, found.trigger.rule, found.trigger.change) == (
        "proposal", "inspection_unqualified", "downgrade",
    )  # fmt: skip
    assert (found.held.grade, found.proposed_grade) == ("4A", "3A")


def test_from_the_revisions_first_day_the_same_fact_opens_a_verification() -> None:
    assert reaction_to(unqualified(D(2026, 2, 28)), rated()).kind == "proposal"  # type: ignore[union-attr]
    assert reaction_to(unqualified(D(2026, 3, 1)), rated()).kind == "verification"  # type: ignore[union-attr]


def test_nothing_is_raised_without_a_grade_in_force_on_the_facts_day() -> None:
    assert reaction_to(unqualified(D(2025, 6, 30)), clean()) is None
    assert reaction_to(unqualified(D(2022, 1, 9)), rated()) is None  # the day before the grade
    assert reaction_to(unqualified(D(2022, 1, 10)), rated()) is not None  # its first day
    assert reaction_to(unqualified(D(2027, 1, 9)), rated()) is not None  # its last day
    assert reaction_to(unqualified(D(2027, 1, 10)), rated()) is None  # expired
    cancelled = R(D(2024, 1, 1), None, "mca_order_39")
    assert reaction_to(unqualified(D(2025, 6, 30)), rated(HELD, cancelled)) is None


def test_two_consecutive_basically_qualified_and_not_one() -> None:
    event = r.InspectionConcluded(
        organization_id=ORG, year=2024, conclusion="basically_qualified",
        concluded_on=D(2025, 7, 1),
    )  # fmt: skip
    once = concluded(rated(), y2024="basically_qualified")
    assert reaction_to(event, once) is None
    twice = concluded(rated(), y2023="basically_qualified", y2024="basically_qualified")
    found = reaction_to(event, twice)
    assert found is not None and found.trigger.rule == "basically_qualified_twice"
    qualified = event.model_copy(update={"conclusion": "qualified"})
    assert reaction_to(qualified, twice) is None


def test_a_report_not_filed_a_penalty_and_the_serious_facts() -> None:
    day = D(2025, 8, 1)
    missed = r.CreditListed(organization_id=ORG, list="abnormal", trigger="report_not_filed",
                            listed_on=day)  # fmt: skip
    other = missed.model_copy(update={"trigger": "unreachable_at_address"})
    serious = r.CreditListed(organization_id=ORG, list="serious", trigger="large_fine",
                             listed_on=day)  # fmt: skip
    penalty = r.PenaltyImposed(organization_id=ORG, penalty="warning",
                               decision_number="武民罚〔2025〕1号", decided_on=day)  # fmt: skip
    revoked = r.RegistrationRevoked(organization_id=ORG, revoked_on=day, reason="弄虚作假")
    charity = r.CertificateRevoked(organization_id=ORG, revoked_on=day, reason="违反慈善法")
    ended = r.Deregistered(organization_id=ORG, deregistered_on=day, reason="解散")
    record = rated()
    assert reaction_to(other, record) is None
    assert reaction_to(ended, record) is None  # 注销: the registry voids the grade itself
    for event, rule, change in (
        (missed, "inspection_missed", "downgrade"),
        (penalty, "penalty", "downgrade"),
        (serious, "serious_credit_list", "cancellation"),
        (revoked, "registration_revoked", "cancellation"),
        (charity, "certificate_revoked", "cancellation"),
    ):
        found = reaction_to(event, record)
        assert found is not None, rule
        assert (found.trigger.rule, found.trigger.change) == (rule, change)
        assert found.proposed_grade == ("3A" if change == "downgrade" else None)


def test_one_grade_down_stops_below_1a() -> None:
    assert [one_lower(g) for g in ("5A", "4A", "3A", "2A", "1A")] == ["4A", "3A", "2A", "1A", None]


def proposal(kind: str = "proposal", change: str = "downgrade") -> RatingChangeCase:
    return RatingChangeCase(
        RatingChangeProposed(
            reaction_id="x1", organization_id=ORG, kind=kind, change=change,
            rule="inspection_unqualified", fact="2024 不合格", registry_event_id="ev-1",
            registry_event="inspection_concluded", raised_on=D(2025, 6, 30), grade="4A",
            proposed_grade="3A" if change == "downgrade" else None, decided_on=D(2022, 1, 10),
            valid_from=D(2022, 1, 10), valid_until=D(2027, 1, 9),
        )  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_proposal_is_confirmed_or_dismissed_once() -> None:
    case = proposal()
    done = case.confirm(D(2025, 7, 15), "降级")
    assert (done.outcome, done.grade, done.changes_rating) == ("confirmed", "3A", True)
    record = to_record(case.raised, done)
    assert record.body()["grade"] == "3A" and record.body()["valid_until"] == "2027-01-09"
    assert record.override_reason and record.evaluation_id == "x1"
    after = case.apply(done)
    with pytest.raises(e.RatingChangeDecidedAlready):
        after.dismiss(D(2025, 7, 16), "no")
    kept = case.dismiss(D(2025, 7, 15), "整改到位")
    assert (kept.outcome, kept.changes_rating) == ("dismissed", False)
    with pytest.raises(e.WrongReactionStep):
        case.close(D(2025, 7, 15), "kept", None, "x")
    cancel = proposal(change="cancellation").confirm(D(2025, 7, 15), "取消")
    assert cancel.grade is None and "valid_until" not in to_record(case.raised, cancel).body()


def test_a_verification_closes_with_a_result() -> None:
    case = proposal(kind="verification")
    with pytest.raises(e.WrongReactionStep):
        case.confirm(D(2026, 7, 1), "x")
    with pytest.raises(e.ResultGradeInvalid):
        case.close(D(2026, 7, 1), "downgraded", "4A", "not lower")
    with pytest.raises(e.ResultGradeInvalid):
        case.close(D(2026, 7, 1), "kept", "3A", "kept names none")
    assert case.close(D(2026, 7, 1), "kept", None, "核查无影响").changes_rating is False
    down = case.close(D(2026, 7, 1), "downgraded", "2A", "核查评估")
    assert (down.grade, down.changes_rating) == ("2A", True)
    assert case.close(D(2026, 7, 1), "cancelled", None, "x").changes_rating is True
