"""Commands that name places: checked against the known places before the aggregate sees them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from services.registry.app.handlers import Command
from services.registry.domain.errors import InvalidCommand, Refusal
from services.registry.domain.organization import Organization
from services.registry.domain.places import Places
from services.registry.domain.registration import OverrideRequest


def register(
    places: Places, *, domicile: str, override: OverrideRequest | None, **fields: Any
) -> Command:
    """成立登记 at a known domicile (a place at any level: city, county, street, community)."""
    places.require(domicile)
    return lambda org: org.register(domicile=domicile, override=override, **fields)


def file(
    places: Places,
    *,
    community: str,
    street: str | None = None,
    urban: bool | None = None,
    **fields: Any,
) -> Command:
    """备案 in a known community; street and urban/rural come from the places when omitted."""
    street, urban = community_place(places, community, street, urban)
    return lambda org: org.file_community_organization(
        community=community, street=street, urban=urban, **fields
    )


def change(places: Places, changes: Mapping[str, object], *, changed_on: date) -> Command:
    """变更登记, with a new domicile or community checked against the places first."""

    def command(org: Organization) -> Any:
        return org.change_registration(_placed(places, org, changes), changed_on=changed_on)

    return command


def community_place(
    places: Places, community: object, street: object | None, urban: object | None
) -> tuple[str, bool]:
    place = places.require_community(community, street)
    assert place.parent_code is not None
    if urban is not None and place.urban is not None and urban != place.urban:
        kind = "居委会 (urban)" if place.urban else "村委会 (rural)"
        raise InvalidCommand(
            Refusal.INVALID_FIELD, f"community {place.code} {place.name} is a {kind}, urban={urban}"
        )
    if urban is None:
        urban = place.urban
    if not isinstance(urban, bool):
        raise InvalidCommand(
            Refusal.INVALID_FIELD,
            f"community {place.code} {place.name} is neither a 居委会 nor a 村委会: say urban",
        )
    return place.parent_code, urban


def _placed(places: Places, org: Organization, changes: Mapping[str, object]) -> dict[str, object]:
    out = dict(changes)
    if "domicile" in out and org.kind != "community_org":
        places.require(out["domicile"])
    if org.kind == "community_org" and "community" in out:
        street, urban = community_place(
            places, out["community"], out.get("street"), out.get("urban")
        )
        out |= {"street": street, "urban": urban}
    return out
