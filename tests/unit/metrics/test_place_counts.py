"""Denominators from the registry's place file: streets, counties, urban and rural communities."""

from __future__ import annotations

from services.metrics.adapters.places_file import load_place_counts

PLACES = load_place_counts()


def test_units_inside_an_area() -> None:
    assert len(PLACES.units("330200", "county")) == 10  # Ningbo's 10 counties (DOMAIN.md)
    streets = PLACES.units("330203", "street")
    assert streets and all(s.startswith("330203") and len(s) == 9 for s in streets)


def test_communities_by_committee_type() -> None:
    # The file's own tallies for 宁波市 (resident / village committees).
    assert PLACES.communities("330200", urban=True) == 841
    assert PLACES.communities("330200", urban=False) == 2158
    assert PLACES.communities("330203001001", urban=True) == 1  # 澄浪社区, a 居委会
    assert PLACES.communities("330203001001", urban=False) == 0
