"""The rating pipeline's rules: what each EVALUATION event does to an application's periods in
progress and with a decided grade not yet in force, and the indicators that count them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.metrics.consumers.pipeline import Pipeline
from services.metrics.domain import indicators
from shared.contracts import evaluation as c
from shared.contracts.base import EventData

D = date.fromisoformat
APP, ORG = "app-1", "org-1"


def submitted(on: str = "2026-06-01") -> c.ApplicationSubmitted:
    return c.ApplicationSubmitted(
        application_id=APP, round_id="r-1", organization_id=ORG, submitted_on=D(on)
    )


def decided(grade: Any, on: str = "2026-06-08") -> c.GradeDecided:
    return c.GradeDecided(application_id=APP, organization_id=ORG, grade=grade, decided_on=D(on))


def lodged(objection: str, on: str) -> c.ObjectionLodged:
    return c.ObjectionLodged(
        application_id=APP, organization_id=ORG, objection_id=objection, lodged_on=D(on),
        grounds="计分有误", due_on=D("2026-07-31"),
    )  # fmt: skip


def reviewed(objection: str, grade: Any, on: str) -> c.ObjectionDecided:
    return c.ObjectionDecided(
        application_id=APP, organization_id=ORG, objection_id=objection, decided_on=D(on),
        grade=grade, reason="复核", decided_by="evaluation_committee",
    )  # fmt: skip


def confirmed(grade: Any, decided_on: str, announced: str, valid_from: str) -> c.GradeConfirmed:
    regime = "mca_order_39" if D(decided_on) < D("2026-03-01") else "revision_2026"
    return c.GradeConfirmed(
        application_id=APP, organization_id=ORG, evaluation_id=APP, grade=grade,
        decided_on=D(decided_on), announced_on=D(announced), regime=regime,
        valid_from=D(valid_from), valid_until=D("2031-12-31"),
    )  # fmt: skip


def periods(*events: EventData, stored: Pipeline | None = None) -> list[tuple[Any, ...]]:
    """(what, valid_from, valid_to) of the application's rows after the events."""
    fold = stored or Pipeline()
    for e in events:
        fold.apply(e)
    return [(r["what"], r["valid_from"], r["valid_to"]) for r in fold.rows.get(APP, [])]


def changes(rows: list[tuple[Any, ...]]) -> dict[tuple[date, str], int]:
    """The signed changes by day the periods add to a count (none for an empty period)."""
    out: dict[tuple[date, str], int] = {}
    for what, start, end in rows:
        if end is not None and end <= start:
            continue
        for day, sign in ((start, 1), (end, -1)):
            if day is not None:
                out[(day, what)] = out.get((day, what), 0) + sign
    return {k: v for k, v in out.items() if v}


def test_a_submission_adds_an_application_in_progress_from_its_day() -> None:
    assert changes(periods(submitted())) == {(D("2026-06-01"), "application"): 1}


def test_a_decision_adds_its_grade_pending_from_the_decision() -> None:
    assert changes(periods(submitted(), decided("4A"))) == {
        (D("2026-06-01"), "application"): 1,
        (D("2026-06-08"), "4A"): 1,
    }


def test_a_decision_without_a_grade_ends_the_application() -> None:
    assert changes(periods(submitted(), decided(None))) == {
        (D("2026-06-01"), "application"): 1,
        (D("2026-06-08"), "application"): -1,
    }


def test_a_withdrawal_ends_the_application_and_any_grade_decided() -> None:
    withdrawn = c.ApplicationWithdrawn(
        application_id=APP, organization_id=ORG, withdrawn_on=D("2026-06-10")
    )
    assert changes(periods(submitted(), decided("3A"), withdrawn)) == {
        (D("2026-06-01"), "application"): 1,
        (D("2026-06-08"), "3A"): 1,
        (D("2026-06-10"), "application"): -1,
        (D("2026-06-10"), "3A"): -1,
    }


def test_an_exclusion_at_the_close_ends_the_application_an_eligible_recheck_does_not() -> None:
    def checked(eligible: bool) -> c.ApplicationRechecked:
        return c.ApplicationRechecked(
            application_id=APP, organization_id=ORG, checked_on=D("2026-06-06"), eligible=eligible
        )

    assert changes(periods(submitted(), checked(True))) == {(D("2026-06-01"), "application"): 1}
    assert changes(periods(submitted(), checked(False))) == {
        (D("2026-06-01"), "application"): 1,
        (D("2026-06-06"), "application"): -1,
    }


