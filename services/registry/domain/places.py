"""Places (GB/T 2260 and NBS statistical codes): look-ups, parents, urban/rural communities.

A place is a province or city (6 digits ending 0000 / 00), a county (6), a street/town/
township (9) or a community-level unit (12). A functional zone (功能区, e.g. 东湖新技术开发区)
has no GB/T 2260 code: it is a configured place with a code of the locality's choosing that
groups streets of one or more counties, so a street counts both in its county and its zone.
A place removed by a later NBS edition stays readable by its old code (`removed_in`) but is
no longer counted; a renamed one keeps its former name.

Community units carry the NBS committee type:
`resident` (居民委员会, an urban community), `village` (村民委员会, a rural community) or
`other` (units similar to a village, e.g. farms). The plans' "城市社区 / 农村社区" are the
committee types, not the NBS urban-rural code (shared/places/README.md, "Which denominator").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from services.registry.domain.errors import InvalidCommand, Refusal
from services.registry.domain.fields import PLACE_CODE_LENGTHS, is_digits
from shared.places import area_prefix

__all__ = ["Committee", "Place", "PlaceLevel", "Places", "area_prefix"]

PlaceLevel = Literal["province", "city", "county", "zone", "township", "village"]
Committee = Literal["resident", "village", "other"]


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: PlaceLevel
    parent_code: str | None = None
    committee: Committee | None = None  # community-level units only
    urban_rural_code: str | None = None  # NBS 城乡分类代码, community-level units only
    former_name: str | None = None  # the name before a later edition renamed it
    removed_in: str | None = None  # the NBS edition that no longer lists it (an old code)

    @property
    def current(self) -> bool:
        return self.removed_in is None

    @property
    def urban(self) -> bool | None:
        """True for a 居委会, False for a 村委会; None for other units (farms …) and the rest.

        Only the two committee types are the plans' urban and rural communities; a unit like a
        farm is neither, so whoever files an organization there says which it counts as.
        """
        return {"resident": True, "village": False}.get(self.committee or "")


class Places:
    """Every known place, by code; built from rows, so any city's file of the format fits."""

    def __init__(
        self, places: Iterable[Place], zones: Mapping[str, Iterable[str]] | None = None
    ) -> None:
        self._by_code: dict[str, Place] = {}
        for place in places:
            if place.code in self._by_code:
                raise ValueError(f"place {place.code} appears twice")
            self._by_code[place.code] = place
        self._zone_streets: dict[str, tuple[str, ...]] = {}
        self._zones_of: dict[str, list[str]] = {}
        for zone, streets in (zones or {}).items():
            self._add_zone(zone, tuple(streets))

    def _add_zone(self, zone: str, streets: tuple[str, ...]) -> None:
        place = self.get(zone)
        if place is None or place.level != "zone":
            raise ValueError(f"zone {zone} is not a place of level zone")
        for street in streets:
            member = self.get(street)
            if member is None or member.level != "township":
                raise ValueError(f"zone {zone}: {street} is not a known street/town/township")
            self._zones_of.setdefault(street, []).append(zone)
        self._zone_streets[zone] = streets

    def zone_streets(self, zone: str) -> tuple[str, ...]:
        """The streets a functional zone groups (empty for any other place)."""
        return self._zone_streets.get(zone, ())

    def zones_of(self, code: str) -> list[Place]:
        """The functional zones a street (or a community, through its street) belongs to."""
        street = code[:9] if len(code) >= 9 else code
        return [self._by_code[z] for z in self._zones_of.get(street, ())]

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._by_code.values())

    def get(self, code: str) -> Place | None:
        return self._by_code.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def name(self, code: str) -> str | None:
        place = self.get(code)
        return place.name if place else None

    def parents(self, code: str) -> list[Place]:
        """The chain above a place, nearest first (community → street → county → city → …)."""
        chain: list[Place] = []
        place = self.get(code)
        while place is not None and place.parent_code:
            place = self.get(place.parent_code)
            if place is not None:
                chain.append(place)
        return chain

    def within(self, code: str) -> Iterator[Place]:
        """Every place inside the area of `code` (itself excluded); a zone's are its streets'."""
        if code in self._zone_streets:
            prefixes = self._zone_streets[code]
            return (p for p in self if p.code.startswith(prefixes))
        prefix = area_prefix(code)
        return (
            p for p in self if p.code != code and p.code.startswith(prefix) and p.level != "zone"
        )

    def communities(self, code: str, *, urban: bool | None = None) -> list[Place]:
        """Current community-level units inside a place (zones too); by urban flag."""
        return [
            p
            for p in self.within(code)
            if p.level == "village" and p.current and (urban is None or p.urban == urban)
        ]

    def require(self, code: object, field: str = "domicile") -> Place:
        """The place of a code given in a command, or a refusal naming the code."""
        if not is_digits(code, PLACE_CODE_LENGTHS):
            raise InvalidCommand(
                Refusal.INVALID_FIELD, f"{field} must be a 6, 9 or 12-digit place code: {code!r}"
            )
        assert isinstance(code, str)
        place = self.get(code)
        if place is None:
            raise InvalidCommand(
                Refusal.UNKNOWN_PLACE, f"{field} {code} is not a known place (GB/T 2260 / NBS)"
            )
        return place

    def require_community(self, community: object, street: object | None = None) -> Place:
        """A known community-level unit, inside `street` when one is given."""
        place = self.require(community, "community")
        if place.level != "village":
            raise InvalidCommand(
                Refusal.UNKNOWN_PLACE, f"community {community} is a {place.level}, not a community"
            )
        if street is not None and place.parent_code != street:
            raise InvalidCommand(
                Refusal.INVALID_FIELD, f"community {community} is not in street {street}"
            )
        return place
