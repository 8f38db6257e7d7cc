"""Numbered CSV column groups: a nested list of an import row as `<column>_<n>` cells.

A group names the row's list (`penalties`) and maps each column stem to the field it fills
(`penalty_on` → `decided_on`): `penalty_on_2` is the second penalty's decision date. Numbers
run 1–99; the list keeps their order, gaps closed. An empty cell is an absent value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_NUMBERED = re.compile(r"^([a-z_]+)_(\d{1,2})$")

Cells = dict[int, dict[str, str]]  # number → field → cell


@dataclass(frozen=True)
class Numbered:
    """One list of a row (`field`) and its columns (stem → the field of an item)."""

    field: str
    columns: Mapping[str, str]

    def take(self, column: str, cell: str, into: Cells) -> bool:
        """Keep `cell` in `into` if `column` is one of this group's; False if it is not."""
        m = _NUMBERED.match(column)
        if m is None or m.group(1) not in self.columns:
            return False
        into.setdefault(int(m.group(2)), {})[self.columns[m.group(1)]] = cell
        return True

    def nested(self, cells: Cells) -> list[dict[str, str]]:
        return [cells[n] for n in sorted(cells)]

    def flat(self, items: list[dict[str, Any]]) -> dict[str, str]:
        """The items as cells (the inverse of `take` + `nested`, for writing CSV files)."""
        flat: dict[str, str] = {}
        for n, item in enumerate(items, start=1):
            for column, field in self.columns.items():
                if (value := item.get(field)) is not None:
                    flat[f"{column}_{n}"] = cell(value)
        return flat


def cell(value: object) -> str:
    """A value as a CSV cell: booleans as `true` / `false`, everything else as its text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