def test_a_review_moves_the_pending_grade_from_its_day_below_3a_too() -> None:
    rows = periods(
        submitted(), decided("3A"), lodged("o1", "2026-06-15"), reviewed("o1", "2A", "2026-06-20")
    )
    assert changes(rows) == {
        (D("2026-06-01"), "application"): 1,
        (D("2026-06-08"), "3A"): 1,
        (D("2026-06-20"), "3A"): -1,
        (D("2026-06-20"), "2A"): 1,
    }


def test_a_review_that_keeps_the_decision_changes_nothing() -> None:
    before = periods(submitted(), decided("4A"), lodged("o1", "2026-06-15"))
    after = periods(
        submitted(), decided("4A"), lodged("o1", "2026-06-15"), reviewed("o1", None, "2026-06-20")
    )
    same = periods(
        submitted(), decided("4A"), lodged("o1", "2026-06-15"), reviewed("o1", "4A", "2026-06-20")
    )
    assert before == after == same


def test_the_review_of_the_objection_lodged_last_prevails_whatever_the_order_decided() -> None:
    rows = periods(
        submitted(),
        decided("3A"),
        lodged("o1", "2026-06-10"),
        lodged("o2", "2026-06-12"),
        reviewed("o2", "5A", "2026-06-14"),
        reviewed("o1", "2A", "2026-06-20"),  # lodged first: o2's grade stands
    )
    assert changes(rows) == {
        (D("2026-06-01"), "application"): 1,
        (D("2026-06-08"), "3A"): 1,
        (D("2026-06-14"), "3A"): -1,
        (D("2026-06-14"), "5A"): 1,
    }


def test_under_the_2026_revision_pending_lasts_until_the_grade_takes_effect() -> None:
    rows = periods(
        submitted(),
        decided("4A"),
        lodged("o1", "2026-06-15"),
        reviewed("o1", "5A", "2026-06-20"),
        confirmed("5A", "2026-06-08", "2026-06-24", "2027-01-01"),
    )
    assert changes(rows) == {
        (D("2026-06-01"), "application"): 1,
        (D("2026-06-08"), "4A"): 1,
        (D("2026-06-20"), "4A"): -1,
        (D("2026-06-20"), "5A"): 1,
        (D("2026-06-24"), "application"): -1,  # confirmed: no longer in progress
        (D("2027-01-01"), "5A"): -1,  # in force on the register: counted by grade.5A
    }


def test_under_39号_a_confirmed_decision_is_never_pending_its_grade_holds_from_it() -> None:
    rows = periods(
        submitted("2025-06-01"),
        decided("3A", "2025-06-08"),
        lodged("o1", "2025-06-15"),
        reviewed("o1", "4A", "2025-06-20"),
        confirmed("4A", "2025-06-08", "2025-06-24", "2025-06-08"),
    )
    assert changes(rows) == {
        (D("2025-06-01"), "application"): 1,
        (D("2025-06-24"), "application"): -1,
    }


def test_the_rows_stored_are_folded_on_and_only_those_changed_are_written() -> None:
    first = Pipeline()
    for e in (submitted(), decided("4A")):
        first.apply(e)
    stored = Pipeline()
    for row in first.written():
        stored.load_row(row)
    later = periods(confirmed("4A", "2026-06-08", "2026-06-24", "2027-01-01"), stored=stored)
    assert later == [
        ("application", D("2026-06-01"), D("2026-06-24")),
        ("4A", D("2026-06-08"), D("2027-01-01")),
    ]
    assert len(stored.written()) == 2
    untouched = Pipeline()
    for row in first.written():
        untouched.load_row(row)
    untouched.apply(lodged("o1", "2026-06-15"))
    assert untouched.written() == [] and len(untouched.lodged) == 1


def test_the_pipeline_indicators_in_the_grammar() -> None:
    pending = indicators.parse("rating.pending.3a")
    assert (pending.measure, pending.grades, pending.levels) == ("pending", ("3A", "4A", "5A"), ())
    scoped = indicators.parse("rating.pending.3a.level.city+county")
    assert scoped.levels == ("city", "county") and scoped.kinds == indicators.LEGAL_PERSONS
    assert indicators.parse("rating.pending.4A").grades == ("4A",)
    assert indicators.parse("rating.applications").measure == "applications"
    for bad in ("rating.pending.6A", "rating.pending.3a.level.town", "rating.pending", "rating"):
        with pytest.raises(indicators.UnknownIndicator):
            indicators.parse(bad)


def test_a_3a_target_is_shown_with_the_pending_decisions_of_its_scope() -> None:
    assert indicators.pending_of("grade3a.share.all") == "rating.pending.3a"
    assert indicators.pending_of("grade3a.count") == "rating.pending.3a"
    assert (
        indicators.pending_of("grade3a.share.level.city+county")
        == "rating.pending.3a.level.city+county"
    )
    assert indicators.pending_of("grade.4A") is None
    assert indicators.pending_of("community_orgs") is None
