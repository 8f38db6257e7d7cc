"""The denominators an area gives: its streets, counties and urban / rural communities (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shared.places import area_prefix


@dataclass(frozen=True)
class PlaceRow:
    code: str
    level: str  # province, city, county, township, village
    name: str
    resident_committees: int  # 居委会 (urban communities) in or at this place
    village_committees: int  # 村委会 (rural communities)


class PlaceCounts:
    """Counts of places inside an area, from the registry's place file."""

    def __init__(self, rows: Iterable[PlaceRow]) -> None:
        self._rows = {r.code: r for r in rows}

    def name(self, code: str) -> str | None:
        row = self._rows.get(code)
        return None if row is None else row.name

    def __contains__(self, code: object) -> bool:
        return code in self._rows

    def units(self, area: str, level: str) -> list[str]:
        """Codes of the places of `level` (`street` = township, `county`) inside `area`."""
        wanted = "township" if level == "street" else level
        prefix = area_prefix(area)
        return sorted(
            c for c, r in self._rows.items() if r.level == wanted and c.startswith(prefix)
        )

    def communities(self, area: str, *, urban: bool) -> int:
        """居委会 (urban) or 村委会 (rural) inside `area`: the row's own tally, or the sum of
        its community-level units when the file lists them one by one."""
        row = self._rows.get(area)
        if row is not None:
            return row.resident_committees if urban else row.village_committees
        prefix = area_prefix(area)
        rows = [r for c, r in self._rows.items() if r.level == "township" and c.startswith(prefix)]
        return sum(r.resident_committees if urban else r.village_committees for r in rows)
