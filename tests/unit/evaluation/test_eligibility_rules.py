"""Eligibility to apply for a rating: each bar at its boundaries, under each regime."""

from __future__ import annotations

from datetime import date

import pytest

from services.evaluation.domain.eligibility import LocalitySwitches, eligibility, regime_on
from services.evaluation.domain.record import (
    CreditEntry,
    Investigation,
    Penalty,
    Rating,
    Record,
    Regime,
)
from tests.unit.evaluation.builders import clean, concluded

O39: Regime = "mca_order_39"
REV: Regime = "revision_2026"
SUMMER_2026 = date(2026, 7, 1)  # every 2025 report is due and concluded


def failing(
    record: Record, on: date, regime: Regime, switches: LocalitySwitches | None = None
) -> list[str]:
    return [r.rule for r in eligibility(record, on, regime, switches or LocalitySwitches()).failed]


def test_a_clean_organization_is_eligible_under_both_regimes() -> None:
    for regime in (O39, REV):
        result = eligibility(clean(), SUMMER_2026, regime)
        assert result.eligible and result.reasons == ()
        assert len(result.results) == 13  # every rule answered, barring or not


def test_the_regime_switches_on_1_march_2026() -> None:
    assert regime_on(date(2026, 2, 28)) == O39
    assert regime_on(date(2026, 3, 1)) == REV


def test_two_full_years_are_reached_on_the_second_anniversary() -> None:
    young = clean(registered_on=date(2024, 7, 2))
    assert failing(young, date(2026, 7, 1), REV) == ["registered_under_two_years"]
    assert failing(young, date(2026, 7, 2), REV) == []
    fact = eligibility(young, date(2026, 7, 1), REV).failed[0].facts
    assert fact == ("registered on 2024-07-02: two full years on 2026-07-02",)


def test_under_order_39_a_grade_bars_until_the_last_day_of_its_validity() -> None:
    grade = Rating(date(2020, 7, 1), "4A", O39, date(2020, 7, 1), date(2025, 6, 30))
    rated = clean(ratings=(grade,))
    assert failing(rated, date(2025, 6, 30), O39) == ["grade_still_valid"]
    assert failing(rated, date(2025, 7, 1), O39) == []
    passed = eligibility(rated, date(2025, 7, 1), O39).results[4]
    assert passed.rule == "grade_still_valid" and passed.facts == ("4A expired after 2025-06-30",)


def test_the_revision_allows_re_evaluation_in_the_first_four_years_of_a_grade() -> None:
    grade = Rating(date(2026, 6, 1), "3A", REV, date(2027, 1, 1), date(2031, 12, 31))
    rated = clean(ratings=(grade,))
    assert failing(rated, date(2026, 6, 2), REV) == []  # decided, not yet in force
    assert failing(rated, date(2030, 12, 31), REV) == []
    assert failing(rated, date(2031, 1, 1), REV) == ["grade_past_four_years"]
    assert failing(rated, date(2032, 1, 1), REV) == []  # expired
    # the same grade under 39号's bar would refuse all along
    assert failing(rated, date(2030, 12, 31), O39) == ["grade_still_valid"]


def test_a_cancelled_grade_does_not_bar() -> None:
    grades = (
        Rating(date(2022, 1, 1), "3A", O39, date(2022, 1, 1), date(2026, 12, 31)),
        Rating(date(2024, 1, 1), None, O39),
    )
    assert failing(clean(ratings=grades), SUMMER_2026, O39) == []


def test_last_years_report_missing_bars_both_regimes_naming_the_year() -> None:
    reports = {y: d for y, d in clean().reports.items() if y != 2025}
    record = clean(reports=reports)
    for regime in (O39, REV):
        assert eligibility(record, SUMMER_2026, regime).reasons == (
            "inspection_missing: no 2025 report",
        )


def test_before_the_deadline_last_years_inspection_is_the_year_before_last() -> None:
    reports = {y: d for y, d in clean().reports.items() if y != 2025}
    record = clean(reports=reports)  # the 2025 report is due by 31 May 2026
    assert failing(record, date(2026, 5, 31), REV) == []
    assert failing(record, date(2026, 6, 1), REV) == ["inspection_missing"]


def test_unqualified_bars_under_order_39_only() -> None:
    record = concluded(clean(), y2025="unqualified")
    assert failing(record, SUMMER_2026, O39) == ["inspection_unqualified"]
    assert failing(record, SUMMER_2026, REV) == []


def test_two_basically_qualified_running_bar_under_order_39_only() -> None:
    running = concluded(clean(), y2024="basically_qualified", y2025="basically_qualified")
    assert failing(running, SUMMER_2026, O39) == ["basically_qualified_twice"]
    assert failing(running, SUMMER_2026, REV) == []
    apart = concluded(clean(), y2023="basically_qualified", y2025="basically_qualified")
    assert failing(apart, SUMMER_2026, O39) == []


def penalised(*penalties: Penalty) -> Record:
    return clean(penalties=penalties)


def test_a_penalty_carried_out_on_31_december_vs_1_january() -> None:
    on = date(2025, 12, 31)
    done = penalised(Penalty("罚1", "fine", date(2023, 6, 1), carried_out_on=on))
    late = penalised(Penalty("罚1", "fine", date(2023, 6, 1), carried_out_on=date(2026, 1, 1)))
    assert failing(done, on, O39) == []
    assert failing(late, on, O39) == ["penalty"]
    assert eligibility(late, on, O39).reasons == (
        "penalty: fine 罚1 decided on 2023-06-01, not carried out",
    )


