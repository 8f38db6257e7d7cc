"""What one organization's rows add to the pre-aggregated counts (the changes tables,
adapters/tables.py), as signed changes by day (pure).

A period [start, end) in force adds +1 on `start` and −1 on `end` (none while open); an
empty period (end ≤ start: ended on the day it began, or a change dated before it) adds
nothing, as no date D has start ≤ D < end. An organization counts over each of its spans; a
grade over its period's intersection with each span (the grade keyed with the span's
attributes); an annual report's people employed from its submission to the first
submission of a later year (it is replaced then, its "replaced_on"), over its intersection
with each span. These are the rules the counts on one date apply to the rows
(valid_from ≤ D < valid_to, the latest year submitted by D), so the sum of the changes up to
D is the count on D, whatever D.

When a batch changes an organization's rows, what it adds is the organization's changes
after minus those before (`changes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

# (day, place, kind, category, level, status, urban, grade) → [organizations, people]
Key = tuple[date, str, str, str, str, str, str, str]
Changes = dict[Key, list[int]]


def _urban(value: bool | None) -> str:
    return "" if value is None else ("u" if value else "r")


def _attrs(span: Mapping[str, Any]) -> tuple[str, str, str, str, str, str]:
    return (
        span["place"],
        span["kind"],
        span["category"] or "",
        span["level"] or "",
        span["status"],
        _urban(span["urban"]),
    )


def _period(
    out: Changes,
    attrs: tuple[str, ...],
    grade: str,
    start: date,
    end: date | None,
    n: int,
    staff: int,
) -> None:
    if end is not None and end <= start:
        return
    for day, sign in ((start, 1), (end, -1)):
        if day is None:
            continue
        found = out.setdefault((day, *attrs, grade), [0, 0])  # type: ignore[arg-type]
        found[0] += sign * n
        found[1] += sign * staff


def _intersect(
    a: date, a_end: date | None, b: date, b_end: date | None
) -> tuple[date, date | None]:
    ends = [e for e in (a_end, b_end) if e is not None]
    return max(a, b), min(ends) if ends else None


def replaced_on(reports: Iterable[Mapping[str, Any]]) -> dict[int, date | None]:
    """Each report's year → the first submission of a later year (None: still in effect)."""
    out: dict[int, date | None] = {}
    later: date | None = None
    for r in sorted(reports, key=lambda r: r["year"], reverse=True):
        out[r["year"]] = later
        later = r["submitted_on"] if later is None else min(later, r["submitted_on"])
    return out


def contributions(
    spans: Iterable[Mapping[str, Any]],
    grades: Iterable[Mapping[str, Any]],
    reports: Iterable[Mapping[str, Any]],
    sign: int = 1,
    out: Changes | None = None,
) -> Changes:
    """The changes by day an organization's spans, grades and reports add (times `sign`)."""
    out = {} if out is None else out
    grades, reports = list(grades), list(reports)
    until = replaced_on(reports)
    for s in spans:
        attrs = _attrs(s)
        start, end = s["valid_from"], s["valid_to"]
        _period(out, attrs, "", start, end, sign, 0)
        for g in grades:
            lo, hi = _intersect(start, end, g["valid_from"], g["valid_to"])
            _period(out, attrs, g["grade"], lo, hi, sign, 0)
        for r in reports:
            if r["staff_employed"] is not None:
                lo, hi = _intersect(start, end, r["submitted_on"], until[r["year"]])
                _period(out, attrs, "", lo, hi, 0, sign * r["staff_employed"])
    return out


def city_area(code: str) -> str:
    """The area the monthly rows of a city (a place's first 4 digits) are kept under: marked,
    so that a province's or the country's cities are one key range, apart from the places."""
    return "c" + code[:4]


Columns = dict[str, list[Any]]


def rows_of(changes: Changes) -> Columns:
    """The rows of the changes by day (adapters/tables.py), column by column: each change
    summed under its place; those that cancel out left out."""
    days: dict[tuple[Any, ...], list[int]] = {}
    for (day, place, *rest), (n, staff) in changes.items():
        key = (day, place, "|".join(rest))
        found = days.get(key)
        if found is None:
            days[key] = [n, staff]
        else:
            found[0] += n
            found[1] += staff
    return _columns(("day", "place", "attrs"), days)


def months_of(days: Mapping[str, list[Any]]) -> Columns:
    """The rows of the changes by month summed from those by day: under the place's city and
    under the place; those that cancel out left out (on PostgreSQL the write sums them in its
    statement, adapters/tables.py `MONTHS_OF_DAYS`)."""
    months: dict[tuple[Any, ...], list[int]] = {}
    for day, place, attrs, n, staff in zip(*days.values(), strict=True):
        month = day.replace(day=1)
        for key in ((city_area(place), month, attrs), (place, month, attrs)):
            found = months.get(key)
            if found is None:
                months[key] = [n, staff]
            else:
                found[0] += n
                found[1] += staff
    by_month = _columns(("area", "month", "attrs"), months)
    by_month["category"] = [a.split("|")[1] for a in by_month["attrs"]]
    return by_month


def _columns(head: tuple[str, ...], rows: dict[tuple[Any, ...], list[int]]) -> Columns:
    kept = [(key, sums) for key, sums in rows.items() if sums[0] or sums[1]]
    keys = list(zip(*(key for key, _ in kept), strict=True)) if kept else [()] * len(head)
    sums = list(zip(*(s for _, s in kept), strict=True)) if kept else [(), ()]
    names = (*head, "n", "staff")
    return {c: list(v) for c, v in zip(names, [*keys, *sums], strict=True)}
