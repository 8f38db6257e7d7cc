"""The grade thresholds at their boundaries (both real sets of DOMAIN.md), the frameworks as
data, the aggregate of several sheets, and the sheets refused."""

from __future__ import annotations

import pytest

from services.evaluation.domain import errors as e
from services.evaluation.domain.framework import framework_from
from services.evaluation.domain.scoring import aggregate
from services.evaluation.domain.thresholds import thresholds_from
from tests.unit.evaluation.workflow_builders import ANQING, CATALOGUE, FRAMEWORK, sheet

LUOYANG = CATALOGUE.grades("luoyang-chanhe-2025")


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (1000, "5A"), (950.01, "5A"), (950, "4A"), (901, "4A"), (900.5, "4A"), (900, "3A"),
        (851, "3A"), (850, "2A"), (801, "2A"), (800, "1A"), (701, "1A"), (700, None), (0, None),
    ],
)  # fmt: skip
def test_anqing_2021_thresholds_at_their_boundaries(score: float, grade: str | None) -> None:
    assert ANQING.grade_for(score) == grade


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (900, "5A"), (899.99, "4A"), (800, "4A"), (799, "3A"), (700, "3A"), (699.5, "2A"),
        (600, "2A"), (599, "1A"), (0, "1A"),
    ],
)  # fmt: skip
def test_luoyang_chanhe_2025_thresholds_at_their_boundaries(
    score: float, grade: str | None
) -> None:
    assert LUOYANG.grade_for(score) == grade


def test_the_default_framework_has_four_sections_and_1000_points() -> None:
    assert [s.name for s in FRAMEWORK.sections] == ["基础条件", "内部治理", "工作绩效", "社会评价"]
    assert FRAMEWORK.total == 1000
    assert FRAMEWORK.total_of(sheet(0.9)) == 900


def test_malformed_frameworks_and_thresholds_are_refused_at_load() -> None:
    one = {"locality": "x", "version": 1, "sections": [{"name": "s", "indicators": []}]}
    with pytest.raises(e.InvalidFramework):
        framework_from("x-v1", one)
    bad_total = {
        "locality": "x", "version": 1, "total": 1000,
        "sections": [{"name": "s", "indicators": [{"code": "A", "name": "a", "max_points": 10}]}],
    }  # fmt: skip
    with pytest.raises(e.InvalidFramework, match="sums to 10"):
        framework_from("x-v1", bad_total)
    with pytest.raises(e.InvalidFramework, match="decrease"):
        two = [{"grade": "5A", "at_least": 1}, {"grade": "4A", "at_least": 2}]
        thresholds_from("t", {"bands": two})
    with pytest.raises(e.InvalidFramework, match="exactly one"):
        thresholds_from("t", {"bands": [{"grade": "5A", "at_least": 1, "more_than": 1}]})


def test_scores_aggregate_by_mean_by_default_median_or_trimmed_mean() -> None:
    totals = [900, 910, 990]
    assert aggregate("mean", totals) == 933.33
    assert aggregate("median", totals) == 910
    assert aggregate("trimmed_mean", totals) == 910
    assert aggregate("trimmed_mean", [900, 990]) == 945  # fewer than 3: the mean


def test_a_sheet_out_of_range_missing_or_unknown_is_refused() -> None:
    over = {**sheet(0.5), "A1": 30.5}
    with pytest.raises(e.ScoreOutOfRange, match=r"A1=30\.5") as out:
        FRAMEWORK.total_of(over)
    assert out.value.extensions["scores"] == [{"indicator": "A1", "score": 30.5, "max_points": 30}]
    with pytest.raises(e.ScoreOutOfRange):
        FRAMEWORK.total_of({**sheet(0.5), "B1": -1})
    assert FRAMEWORK.total_of({**sheet(0.0), "A1": 30}) == 30  # the maximum itself is in range
    missing = sheet(0.5)
    del missing["D3"]
    with pytest.raises(e.IndicatorMissing, match="D3"):
        FRAMEWORK.total_of(missing)
    with pytest.raises(e.IndicatorUnknown, match="Z9"):
        FRAMEWORK.total_of({**sheet(0.5), "Z9": 1})
