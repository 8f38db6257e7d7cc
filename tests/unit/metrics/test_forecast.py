"""The forecast on known series: exact lines, the weights, the range, too little history."""

from __future__ import annotations

import pytest

from services.metrics.domain.forecast import MIN_POINTS, forecast


def test_a_straight_line_is_forecast_exactly_with_no_spread() -> None:
    fc = forecast([100 + 10 * i for i in range(12)], at=24)
    assert fc is not None
    assert fc.value == pytest.approx(340)
    assert fc.slope_per_month == pytest.approx(10)
    assert fc.low == pytest.approx(340) and fc.high == pytest.approx(340)
    assert fc.points == 12


def test_recent_months_weigh_more_than_early_ones() -> None:
    # Flat for six months, then rising by 5 a month: weighting the latest months more gives a
    # steeper line than ordinary least squares (slope 2.727… for this series).
    series = [0.0] * 6 + [5.0 * i for i in range(1, 7)]
    fc = forecast(series, at=11)
    assert fc is not None
    ordinary = 2.7272727
    assert fc.slope_per_month > ordinary + 0.1


def test_weighted_least_squares_matches_a_hand_computation() -> None:
    # weights 1..6 over x = 0..5, y = [1, 3, 2, 5, 4, 6]
    y = [1.0, 3.0, 2.0, 5.0, 4.0, 6.0]
    w = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    sw = sum(w)
    xm = sum(wi * x for wi, x in zip(w, range(6), strict=True)) / sw
    ym = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sw
    b = sum(wi * (x - xm) * (yi - ym) for wi, x, yi in zip(w, range(6), y, strict=True)) / sum(
        wi * (x - xm) ** 2 for wi, x in zip(w, range(6), strict=True)
    )
    fc = forecast(y, at=10)
    assert fc is not None
    assert fc.slope_per_month == pytest.approx(b)
    assert fc.value == pytest.approx(ym + b * (10 - xm))


def test_noise_gives_a_range_that_widens_further_out() -> None:
    series = [10 + 2 * i + (1 if i % 2 else -1) for i in range(12)]
    near, far = forecast(series, at=12), forecast(series, at=36)
    assert near is not None and far is not None
    assert near.low < near.value < near.high
    assert far.high - far.low > near.high - near.low


def test_too_few_months_give_no_forecast() -> None:
    assert forecast([1.0] * (MIN_POINTS - 1), at=10) is None
    assert forecast([1.0] * MIN_POINTS, at=10) is not None
