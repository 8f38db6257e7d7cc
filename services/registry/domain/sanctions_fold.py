"""How 行政处罚 and 整改完成 events change an organization's state (part of the fold)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.contracts.registry import (
    CreditDelisted,
    CreditListed,
    PenaltyCarriedOut,
    PenaltyImposed,
    RectificationCompleted,
    UnreachableRecorded,
)

if TYPE_CHECKING:
    from services.registry.domain.state import OrganizationState

SANCTIONS = (
    PenaltyImposed,
    PenaltyCarriedOut,
    RectificationCompleted,
    UnreachableRecorded,
    CreditListed,
    CreditDelisted,
)
Sanction = (
    PenaltyImposed
    | PenaltyCarriedOut
    | RectificationCompleted
    | UnreachableRecorded
    | CreditListed
    | CreditDelisted
)


def sanction_changes(org: OrganizationState, event: Sanction) -> dict[str, Any]:
    match event:
        case PenaltyImposed():
            return {"penalties": {**org.penalties, event.decision_number: event}}
        case PenaltyCarriedOut():
            done = {**org.penalties_carried_out, event.decision_number: event.carried_out_on}
            return {"penalties_carried_out": done}
        case RectificationCompleted():
            return {"rectified": {**org.rectified, event.ordered_on: event.completed_on}}
        case UnreachableRecorded():
            return {"unreachable_on": (*org.unreachable_on, event.found_on)}
        case CreditListed():
            listings = {**org.credit_listings, event.list: event}
            if event.trigger == "abnormal_two_years":
                # 民政部令第60号 art. 17: after 2 years it moves from the abnormal list
                listings.pop("abnormal", None)
            return {"credit_listings": listings}
        case CreditDelisted():
            listings = {k: v for k, v in org.credit_listings.items() if k != event.list}
            removals = {**org.credit_removals, event.list: event}
            return {"credit_listings": listings, "credit_removals": removals}
