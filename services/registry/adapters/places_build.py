"""Build services/registry/data/places.csv from the NBS 2022 source file.

    python -m services.registry.adapters.places_build [--source ../shared/places/places.csv]
        [--changes ../shared/places/changes_2022_to_2023.csv]

Keeps every county, street/town/township and community row of the source (columns and
counts unchanged, whitespace trimmed, sorted by code) and adds a row for each city and
province above the counties, with the counts summed, so a city- or province-level code is a
known place too. Run it again when the source file changes; another city's file of the same
format can be built the same way and loaded with SOCORG_REGISTRY_PLACES_FILE.

With `--changes` (the format of shared/places/changes_2022_to_2023.csv: level, code, change,
name_2022, name_2023), a later edition's changes are applied: added units become known,
renamed ones take the new name and keep the old as `former_name`, removed ones stay as rows
marked `removed_in` so their codes (on organizations filed before) are still readable.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

from services.registry.adapters.places_file import DEFAULT_PLACES_FILE

REPO = Path(__file__).resolve().parents[3]
DEFAULT_SOURCE = REPO.parent / "shared" / "places" / "places.csv"
COLUMNS = (
    "level",
    "code",
    "name",
    "parent_code",
    "urban_rural_code",
    "committee",
    "urban_count",
    "rural_count",
    "resident_committees",
    "village_committees",
    "other_units",
)
COUNTS = COLUMNS[6:11]
CHANGE_COLUMNS = ("former_name", "removed_in")
# NBS committee type from a community unit's last three digits (shared/places/README.md).
_COMMITTEES = ((199, "resident"), (399, "village"), (599, "other"))
# GB/T 2260 names of the cities and provinces above the source's counties (DOMAIN.md, Places).
AREA_NAMES = {
    "420000": "湖北省",
    "420100": "武汉市",
    "330000": "浙江省",
    "330200": "宁波市",
    "510000": "四川省",
    "511800": "雅安市",
}


def build(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The source rows, trimmed and sorted, plus summed city and province rows."""
    rows = [{c: (r.get(c) or "").strip() for c in COLUMNS} for r in rows]
    known = {r["code"] for r in rows}
    cities: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        if r["level"] == "county" and r["parent_code"] not in known:
            cities[r["parent_code"]].append(r)
    provinces: dict[str, list[dict[str, str]]] = defaultdict(list)
    added = [_area("city", code, code[:2] + "0000", counties) for code, counties in cities.items()]
    for city in added:
        provinces[city["parent_code"]].append(city)
    added += [_area("province", code, "", members) for code, members in provinces.items()]
    return sorted(rows + added, key=lambda r: r["code"])


def apply_changes(
    rows: list[dict[str, str]], changes: list[dict[str, str]], edition: str
) -> list[dict[str, str]]:
    """The rows after a later edition's added / renamed / removed units (see the module doc)."""
    by_code = {r["code"]: {**r, **{c: r.get(c, "") for c in CHANGE_COLUMNS}} for r in rows}
    for change in changes:
        code, kind = change["code"].strip(), change["change"].strip()
        new_name = (change.get(f"name_{edition}") or "").strip()
        if kind.startswith("added"):
            by_code[code] = _added(change["level"].strip(), code, new_name)
        elif code not in by_code:
            raise ValueError(f"change {kind} of {code}: no such place")
        elif kind.startswith("renamed"):
            row = by_code[code]
            row["former_name"], row["name"] = row["name"], new_name
        elif kind.startswith("removed"):
            by_code[code]["removed_in"] = edition
        else:
            raise ValueError(f"unknown change {kind!r} of {code}")
    return sorted(by_code.values(), key=lambda r: r["code"])


def _added(level: str, code: str, name: str) -> dict[str, str]:
    row = {c: "" for c in (*COLUMNS, *CHANGE_COLUMNS)} | {"level": level, "code": code}
    row |= {"name": name, "parent_code": code[:9] if level == "village" else code[:6]}
    if level == "village":
        unit = int(code[9:])
        row["committee"] = next((c for top, c in _COMMITTEES if unit <= top), "other")
    return row


def _area(level: str, code: str, parent: str, members: list[dict[str, str]]) -> dict[str, str]:
    if code not in AREA_NAMES:
        raise ValueError(f"no name known for {code}; add it to AREA_NAMES")
    row = {c: "" for c in COLUMNS} | {
        "level": level,
        "code": code,
        "name": AREA_NAMES[code],
        "parent_code": parent,
    }
    for c in COUNTS:
        row[c] = str(sum(int(m[c] or 0) for m in members))
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_PLACES_FILE)
    parser.add_argument("--changes", type=Path, help="a later edition's changes to apply")
    parser.add_argument("--edition", default="2023", help="the edition the changes lead to")
    args = parser.parse_args(argv)
    with args.source.open(encoding="utf-8", newline="") as f:
        rows = build(list(csv.DictReader(f)))
    columns: tuple[str, ...] = COLUMNS
    if args.changes is not None:
        with args.changes.open(encoding="utf-8", newline="") as f:
            rows = apply_changes(rows, list(csv.DictReader(f)), args.edition)
        columns = (*COLUMNS, *CHANGE_COLUMNS)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} places to {args.out}")


if __name__ == "__main__":
    main()
