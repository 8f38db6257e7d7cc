"""How 行政处罚 and 整改完成 events change an organization's state (part of the fold)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.contracts.registry import PenaltyCarriedOut, PenaltyImposed, RectificationCompleted

if TYPE_CHECKING:
    from services.registry.domain.state import OrganizationState

SANCTIONS = (PenaltyImposed, PenaltyCarriedOut, RectificationCompleted)


def sanction_changes(
    org: OrganizationState, event: PenaltyImposed | PenaltyCarriedOut | RectificationCompleted
) -> dict[str, Any]:
    match event:
        case PenaltyImposed():
            return {"penalties": {**org.penalties, event.decision_number: event}}
        case PenaltyCarriedOut():
            done = {**org.penalties_carried_out, event.decision_number: event.carried_out_on}
            return {"penalties_carried_out": done}
        case RectificationCompleted():
            return {"rectified": {**org.rectified, event.ordered_on: event.completed_on}}
