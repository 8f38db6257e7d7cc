"""Status rules of a target on a date, month ends, the indicator grammar."""

from __future__ import annotations

from datetime import date

import pytest

from services.metrics.domain import indicators
from services.metrics.domain.calendar import month_end, month_ends
from services.metrics.domain.targets import Target, months_between, progress, satisfies


def target(
    comparison: str = ">=", threshold: float = 100, deadline: date = date(2025, 12, 31)
) -> Target:
    return Target(
        id="t",
        clause="§一(二)7",
        wording="到2025年底,全市社区社会组织突破3.8万家",
        indicator="community_orgs",
        comparison=comparison,  # type: ignore[arg-type]
        threshold=threshold,
        deadline=deadline,
        aim=False,
    )


AS_OF = date(2024, 12, 31)  # 12 months before the deadline


def test_met_when_the_value_satisfies_the_comparison() -> None:
    p = progress(target(), AS_OF, 100, [90, 92, 94, 96, 98, 100])
    assert p.status == "met" and p.gap == 0


def test_more_than_is_strict() -> None:
    p = progress(target(">", 100), AS_OF, 100, [100] * 6)
    assert p.status != "met" and p.gap == 0
    assert satisfies(100.0, "=", 100) and not satisfies(99.5, "=", 100)


def test_on_track_when_the_forecast_reaches_the_threshold() -> None:
    history = [40.0 + 5 * i for i in range(12)]  # 95 in month 11, +5 a month
    p = progress(target(), AS_OF, history[-1], history)
    assert p.status == "on_track"
    assert p.forecast is not None and p.forecast.value == pytest.approx(95 + 5 * 12)
    assert p.gap == 5


def test_off_track_when_even_the_favourable_end_falls_short() -> None:
    history = [10.0 + 0.5 * i for i in range(12)]
    assert progress(target(), AS_OF, history[-1], history).status == "off_track"


def test_at_risk_when_only_the_range_reaches_it() -> None:
    # Rising 2 a month with alternating noise: the line ends near 90 at the deadline, and the
    # upper end of its range passes 100.
    history = [40.0 + 2 * i + (6 if i % 2 else -6) for i in range(12)]
    p = progress(target(threshold=92), AS_OF, history[-1], history)
    assert p.forecast is not None
    assert p.forecast.value < 92 <= p.forecast.high
    assert p.status == "at_risk"


def test_too_little_history_says_so() -> None:
    p = progress(target(), AS_OF, 50, [40, 45, 50])
    assert p.status == "insufficient_history" and p.forecast is None
    assert progress(target(), AS_OF, None, []).status == "insufficient_history"


def test_a_passed_deadline_not_met_is_off_track() -> None:
    p = progress(target(deadline=date(2024, 6, 30)), AS_OF, 50, [40, 45, 50])
    assert p.status == "off_track"


def test_month_ends_end_on_the_date_itself() -> None:
    assert month_end(date(2024, 2, 3)) == date(2024, 2, 29)
    assert month_end(date(2024, 12, 3)) == date(2024, 12, 31)
    assert month_ends(date(2023, 11, 15), date(2024, 2, 10)) == [
        date(2023, 11, 30),
        date(2023, 12, 31),
        date(2024, 1, 31),
        date(2024, 2, 10),
    ]
    assert month_ends(date(2024, 1, 1), date(2024, 1, 31)) == [date(2024, 1, 31)]
    assert months_between(date(2024, 12, 31), date(2025, 12, 31)) == 12


def test_the_indicator_grammar() -> None:
    share = indicators.parse("share.category.产业发展类+工商服务类")
    assert share.measure == "share" and share.categories == ("产业发展类", "工商服务类")
    assert indicators.parse("grade3a.share.level.city+county").levels == ("city", "county")
    assert indicators.parse("coverage.street.社区社会组织联合会").unit_level == "street"
    assert indicators.parse("per_community.rural").urban is False
    assert indicators.parse("grade3a.count").grades == ("3A", "4A", "5A")
    for bad in ("orgs.kind.company", "grade3a.share.level.town", "nothing", "share.category."):
        with pytest.raises(indicators.UnknownIndicator):
            indicators.parse(bad)
    for name in indicators.STANDARD:
        indicators.parse(name)
