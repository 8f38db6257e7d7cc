"""Load places from a CSV file in the NBS format of shared/places/places.csv (any city's)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import cast

from services.registry.domain.places import Committee, Place, PlaceLevel, Places
from shared.places import is_place_code

# The file the service ships (built by `python -m services.registry.adapters.places_build`).
DEFAULT_PLACES_FILE = Path(__file__).resolve().parent.parent / "data" / "places.csv"
LEVELS = frozenset({"province", "city", "county", "township", "village"})
COMMITTEES = frozenset({"resident", "village", "other"})
REQUIRED_COLUMNS = ("level", "code", "name", "parent_code")


def load_places(path: Path | str = DEFAULT_PLACES_FILE) -> Places:
    """Every row of the file as a Place; a malformed row stops the load with its line number."""
    with Path(path).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        return Places(_place(row, path, reader.line_num) for row in reader)


def _place(row: dict[str, str], path: Path | str, line: int) -> Place:
    level, code = row["level"].strip(), row["code"].strip()
    committee = (row.get("committee") or "").strip() or None
    if level not in LEVELS or not is_place_code(code):
        raise ValueError(f"{path}:{line}: bad place row {row!r}")
    if committee is not None and committee not in COMMITTEES:
        raise ValueError(f"{path}:{line}: unknown committee {committee!r}")
    return Place(
        code=code,
        name=row["name"].strip(),
        level=cast(PlaceLevel, level),
        parent_code=row["parent_code"].strip() or None,
        committee=cast(Committee | None, committee),
        urban_rural_code=(row.get("urban_rural_code") or "").strip() or None,
    )
