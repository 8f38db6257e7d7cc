"""Records for the eligibility tests: a clean social group, changed one fact at a time; and a
跟踪评估 draw as schema 1 stored it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from services.evaluation.domain.record import Inspection, Record


def clean(**changes: Any) -> Record:
    """Registered 2018-03-01, each year's report filed the next March and found 合格 in July
    (up to 2035: the rules read only what was known on the day asked about)."""
    years = range(2018, 2036)
    reports = {y: date(y + 1, 3, 15) for y in years}
    inspections = {y: Inspection("qualified", date(y + 1, 7, 1)) for y in years}
    base = Record(
        "org-1",
        "social_group",
        date(2018, 3, 1),
        registration_authority="420106",
        division="420106",
        reports=reports,
        inspections=inspections,
    )
    return replace(base, **changes)


def concluded(record: Record, **by_year: str) -> Record:
    """`record` with the conclusions of some years replaced (y2024="unqualified")."""
    found = dict(record.inspections)
    for key, conclusion in by_year.items():
        year = int(key.removeprefix("y"))
        found[year] = Inspection(conclusion, date(year + 1, 7, 1))  # type: ignore[arg-type]
    return replace(record, inspections=found)


# A 跟踪评估 draw as schema 1 stored it (before follow_up cases): who was drawn, in the event.
DRAWN_V1: dict[str, Any] = {
    "authority": "420100", "year": 2026, "on": "2026-09-01", "drawn_on": "2026-09-01",
    "seed": 5, "share": "0.5", "candidates": 4, "method": "sha256-rank",
    "drawn": [
        {"organization_id": "b", "grade": "5A", "decided_on": "2024-11-20"},
        {"organization_id": "a", "grade": "4A", "decided_on": "2023-12-05"},
    ],
}  # fmt: skip