def test_a_penalty_decided_last_year_bars_though_carried_out() -> None:
    on = date(2026, 1, 1)
    before = Penalty("罚2", "warning", date(2024, 12, 31), carried_out_on=date(2024, 12, 31))
    last_year = Penalty("罚3", "warning", date(2025, 1, 1), carried_out_on=date(2025, 1, 1))
    assert failing(penalised(before), on, O39) == []
    assert failing(penalised(last_year), on, O39) == ["penalty"]
    assert failing(penalised(last_year), SUMMER_2026, REV) == ["penalty"]
    # 上年度: one decided this year and carried out already does not bar (one still to be
    # carried out does)
    this_year = Penalty("罚6", "fine", date(2026, 2, 1), carried_out_on=date(2026, 3, 1))
    assert failing(penalised(this_year), SUMMER_2026, REV) == []
    assert failing(penalised(this_year), date(2026, 2, 28), REV) == ["penalty"]


def test_a_minor_penalty_bars_under_order_39_and_not_under_the_revision() -> None:
    minor = penalised(Penalty("罚4", "warning", date(2025, 4, 1), minor=True))
    assert failing(minor, SUMMER_2026, O39) == ["minor_penalty"]
    assert failing(minor, SUMMER_2026, REV) == []


def test_an_investigation_bars_under_order_39_while_it_is_open() -> None:
    case = Investigation("i1", "武公立〔2025〕7号", date(2025, 10, 1), date(2026, 2, 1))
    record = clean(investigations=(case,))
    assert failing(record, date(2025, 9, 30), O39) == []
    assert failing(record, date(2025, 10, 1), O39) == ["under_investigation"]
    assert failing(record, date(2026, 2, 1), O39) == []  # closed that day
    open_case = clean(investigations=(Investigation("i2", "ref", date(2025, 10, 1)),))
    assert failing(open_case, SUMMER_2026, REV) == []


def test_a_credit_listing_bars_both_regimes_until_removed() -> None:
    entry = CreditEntry("abnormal", date(2026, 6, 1), "report_not_filed", date(2026, 8, 1))
    record = clean(credit=(entry,))
    for regime in (O39, REV):
        assert failing(record, date(2026, 7, 31), regime) == ["credit_listed"]
        assert failing(record, date(2026, 8, 1), regime) == []


def test_ends_and_community_organizations_always_bar() -> None:
    revoked = clean(revoked_on=date(2026, 1, 5), revoked_by="registration_revoked")
    assert failing(revoked, SUMMER_2026, REV) == ["in_liquidation"]
    ended = clean(ended_on=date(2026, 1, 5))
    assert failing(ended, SUMMER_2026, O39) == ["ended"]
    community = Record("c1", "community_org", date(2015, 1, 1))
    assert failing(community, SUMMER_2026, REV) == ["community_org"]


def test_a_refusal_lists_every_failing_rule_with_its_facts() -> None:
    record = concluded(
        clean(
            reports={y: d for y, d in clean().reports.items() if y != 2025},
            inspections={y: i for y, i in clean().inspections.items() if y != 2025},
            penalties=(Penalty("罚5", "warning", date(2025, 3, 1), minor=True),),
            investigations=(Investigation("i3", "立案1", date(2025, 11, 1)),),
            credit=(CreditEntry("serious", date(2025, 12, 1), "large_fine"),),
        ),
        y2024="unqualified",
    )
    assert eligibility(record, SUMMER_2026, O39).reasons == (
        "inspection_missing: no 2025 report",
        "inspection_unqualified: 2024 inspection: 不合格 (concluded on 2025-07-01)",
        "minor_penalty: warning (轻微) 罚5 decided on 2025-03-01, not carried out",
        "under_investigation: 立案调查 立案1 opened on 2025-11-01, not closed",
        "credit_listed: on the serious list (严重违法失信名单) since 2025-12-01 (large_fine)",
    )
    assert failing(record, SUMMER_2026, REV) == ["inspection_missing", "credit_listed"]


def test_locality_switches_add_and_drop_bars() -> None:
    unqualified = concluded(clean(), y2025="unqualified")
    strict = LocalitySwitches(on=frozenset({"inspection_unqualified"}))
    assert failing(unqualified, SUMMER_2026, REV, strict) == ["inspection_unqualified"]
    listed = clean(credit=(CreditEntry("abnormal", date(2026, 1, 1), "unreachable_at_address"),))
    lenient = LocalitySwitches(off=frozenset({"credit_listed"}))
    result = eligibility(listed, SUMMER_2026, O39, lenient)
    assert result.eligible
    assert [(r.rule, r.switched, r.passed) for r in result.results if r.switched] == [
        ("credit_listed", "off", False)
    ]


@pytest.mark.parametrize(
    "switches",
    [
        {"off": frozenset({"community_org"})},
        {"on": frozenset({"no_such_rule"})},
        {"on": frozenset({"penalty"}), "off": frozenset({"penalty"})},
    ],
)
def test_locality_switches_refuse_unknown_or_fixed_rules(
    switches: dict[str, frozenset[str]],
) -> None:
    with pytest.raises(ValueError):
        LocalitySwitches(**switches)
