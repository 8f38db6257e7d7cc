"""The flat CSV form of an import row, and its mapping to the nested (NDJSON) form.

CSV keeps one value per cell: an organization's reports are columns per year (`report_2023`
= the date the 2023 report was filed, `staff_2023`, `inspection_2023` = 合格 / 基本合格 /
不合格, `inspected_on_2023`), the override, rating and end are prefixed columns, penalties and
the credit lists' facts and decisions are numbered groups (`penalty_1`, `penalty_on_1`, …;
numbered.py). An empty cell is an absent value. Unknown columns are kept, so the schema names
them in its error.
"""

from __future__ import annotations

import re
from typing import Any

from services.registry.app.imports.credit_columns import (
    LISTING_COLUMNS,
    REMOVAL_COLUMNS,
    UNREACHABLE_COLUMNS,
)
from services.registry.app.imports.numbered import Cells, cell
from services.registry.app.imports.penalty_columns import PENALTY_COLUMNS

OVERRIDE = {"override_allowed_by": "allowed_by", "override_reason": "reason"}
RATING = {"grade": "grade", "rated_on": "decided_on", "rating_valid_until": "valid_until"}
END = {"end": "how", "ended_on": "on", "end_reason": "reason"}
REPORT = {
    "report": "submitted_on",
    "staff": "staff_employed",
    "inspection": "conclusion",
    "inspected_on": "concluded_on",
}
# The lists of a row written as numbered column groups (numbered.py).
NUMBERED = {
    g.field: g for g in (PENALTY_COLUMNS, UNREACHABLE_COLUMNS, LISTING_COLUMNS, REMOVAL_COLUMNS)
}
_PER_YEAR = re.compile(r"^(report|staff|inspection|inspected_on)_(\d{4})$")


def nest(flat: dict[str, str]) -> dict[str, object]:
    """A CSV record (column → cell) as the nested row the schema reads."""
    row: dict[str, Any] = {}
    reports: Cells = {}
    groups: dict[str, dict[str, str]] = {"code_override": {}, "rating": {}, "end": {}}
    numbered: dict[str, Cells] = {name: {} for name in NUMBERED}
    for column, value in flat.items():
        if value == "" or any(g.take(column, value, numbered[n]) for n, g in NUMBERED.items()):
            continue
        if m := _PER_YEAR.match(column):
            reports.setdefault(int(m.group(2)), {})[REPORT[m.group(1)]] = value
        elif column in OVERRIDE:
            groups["code_override"][OVERRIDE[column]] = value
        elif column in RATING:
            groups["rating"][RATING[column]] = value
        elif column in END:
            groups["end"][END[column]] = value
        else:
            row[column] = value
    for name, group in groups.items():
        if group:
            row[name] = group
    if "grade" not in groups["rating"] and "rating" in row:
        row["rating"]["grade"] = None  # a rating date without a grade: the grade was cancelled
    if reports:
        row["annual_reports"] = [{"year": y, **r} for y, r in sorted(reports.items())]
    for name, cells in numbered.items():
        if cells:
            row[name] = NUMBERED[name].nested(cells)
    return row


def flatten(row: dict[str, Any]) -> dict[str, str]:
    """A nested row as CSV cells (the inverse of `nest`, for writing CSV files)."""
    flat: dict[str, str] = {}
    for key, value in row.items():
        if key in NUMBERED:
            flat |= NUMBERED[key].flat(value)
        elif key == "annual_reports":
            for report in value:
                for column, field in REPORT.items():
                    if report.get(field) is not None:
                        flat[f"{column}_{report['year']}"] = cell(report[field])
        elif key in ("code_override", "rating", "end"):
            columns = {"code_override": OVERRIDE, "rating": RATING, "end": END}[key]
            for column, field in columns.items():
                if value.get(field) is not None:
                    flat[column] = cell(value[field])
        elif value is not None:
            flat[key] = cell(value)
    return flat
