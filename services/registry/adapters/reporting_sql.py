"""Annual-report standing in the read model: the columns written for each organization, and
the search condition "overdue on at least N years as of today" over them.

An organization owes the reports on its required years from `report_from_year` (F) through
the latest year whose deadline has passed (L, today's), or its last required year if it ended
(`report_until_year`, U). It filed `reports` of them, so `overdue_base` = F + reports and

    overdue = min(L, U) − overdue_base + 1 (+ 1 if it filed on a year after min(L, U))

since every year it filed is at most last year, and L is last year or the year before. Only
L depends on today, so the columns stay true as time passes; `overdue_base` is indexed, and
`overdue_base <= last year + 2 − N` (which every match meets) narrows the search on it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, literal

from services.registry.adapters.tables import organizations as o
from services.registry.domain.reporting import reporter_of
from services.registry.domain.state import OrganizationState
from shared.rules import reporting as rules
from shared.rules.reporting import LEGAL_PERSON_KINDS, ReportingConfig

_NONE: dict[str, Any] = {
    "report_from_year": None,
    "report_until_year": None,
    "charity_from_year": None,
    "last_report_year": None,
    "overdue_base": None,
}


def reporting_columns(org: OrganizationState, config: ReportingConfig) -> dict[str, Any]:
    """The reporting columns of `org`'s row (all None for a community organization)."""
    reporter = reporter_of(org)
    if reporter is None or (first := rules.first_required_year(reporter, config)) is None:
        return _NONE
    until = rules.last_required_year(reporter, config)
    if reporter.ended_on is not None and until is None:
        return _NONE  # it ended before it owed any report
    counted = [y for y in reporter.filed if y >= first and (until is None or y <= until)]
    return {
        "report_from_year": first,
        "report_until_year": until,
        "charity_from_year": reporter.charity_since.year if reporter.charity_since else None,
        "last_report_year": max(counted, default=None),
        "overdue_base": first + len(counted),
    }


def overdue_at_least(n: int, today: date, config: ReportingConfig) -> ColumnElement[bool]:
    """Organizations with at least `n` (≥ 1) required years overdue as of `today`."""
    last_year = today.year - 1
    # whether last year's deadline has passed today, by what decides it (charity, then kind)
    passed_for = {
        kind: rules.deadline_of_kind(last_year, kind, config=config) < today
        for kind in sorted(LEGAL_PERSON_KINDS)
    }
    charity_passed = rules.deadline_of_kind(last_year, "foundation", charity=True, config=config)
    passed = case(
        (
            and_(o.c.charity_from_year.is_not(None), o.c.charity_from_year <= last_year),
            literal(int(charity_passed < today)),
        ),
        *((o.c.kind == kind, literal(int(p))) for kind, p in passed_for.items()),
        else_=literal(0),
    )
    latest = literal(last_year - 1) + passed
    owed_to = case(
        (
            and_(o.c.report_until_year.is_not(None), o.c.report_until_year < latest),
            o.c.report_until_year,
        ),
        else_=latest,
    )
    after = case((o.c.last_report_year > owed_to, literal(1)), else_=literal(0))
    overdue = owed_to - o.c.overdue_base + 1 + after
    return and_(o.c.overdue_base <= last_year + 2 - n, overdue >= n)
