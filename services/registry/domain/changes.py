"""变更登记: which fields a change may touch, their checks, and the old → new diff."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from services.registry.domain.errors import InvalidCommand, Refusal
from services.registry.domain.fields import (
    PLACE_CODE_LENGTHS,
    require_community_in_street,
    require_count,
    require_digits,
    require_flag,
    require_optional_text,
    require_text,
)

if TYPE_CHECKING:
    from services.registry.domain.state import OrganizationState

Check = Callable[[str, object], object]

# The credit code, kind and registering authority are not changed by 变更登记: the code is
# for life, and a move between authorities is a transfer, not a change.
LEGAL_PERSON_FIELDS: dict[str, Check] = {
    "name": require_text,
    "category": require_optional_text,
    "domicile": lambda f, v: require_digits(f, v, PLACE_CODE_LENGTHS),
    "legal_representative": require_optional_text,
    "supervisory_unit": require_optional_text,
    "registered_capital_yuan": require_count,
    "business_scope": require_optional_text,
}
COMMUNITY_ORG_FIELDS: dict[str, Check] = {
    "name": require_text,
    "category": require_optional_text,
    "street": lambda f, v: require_digits(f, v, (9,)),
    "community": lambda f, v: require_digits(f, v, (12,)),
    "urban": require_flag,
}


def diff_changes(
    org: OrganizationState, requested: Mapping[str, object]
) -> dict[str, tuple[object, object]]:
    """Old and new value of every requested field that actually changes; refuse a no-op."""
    allowed = COMMUNITY_ORG_FIELDS if org.kind == "community_org" else LEGAL_PERSON_FIELDS
    unknown = sorted(set(requested) - set(allowed))
    if unknown:
        raise InvalidCommand(
            Refusal.UNKNOWN_FIELD,
            f"变更登记 cannot change {', '.join(unknown)}; it may change {', '.join(allowed)}",
        )
    for field, value in requested.items():
        allowed[field](field, value)
    changes = {
        field: (getattr(org, field), new)
        for field, new in requested.items()
        if getattr(org, field) != new
    }
    if not changes:
        raise InvalidCommand(Refusal.NO_CHANGE, "变更登记 changes nothing: every value is current")
    _check_community_place(org, changes)
    return changes


def _check_community_place(
    org: OrganizationState, changes: Mapping[str, tuple[object, object]]
) -> None:
    if "street" not in changes and "community" not in changes:
        return
    street = changes["street"][1] if "street" in changes else org.street
    community = changes["community"][1] if "community" in changes else org.community
    require_community_in_street(str(street), str(community))
