"""Places: the shipped NBS 2022 file, look-ups at every level, urban/rural communities."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from services.registry.adapters.places_build import AREA_NAMES, build
from services.registry.adapters.places_file import DEFAULT_PLACES_FILE, load_places
from services.registry.domain.errors import InvalidCommand, Refusal
from services.registry.domain.places import Places, area_prefix
from services.registry.settings import RegistrySettings

PLACES = load_places()


def test_the_shipped_file_holds_the_three_cities_and_their_provinces() -> None:
    levels = [p.level for p in PLACES]
    # shared/places/README.md: 31 counties, 447 townships, 7,200 communities (NBS 2022)
    assert (levels.count("county"), levels.count("township"), levels.count("village")) == (
        31,
        447,
        7200,
    )
    assert {p.code: p.name for p in PLACES if p.level in ("city", "province")} == AREA_NAMES


def test_a_code_is_known_at_every_level_with_its_name_and_parents() -> None:
    assert PLACES.name("420106") == "武昌区"
    assert PLACES.name("420106001") == "积玉桥街道"
    assert [p.code for p in PLACES.parents("420106001001")] == [
        "420106001",
        "420106",
        "420100",
        "420000",
    ]
    assert PLACES.parents("420000") == []
    assert PLACES.get("420106001999") is None


def test_communities_are_urban_or_rural_by_committee() -> None:
    # shared/places/README.md table: Wuhan 1,516 居委会 and 1,925 村委会; Ningbo 841 / 2,158;
    # Ya'an 105 / 554 — the plans' denominators.
    for city, urban, rural in (("420100", 1516, 1925), ("330200", 841, 2158), ("511800", 105, 554)):
        assert len(PLACES.communities(city, urban=True)) == urban
        assert len(PLACES.communities(city, urban=False)) == rural
    street = PLACES.communities("420106001")
    assert street and all(p.urban for p in street)
    assert PLACES.communities("420106001001") == []


def test_units_like_farms_are_neither_urban_nor_rural() -> None:
    farm = PLACES.get("330203102400")
    assert farm is not None and farm.committee == "other" and farm.urban is None


def test_area_prefixes_follow_gb_t_2260() -> None:
    assert [area_prefix(c) for c in ("420000", "420100", "420106", "420106001")] == [
        "42",
        "4201",
        "420106",
        "420106001",
    ]


def test_an_unknown_or_malformed_domicile_is_refused_naming_it() -> None:
    with pytest.raises(InvalidCommand) as unknown:
        PLACES.require("420199")
    assert unknown.value.code is Refusal.UNKNOWN_PLACE and "420199" in unknown.value.message
    with pytest.raises(InvalidCommand) as malformed:
        PLACES.require("42010")
    assert malformed.value.code is Refusal.INVALID_FIELD
    assert PLACES.require("420100").name == "武汉市"


def test_a_community_must_lie_in_the_street_given() -> None:
    assert PLACES.require_community("420106001001", "420106001").name == "尚隆苑社区居委会"
    with pytest.raises(InvalidCommand, match="not in street"):
        PLACES.require_community("420106001001", "420106002")
    with pytest.raises(InvalidCommand, match="not a community"):
        PLACES.require_community("420106001")


def test_the_builder_adds_summed_city_and_province_rows() -> None:
    rows = [
        {"level": "county", "code": "420106", "name": " 武昌区 ", "parent_code": "420100",
         "urban_count": "3", "rural_count": "1"},
        {"level": "county", "code": "420102", "name": "江岸区", "parent_code": "420100",
         "urban_count": "2", "rural_count": "0"},
    ]  # fmt: skip
    built = {r["code"]: r for r in build(rows)}
    assert built["420106"]["name"] == "武昌区"
    assert built["420100"]["level"] == "city" and built["420100"]["urban_count"] == "5"
    assert built["420000"]["level"] == "province" and built["420000"]["parent_code"] == ""


def test_another_citys_file_loads_without_code_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "changsha.csv"
    with other.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["level", "code", "name", "parent_code", "urban_rural_code", "committee"])
        w.writerow(["county", "430102", "芙蓉区", "430100", "", ""])
        w.writerow(["township", "430102001", "文艺路街道", "430102", "", ""])
        w.writerow(["village", "430102001001", "识字岭社区", "430102001", "111", "resident"])
    monkeypatch.setenv("SOCORG_REGISTRY_PLACES_FILE", str(other))
    places = load_places(RegistrySettings().places_file)
    assert isinstance(places, Places) and len(places) == 3
    assert places.communities("430102", urban=True)[0].name == "识字岭社区"


def test_a_file_without_the_place_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="missing column"):
        load_places(Path(__file__))
    assert DEFAULT_PLACES_FILE.exists()
