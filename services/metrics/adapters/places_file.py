"""Read the registry's place file (services/registry/data/places.csv) for its denominators."""

from __future__ import annotations

import csv
from pathlib import Path

from services.metrics.domain.places import PlaceCounts, PlaceRow

REPO = Path(__file__).resolve().parents[3]
DEFAULT_PLACES_FILE = REPO / "services" / "registry" / "data" / "places.csv"


def _int(text: str | None) -> int:
    return int(text) if text and text.strip() else 0


def load_place_counts(path: Path | str = DEFAULT_PLACES_FILE) -> PlaceCounts:
    rows: list[PlaceRow] = []
    with Path(path).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            level = row["level"].strip()
            if level == "village":  # one community-level unit: it is its own tally
                committee = (row.get("committee") or "").strip()
                resident, village = int(committee == "resident"), int(committee == "village")
            else:
                resident = _int(row.get("resident_committees"))
                village = _int(row.get("village_committees"))
            rows.append(
                PlaceRow(row["code"].strip(), level, row["name"].strip(), resident, village)
            )
    return PlaceCounts(rows)
