"""The target sets' data files: every plan's numeric targets, each with its clause."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from services.metrics.adapters.targets_file import BadTargetFile, load_target_sets

SETS = load_target_sets()


def pick(set_id: str, indicator: str) -> list[tuple[str, float, date, bool]]:
    return [
        (t.comparison, t.threshold, t.deadline, t.aim)
        for t in SETS[set_id].targets
        if t.indicator == indicator
    ]


def test_one_set_per_plan() -> None:
    assert set(SETS) == {"wuhan-three-year", "wuhan-community", "yaan", "ningbo", "national-2017"}
    assert SETS["wuhan-three-year"].place == "420100" and SETS["yaan"].place == "511800"


def test_every_target_cites_its_clause_and_the_plan_file() -> None:
    seeds = Path(__file__).resolve().parents[4] / "shared" / "seeds"
    for s in SETS.values():
        if s.id != "national-2017":  # the 2017 opinion is not among the seeds
            assert s.plan.endswith(".txt")
            if seeds.exists():
                assert (seeds / s.plan).exists(), s.plan
        for t in s.targets:
            assert t.clause and t.wording and any("\u4e00" <= c <= "\u9fff" for c in t.wording)


def test_wuhan_three_year_targets() -> None:
    end = date(2025, 12, 31)
    assert pick("wuhan-three-year", "share.category.科技创新类") == [(">=", 5, end, True)]
    assert pick("wuhan-three-year", "share.category.产业发展类+工商服务类") == [
        (">=", 15, end, True)
    ]
    assert pick("wuhan-three-year", "share.category.社会服务类") == [(">=", 15, end, False)]
    assert pick("wuhan-three-year", "reported.rural_pairing_organizations") == [
        (">=", 100, end, True)
    ]
    assert pick("wuhan-three-year", "coverage.street.社区社会组织联合会") == [
        (">=", 100, date(2024, 12, 31), True)
    ]
    assert pick("wuhan-three-year", "community_orgs") == [(">", 38000, end, False)]
    assert pick("wuhan-three-year", "employed") == [(">=", 60000, end, False)]
    assert pick("wuhan-three-year", "reported.street_charity_fund_coverage") == [
        (">=", 100, end, False)
    ]
    assert pick("wuhan-three-year", "reported.community_charity_fund_coverage") == [
        (">=", 30, end, False)
    ]
    assert pick("wuhan-three-year", "grade3a.share.level.city") == [(">=", 25, end, False)]
    assert pick("wuhan-three-year", "grade3a.share.all") == [(">=", 5, end, False)]
    assert pick("wuhan-three-year", "reported.progress_report_2024") == [
        (">=", 1, date(2024, 10, 31), False)
    ]
    assert pick("wuhan-three-year", "reported.final_summary_report") == [
        (">=", 1, date(2025, 9, 30), False)
    ]


def test_wuhan_community_targets() -> None:
    end = date(2025, 12, 31)
    assert pick("wuhan-community", "community_orgs") == [(">", 38000, end, True)]
    assert pick("wuhan-community", "per_community.urban") == [(">=", 20, end, True)]
    assert pick("wuhan-community", "per_community.rural") == [(">=", 5, end, True)]
    assert pick("wuhan-community", "coverage.street.社区社会组织联合会")[0][1] == 100
    assert pick("wuhan-community", "reported.street_incubation_base_coverage")[0][3] is True


def test_yaan_targets() -> None:
    end = date(2025, 12, 31)
    assert pick("yaan", "per_community.urban") == [(">=", 12, end, True)]
    assert pick("yaan", "per_community.rural") == [(">=", 7, end, True)]
    assert pick("yaan", "reported.brand_organizations") == [(">=", 10, end, False)]
    assert pick("yaan", "reported.brand_projects") == [(">=", 10, end, False)]
    assert pick("yaan", "reported.leading_talents") == [(">=", 100, end, False)]
    assert pick("yaan", "grade3a.share.level.city+county") == [(">=", 10, end, False)]
    names = {t.indicator for t in SETS["yaan"].targets}
    assert {
        "reported.city_county_incubation_base_coverage",
        "reported.central_town_incubation_base_coverage",
        "reported.principal_officers_trained_share",
        "reported.sample_audits_2025",
        "coverage.street.社区社会组织联合会",
    } <= names


def test_ningbo_target_and_snapshot_checks() -> None:
    assert pick("ningbo", "coverage.county.社区发展基金会") == [
        (">=", 100, date(2023, 12, 31), False)
    ]
    checks = {t.indicator: t.threshold for t in SETS["ningbo"].targets if t.check}
    assert checks == {
        "orgs": 10224,
        "orgs.kind.social_group": 2627,
        "orgs.kind.social_service_agency": 7528,
        "orgs.kind.foundation": 69,
        "orgs.level.city": 1039,
        "community_orgs.urban": 18003,
        "community_orgs.rural": 30844,
        "grade3a.count": 1293,
        "reported.community_org_activity_rate": 76,
    }


def test_national_minimums() -> None:
    assert pick("national-2017", "per_community.urban") == [(">=", 10, date(2020, 12, 31), True)]
    assert pick("national-2017", "per_community.rural") == [(">=", 5, date(2020, 12, 31), True)]


def test_a_file_with_an_unknown_indicator_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text(
        'id = "x"\ntitle = "x"\nplan = "p.txt"\nplace = "420100"\nstart = 2023-01-01\n'
        '[[targets]]\nid = "a"\nclause = "§一"\nwording = "字"\nindicator = "orgs.kind.firm"\n'
        'comparison = ">="\nthreshold = 1\ndeadline = 2025-12-31\naim = false\n',
        encoding="utf-8",
    )
    with pytest.raises(BadTargetFile, match=r"orgs\.kind\.firm"):
        load_target_sets(tmp_path)
