"""What a search or an export of the register asks and gets back (the read side's values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    category: str | None = None
    level: str | None = None
    status: str | None = None
    grade: str | None = None
    place: str | None = None
    # the streets of a functional zone when `place` is one: a zone has no code prefix
    zone_streets: tuple[str, ...] = ()
    registered_from: date | None = None
    registered_to: date | None = None
    name_contains: str | None = None
    code_override: bool | None = None
    charity: bool | None = None
    urban: bool | None = None
    overdue_years: int | None = None  # at least this many required years overdue today
    credit_list: str | None = None  # "abnormal" or "serious": on that list now


@dataclass(frozen=True)
class Found:
    rows: list[dict[str, Any]]
    total: int
    next_cursor: str | None
    exact: bool = True  # False: at least `total` match


# The columns of an exported organization, in order (the CSV header).
COLUMNS = (
    "id",
    "credit_code",
    "filing_number",
    "name",
    "kind",
    "category",
    "level",
    "status",
    "grade",
    "rating_valid_from",
    "rating_valid_until",
    "domicile",
    "street",
    "community",
    "urban",
    "registered_on",
    "charity",
    "code_override",
    "version",
    "abnormal_list",
    "serious_list",
)
