"""The round and application aggregates: the window and the close, each step in order and out
of it, the 公示 and 复核 windows at their boundary days and the validity under both regimes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from services.evaluation.domain import errors as e
from services.evaluation.domain.process import PROCESSES, simplified_visit_until
from services.evaluation.domain.record import Rating
from services.evaluation.domain.round import check_window
from shared.contracts import contract_of, get_contract
from shared.contracts import evaluation as c
from shared.rules.rating import regime_of
from tests.unit.evaluation.builders import clean
from tests.unit.evaluation.workflow_builders import (
    ANQING,
    FRAMEWORK,
    a_round,
    admitted,
    published,
    scored,
    sheet,
    submitted,
    terms,
)

D = date


def test_a_round_takes_applications_inside_its_window_only() -> None:
    r = a_round()
    r.accepts(D(2026, 6, 1))
    r.accepts(D(2026, 6, 28))
    for day in (D(2026, 5, 31), D(2026, 6, 29)):
        with pytest.raises(e.OutsideApplicationWindow):
            r.accepts(day)
    with pytest.raises(e.InvalidWindow):
        check_window(D(2026, 6, 2), D(2026, 6, 1), D(2026, 6, 30))
    with pytest.raises(e.InvalidWindow):
        check_window(D(2026, 6, 1), D(2026, 6, 10), D(2026, 6, 9))


def test_a_round_closes_after_its_window_once_counting_what_each_recheck_found() -> None:
    r = a_round()
    with pytest.raises(e.RoundStillOpen):
        r.close(D(2026, 6, 28), [])
    app = submitted()
    checks = [app.rechecked(D(2026, 6, 29), ["credit_listed: on the abnormal list"])]
    closed = r.close(D(2026, 6, 29), checks)
    assert (closed.admitted, closed.excluded) == (0, 1)
    assert checks[0].reasons == ["credit_listed: on the abnormal list"]
    after = r.apply(closed)
    with pytest.raises(e.RoundClosedAlready):
        after.close(D(2026, 6, 30), [])
    with pytest.raises(e.RoundClosedAlready):
        after.accepts(D(2026, 6, 20))
    assert app.apply(checks[0]).status == "excluded"


def test_the_close_of_a_national_size_round_is_one_small_event_whatever_its_size() -> None:
    reasons = ["credit_listed: on the abnormal list (活动异常名录) since 2026-06-15 (x)"] * 3
    checks = [
        c.ApplicationRechecked(
            application_id=f"a{i}",
            organization_id=f"o{i}",
            checked_on=D(2026, 6, 29),
            eligible=False,
            reasons=reasons,
        )
        for i in range(10_000)
    ]
    closed = a_round().close(D(2026, 6, 29), checks)
    assert (closed.admitted, closed.excluded) == (0, 10_000)
    assert len(json.dumps(contract_of(closed).dump(closed))) < 200


def test_a_round_closed_under_schema_1_reads_as_its_counts() -> None:
    v1 = {
        "round_id": "r1",
        "closed_on": "2026-06-29",
        "admitted": 2,
        "ineligible": [{"application_id": "a1", "organization_id": "o1", "reasons": ["x"]}],
    }
    read = get_contract("evaluation", "round_closed").parse(v1, 1)
    assert (read.admitted, read.excluded) == (2, 1)
    assert a_round().apply(read).closed == read


def test_the_round_regime_follows_its_date() -> None:
    assert terms(D(2026, 2, 1)).regime == "mca_order_39"
    assert terms(D(2026, 3, 1)).regime == "revision_2026"


def test_scoring_waits_for_the_close_and_takes_one_sheet_per_assessor() -> None:
    with pytest.raises(e.RoundStillOpen):
        submitted().sheet(D(2026, 6, 20), "专家0", sheet(0.9), FRAMEWORK)
    app = scored(0.9)
    with pytest.raises(e.AssessorScoredAlready):
        app.sheet(D(2026, 7, 2), "专家0", sheet(0.8), FRAMEWORK)
    assert app.score("mean") == 900


def test_the_committee_decides_after_enough_sheets_and_explains_another_grade() -> None:
    day = D(2026, 7, 10)
    with pytest.raises(e.TooFewSheets):
        scored(0.92).decide(day, "4A", None, terms=terms(), thresholds=ANQING)
    app = scored(0.92, 0.96)  # mean 940: 4A under Anqing 2021
    decided = app.decide(day, "4A", None, terms=terms(), thresholds=ANQING)
    assert (decided.grade, decided.proposed_grade, decided.score) == ("4A", "4A", 940)
    with pytest.raises(e.ReasonRequired):
        app.decide(day, "5A", None, terms=terms(), thresholds=ANQING)
    other = app.decide(day, "3A", "材料不实", terms=terms(), thresholds=ANQING)
    assert (other.grade, other.proposed_grade) == ("3A", "4A")
    after = app.apply(decided)
    with pytest.raises(e.AlreadyDecided):
        after.decide(day, "4A", None, terms=terms(), thresholds=ANQING)


def test_a_withdrawn_application_stays_on_record_and_takes_no_step() -> None:
    app = admitted()
    gone = app.apply(app.withdraw(D(2026, 7, 1), "机构调整"))
    assert gone.status == "withdrawn" and gone.submitted.organization_id == "o1"
    with pytest.raises(e.ApplicationWithdrawn):
        gone.decide(D(2026, 7, 2), "4A", None, terms=terms(), thresholds=ANQING)
    with pytest.raises(e.ApplicationWithdrawn):
        gone.sheet(D(2026, 7, 2), "专家9", sheet(0.9), FRAMEWORK)
    with pytest.raises(e.ApplicationWithdrawn):
        gone.withdraw(D(2026, 7, 2), None)


@pytest.mark.parametrize("regime_day", [D(2025, 6, 1), D(2026, 6, 1)], ids=["39号", "2026"])
def test_objections_only_inside_the_publicity_window(regime_day: date) -> None:
    app = published(regime_day, regime_day + (D(2026, 1, 2) - D(2026, 1, 1)))
    assert app.publication is not None
    first, last = app.publication.published_on, app.publication.ends_on
    assert (last - first).days == 14  # 15 days, the publication day counted in
    assert app.object("o1", last, "异议", 15).due_on == D.fromordinal(last.toordinal() + 15)
    with pytest.raises(e.PublicityOver):
        app.object("o1", D.fromordinal(last.toordinal() + 1), "异议", 15)


def test_objections_and_confirmation_before_the_publicity_are_refused() -> None:
    app = scored(0.92, 0.92)
    with pytest.raises(e.NotDecided):
        app.object("o1", D(2026, 7, 5), "异议", 15)
    decided = app.apply(app.decide(D(2026, 7, 5), "4A", None, terms=terms(), thresholds=ANQING))
    with pytest.raises(e.NotPublished):
        decided.confirm(D(2026, 8, 1))
    with pytest.raises(e.NotPublished):
        decided.object("o1", D(2026, 7, 6), "异议", 15)


@pytest.mark.parametrize(
    ("decided_on", "by"),
    [(D(2026, 2, 10), "review_committee"), (D(2026, 7, 10), "evaluation_committee")],
    ids=["39号", "2026"],
)
def test_the_review_is_due_within_15_days_of_the_objection(decided_on: date, by: str) -> None:
    app = published(decided_on, decided_on)
    process = PROCESSES[regime_of(decided_on)]
    lodged = app.object("ob1", decided_on, "异议", 15)
    app = app.apply(lodged)
    assert lodged.due_on == D.fromordinal(decided_on.toordinal() + 15)
    with pytest.raises(e.ReviewOverdue):
        app.review("ob1", D.fromordinal(lodged.due_on.toordinal() + 1), None, "r", process)
    review = app.review("ob1", lodged.due_on, "3A", "复核改定", process)
    assert review.decided_by == by
    after = app.apply(review)
    assert after.grade == "3A"
    with pytest.raises(e.ObjectionDecidedAlready):
        after.review("ob1", lodged.due_on, None, "r", process)
    with pytest.raises(e.ObjectionNotFound):
        after.review("nope", lodged.due_on, None, "r", process)


def test_confirmation_waits_for_the_publicity_and_every_objection() -> None:
    app = published(D(2026, 7, 10), D(2026, 7, 11))
    with pytest.raises(e.PublicityRunning):
        app.confirm(D(2026, 7, 25))  # the 公示's last day
    with_objection = app.apply(app.object("ob1", D(2026, 7, 25), "异议", 15))
    with pytest.raises(e.ObjectionPending):
        with_objection.confirm(D(2026, 7, 26))
    confirmed = app.apply(app.confirm(D(2026, 7, 26)))
    assert confirmed.status == "confirmed"
    with pytest.raises(e.AlreadyConfirmed):
        confirmed.confirm(D(2026, 7, 27))
    with pytest.raises(e.AlreadyConfirmed):
        confirmed.object("ob2", D(2026, 7, 27), "异议", 15)


def test_the_validity_follows_the_regime_of_the_decision_date() -> None:
    old = published(D(2026, 2, 27), D(2026, 2, 28))
    under_39 = old.confirm(D(2026, 3, 20))
    assert (under_39.regime, under_39.valid_from, under_39.valid_until) == (
        "mca_order_39", D(2026, 2, 27), D(2031, 2, 26),
    )  # fmt: skip
    new = published(D(2026, 3, 1), D(2026, 3, 2))
    revised = new.confirm(D(2026, 3, 20))
    assert (revised.regime, revised.valid_from, revised.valid_until) == (
        "revision_2026", D(2027, 1, 1), D(2031, 12, 31),
    )  # fmt: skip
    assert (revised.evaluation_id, revised.grade, revised.announced_on) == (
        "a1", "4A", D(2026, 3, 20),
    )  # fmt: skip


def test_the_simplified_visit_is_open_in_the_first_two_years_of_a_grade() -> None:
    grade = Rating(D(2026, 4, 1), "4A", "revision_2026", D(2027, 1, 1), D(2031, 12, 31))
    record = replace(clean(), ratings=(grade,))
    assert simplified_visit_until(record, D(2026, 6, 1)) == D(2028, 12, 31)
    assert simplified_visit_until(clean(), D(2026, 6, 1)) is None
    assert PROCESSES["revision_2026"].re_evaluation and not PROCESSES["mca_order_39"].re_evaluation
