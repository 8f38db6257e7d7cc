"""How each registry event changes an organization's state (the fold behind replay)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from services.registry.domain.sanctions_fold import SANCTIONS, sanction_changes
from shared.contracts.registry import (
    AnnualReportSubmitted,
    CertificateRevoked,
    CharityRecognised,
    CommunityOrganizationFiled,
    Deregistered,
    DisposalOrdered,
    FilingCancelled,
    InspectionConcluded,
    OrganizationRegistered,
    RatingChanged,
    RegistrationChanged,
    RegistrationRevoked,
    RegistryEvent,
)

if TYPE_CHECKING:
    from services.registry.domain.state import OrganizationState

Changes = dict[str, Any]


def changes(org: OrganizationState, event: RegistryEvent) -> Changes:
    """The fields `event` changes on `org`, with their new values (the version aside)."""
    match event:
        case OrganizationRegistered():
            return _registered(event)
        case CommunityOrganizationFiled():
            return _filed(event)
        case RegistrationChanged():
            return {field: new for field, (_, new) in event.changes.items()}
        case AnnualReportSubmitted():
            return {"reports": {**org.reports, event.year: event}}
        case InspectionConcluded():
            return {"inspections": {**org.inspections, event.year: event}}
        case CharityRecognised():
            return {"charity_since": event.recognised_on}
        case RegistrationRevoked() | CertificateRevoked():
            return {
                "status": "in_liquidation",
                "revocation": event,
                **_grade_ends(org, event.revoked_on),
            }
        case Deregistered():
            return {
                "status": "deregistered",
                "deregistered_on": event.deregistered_on,
                **_grade_ends(org, event.deregistered_on),
            }
        case DisposalOrdered():
            return {"disposals": (*org.disposals, event)}
        case FilingCancelled():
            return {
                "status": "deregistered",
                "deregistered_on": event.cancelled_on,
                "filing_cancellation": event,
            }
        case RatingChanged():
            # the grade before stays in force until a revision-2026 grade's 1 January
            return {"rating": event, "rating_before": org.rating}
    if isinstance(event, SANCTIONS):
        return sanction_changes(org, event)
    raise TypeError(f"{type(event).__name__} is not a registry event")


def _grade_ends(org: OrganizationState, day: date) -> Changes:
    """撤销, 吊销 and 注销 end the grade with the organization, as of the act's date; the
    first end counts (a 注销 after a revocation changes nothing more)."""
    return {} if org.grade_ended_on is not None else {"grade_ended_on": day}


def _registered(e: OrganizationRegistered) -> Changes:
    return {
        "kind": e.kind,
        "status": "active",
        "name": e.name,
        "category": e.category,
        "credit_code": e.credit_code,
        "code_override": e.code_override,
        "level": e.level,
        "registration_authority": e.registration_authority,
        "domicile": e.domicile,
        "started_on": e.registered_on,
        "legal_representative": e.legal_representative,
        "supervisory_unit": e.supervisory_unit,
        "registered_capital_yuan": e.registered_capital_yuan,
        "business_scope": e.business_scope,
    }


def _filed(e: CommunityOrganizationFiled) -> Changes:
    return {
        "kind": "community_org",
        "status": "active",
        "name": e.name,
        "category": e.category,
        "filing_number": e.filing_number,
        "street": e.street,
        "community": e.community,
        "urban": e.urban,
        "started_on": e.filed_on,
    }
