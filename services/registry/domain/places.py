"""Places (GB/T 2260 and NBS statistical codes): look-ups, parents, urban/rural communities.

A place is a province or city (6 digits ending 0000 / 00), a county (6), a street/town/
township (9) or a community-level unit (12). Community units carry the NBS committee type:
`resident` (居民委员会, an urban community), `village` (村民委员会, a rural community) or
`other` (units similar to a village, e.g. farms). The plans' "城市社区 / 农村社区" are the
committee types, not the NBS urban-rural code (shared/places/README.md, "Which denominator").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from services.registry.domain.errors import InvalidCommand, Refusal
from services.registry.domain.fields import PLACE_CODE_LENGTHS, is_digits
from shared.places import area_prefix

__all__ = ["Committee", "Place", "PlaceLevel", "Places", "area_prefix"]

PlaceLevel = Literal["province", "city", "county", "township", "village"]
Committee = Literal["resident", "village", "other"]


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: PlaceLevel
    parent_code: str | None = None
    committee: Committee | None = None  # community-level units only
    urban_rural_code: str | None = None  # NBS 城乡分类代码, community-level units only

    @property
    def urban(self) -> bool | None:
        """True for a 居委会, False for a 村委会; None for other units (farms …) and the rest.

        Only the two committee types are the plans' urban and rural communities; a unit like a
        farm is neither, so whoever files an organization there says which it counts as.
        """
        return {"resident": True, "village": False}.get(self.committee or "")


class Places:
    """Every known place, by code; built from rows, so any city's file of the format fits."""

    def __init__(self, places: Iterable[Place]) -> None:
        self._by_code: dict[str, Place] = {}
        for place in places:
            if place.code in self._by_code:
                raise ValueError(f"place {place.code} appears twice")
            self._by_code[place.code] = place

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
        """Every place inside the area of `code` (itself excluded)."""
        prefix = area_prefix(code)
        return (p for p in self if p.code != code and p.code.startswith(prefix))

    def communities(self, code: str, *, urban: bool | None = None) -> list[Place]:
        """Community-level units inside a street, county, city or province; by urban flag."""
        return [
            p
            for p in self.within(code)
            if p.level == "village" and (urban is None or p.urban == urban)
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
