"""Functional zones as places, and the NBS 2023 changes applied to the shipped place file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from services.registry.adapters.places_build import CHANGE_COLUMNS, COLUMNS, apply_changes, main
from services.registry.adapters.places_file import DEFAULT_PLACES_FILE, load_places

DATA = DEFAULT_PLACES_FILE.parent
ZONE = "420191"  # 东湖新技术开发区, the code the shipped zones file gives it
HONGSHAN_STREETS = ("420111080", "420111081", "420111082", "420111083")
JIANGXIA_STREETS = ("420115086", "420115087", "420115088", "420115089")


def test_the_east_lake_zone_is_a_place_grouping_streets_of_two_districts() -> None:
    places = load_places()
    zone = places.get(ZONE)
    assert zone is not None and (zone.name, zone.level) == ("东湖新技术开发区", "zone")
    assert [p.code for p in places.parents(ZONE)] == ["420100", "420000"]
    assert places.zone_streets(ZONE) == HONGSHAN_STREETS + JIANGXIA_STREETS


def test_a_street_counts_in_its_county_and_in_its_zone() -> None:
    places = load_places()
    zone_communities = places.communities(ZONE)
    in_streets = [c for s in HONGSHAN_STREETS + JIANGXIA_STREETS for c in places.communities(s)]
    assert len(zone_communities) == len(in_streets) > 0
    hongshan = {c.code for c in places.communities("420111")}
    assert {c.code for c in zone_communities if c.code.startswith("420111")} <= hongshan
    assert [z.code for z in places.zones_of("420111080")] == [ZONE]
    assert [z.code for z in places.zones_of(zone_communities[0].code)] == [ZONE]
    assert places.zones_of("420106001") == []
    # the city's communities are counted once: a zone adds no units of its own
    assert len(places.communities("420100")) == 1516 + 1925 + sum(
        1 for c in places.communities("420100") if c.committee == "other"
    )


def test_a_zone_naming_an_unknown_street_stops_the_load(tmp_path: Path) -> None:
    zones = tmp_path / "zones.csv"
    zones.write_text("code,name,parent_code,streets\n420191,某区,420100,420111999\n", "utf-8")
    with pytest.raises(ValueError, match="420111999"):
        load_places(DEFAULT_PLACES_FILE, zones)


def _changed(tmp_path: Path) -> Path:
    out = tmp_path / "places.csv"
    main(
        [
            "--source",
            str(DEFAULT_PLACES_FILE),
            "--changes",
            str(DATA / "places_changes_2023.csv"),
            "--out",
            str(out),
        ]
    )
    return out


def test_the_2023_changes_make_new_communities_known_and_rename_others(tmp_path: Path) -> None:
    before = load_places()
    after = load_places(_changed(tmp_path))
    assert before.get("330203008032") is None
    added = after.get("330203008032")
    assert added is not None and added.name == "广华社区" and added.committee == "resident"
    assert added.parent_code == "330203008"
    renamed = after.get("420111001006")
    assert renamed is not None and renamed.name == "武汉理工大学东社区居民委员会"
    assert renamed.former_name == "武汉理工大东社区居民委员会"
    assert after.name("511825103200") == "紫石关村委会"  # 备注项 in the 2022 data
    assert after.get("420112001") is not None and after.name("420112001") == "吴家山街"


def test_a_removed_code_stays_readable_but_is_no_longer_counted(tmp_path: Path) -> None:
    before = load_places()
    after = load_places(_changed(tmp_path))
    old = after.get("330226002229")  # 竹口村委会, gone in 2023
    assert old is not None and old.name == "竹口村委会" and old.removed_in == "2023"
    assert not old.current
    street = "330226002"
    assert old.code not in {c.code for c in after.communities(street)}
    changes = list(csv.DictReader((DATA / "places_changes_2023.csv").open(encoding="utf-8")))
    in_street = [c for c in changes if c["code"].startswith(street) and c["level"] == "village"]
    delta = sum(
        1 if c["change"] == "added_2023" else -1 for c in in_street if "renamed" not in c["change"]
    )
    assert len(after.communities(street)) == len(before.communities(street)) + delta


def test_every_change_of_the_file_applies_to_the_shipped_places() -> None:
    with DEFAULT_PLACES_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with (DATA / "places_changes_2023.csv").open(encoding="utf-8") as f:
        changes = list(csv.DictReader(f))
    out = apply_changes(rows, changes, "2023")
    assert len(out) == len(rows) + sum(c["change"] == "added_2023" for c in changes)
    assert sum(r["removed_in"] == "2023" for r in out) == 62
    assert set(out[0]) == set(COLUMNS) | set(CHANGE_COLUMNS)
