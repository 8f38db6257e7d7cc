"""Load places from a CSV file in the NBS format of shared/places/places.csv (any city's)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import cast

from services.registry.domain.places import Committee, Place, PlaceLevel, Places
from shared.places import is_place_code

# The file the service ships (built by `python -m services.registry.adapters.places_build`).
DEFAULT_PLACES_FILE = Path(__file__).resolve().parent.parent / "data" / "places.csv"
# Functional zones (功能区): code (the locality's choice), name, parent_code, streets.
# shared/places/README.md: 东湖新技术开发区's streets sit under 洪山区 and 江夏区; the code
# 420191 is not a GB/T 2260 county of 武汉市, so it cannot collide with one.
DEFAULT_ZONES_FILE = DEFAULT_PLACES_FILE.with_name("zones.csv")
LEVELS = frozenset({"province", "city", "county", "township", "village"})
COMMITTEES = frozenset({"resident", "village", "other"})
REQUIRED_COLUMNS = ("level", "code", "name", "parent_code")


def load_places(path: Path | str = DEFAULT_PLACES_FILE, zones: Path | str | None = None) -> Places:
    """Every row of the file as a Place, plus the zones file's functional zones.

    Without `zones`, the shipped zones come with the shipped places (another city's file
    brings its own zones, or none). A malformed row stops the load with its line number.
    """
    if zones is None and Path(path) == DEFAULT_PLACES_FILE:
        zones = DEFAULT_ZONES_FILE
    with Path(path).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        places = [_place(row, path, reader.line_num) for row in reader]
    zone_rows = _zone_rows(zones) if zones is not None else []
    places += [
        Place(code=r["code"], name=r["name"], level="zone", parent_code=r["parent_code"] or None)
        for r in zone_rows
    ]
    return Places(places, {r["code"]: r["streets"].split() for r in zone_rows})


def _zone_rows(path: Path | str) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as f:
        rows = [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]
    for r in rows:
        if not is_place_code(r.get("code")) or not r.get("name") or not r.get("streets"):
            raise ValueError(f"{path}: bad zone row {r!r}")
    return rows


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
        former_name=(row.get("former_name") or "").strip() or None,
        removed_in=(row.get("removed_in") or "").strip() or None,
    )
