"""What an organization's rows add to the counts, by day: periods, their intersections with
grades and reports, the days a report is replaced, and the rows of the changes tables."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.metrics.consumers.contributions import (
    contributions,
    months_of,
    replaced_on,
    rows_of,
)

D = date.fromisoformat
ATTRS = ("420106001", "social_group", "产业发展类", "county", "active", "")


def span(start: str, end: str | None, **kw: Any) -> dict[str, Any]:
    values = {
        "place": "420106001",
        "kind": "social_group",
        "category": "产业发展类",
        "level": "county",
        "status": "active",
        "urban": None,
        "valid_from": D(start),
        "valid_to": None if end is None else D(end),
    }
    return values | kw


def report(year: int, on: str, staff: int | None) -> dict[str, Any]:
    return {"year": year, "submitted_on": D(on), "staff_employed": staff}


def test_a_span_adds_one_from_its_start_and_takes_it_back_at_its_end() -> None:
    assert contributions([span("2021-01-10", "2023-03-01")], [], []) == {
        (D("2021-01-10"), *ATTRS, ""): [1, 0],
        (D("2023-03-01"), *ATTRS, ""): [-1, 0],
    }
    assert contributions([span("2021-01-10", None)], [], []) == {
        (D("2021-01-10"), *ATTRS, ""): [1, 0]
    }


def test_an_organization_ended_on_the_day_it_began_or_before_adds_nothing() -> None:
    assert contributions([span("2022-01-01", "2022-01-01")], [], []) == {}
    assert contributions([span("2022-01-01", "2021-12-01")], [], []) == {}


def test_a_grade_counts_over_its_intersection_with_each_span() -> None:
    spans = [span("2021-01-01", "2023-01-01"), span("2023-01-01", None, level="city")]
    grades = [{"grade": "4A", "valid_from": D("2022-06-01"), "valid_to": D("2024-01-01")}]
    city = (*ATTRS[:3], "city", *ATTRS[4:])
    found = contributions(spans, grades, [])
    assert {k: v for k, v in found.items() if k[-1] == "4A"} == {
        (D("2022-06-01"), *ATTRS, "4A"): [1, 0],
        (D("2023-01-01"), *ATTRS, "4A"): [-1, 0],
        (D("2023-01-01"), *city, "4A"): [1, 0],
        (D("2024-01-01"), *city, "4A"): [-1, 0],
    }


def test_a_report_is_replaced_by_the_first_submission_of_a_later_year() -> None:
    reports = [report(2021, "2022-03-01", 10), report(2022, "2023-03-01", 12)]
    assert replaced_on(reports) == {2022: None, 2021: D("2023-03-01")}
    # corrected after the later year's was submitted: replaced before it is in effect
    reports[0] = report(2021, "2023-06-01", 11)
    assert replaced_on(reports) == {2022: None, 2021: D("2023-03-01")}
    found = contributions([span("2021-01-01", None)], [], reports)
    assert {k[0]: v for k, v in found.items() if v[1]} == {D("2023-03-01"): [0, 12]}


def test_a_report_without_a_headcount_still_replaces_the_one_before() -> None:
    reports = [report(2021, "2022-03-01", 10), report(2022, "2023-03-01", None)]
    found = contributions([span("2021-01-01", "2024-01-01")], [], reports)
    assert {k[0]: v for k, v in found.items() if v[1]} == {
        D("2022-03-01"): [0, 10],
        D("2023-03-01"): [0, -10],
    }


def test_the_changes_of_an_organization_after_minus_before() -> None:
    before = contributions([span("2021-01-10", None)], [], [], -1)
    found = contributions([span("2021-01-10", "2023-03-01")], [], [], 1, before)
    assert {k: v for k, v in found.items() if v != [0, 0]} == {
        (D("2023-03-01"), *ATTRS, ""): [-1, 0]
    }


def test_the_rows_sum_by_month_under_the_city_and_the_place_and_by_day() -> None:
    changes = {
        (D("2023-03-01"), *ATTRS, ""): [1, 0],
        (D("2023-03-20"), *ATTRS, ""): [1, 5],
        (D("2023-03-21"), *ATTRS, ""): [-1, 0],
    }
    by_day = rows_of(changes)
    by_month = months_of(by_day)
    assert sorted(zip(*(by_month[c] for c in ("area", "month", "n", "staff")), strict=True)) == [
        ("420106001", D("2023-03-01"), 1, 5),
        ("c4201", D("2023-03-01"), 1, 5),
    ]
    assert sorted(zip(*(by_day[c] for c in ("place", "day", "n", "staff")), strict=True)) == [
        ("420106001", D("2023-03-01"), 1, 0),
        ("420106001", D("2023-03-20"), 1, 5),
        ("420106001", D("2023-03-21"), -1, 0),
    ]
    # what cancels out within a month leaves no row of it
    by_month = months_of(rows_of({k: v for k, v in changes.items() if k[0] != D("2023-03-20")}))
    assert by_month["area"] == []
