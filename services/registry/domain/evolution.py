"""How each registry event changes an organization's state (the fold behind replay)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from shared.contracts.registry import (
    AnnualReportSubmitted,
    CertificateRevoked,
    CharityRecognised,
    CommunityOrganizationFiled,
    Deregistered,
    DisposalOrdered,
    InspectionConcluded,
    OrganizationRegistered,
    RatingChanged,
    RegistrationChanged,
    RegistrationRevoked,
    RegistryEvent,
)

if TYPE_CHECKING:
    from services.registry.domain.state import OrganizationState

S = TypeVar("S", bound="OrganizationState")


def evolve(org: S, event: RegistryEvent) -> S:
    """The state after `event`; the version is the caller's to advance."""
    match event:
        case OrganizationRegistered():
            return _registered(org, event)
        case CommunityOrganizationFiled():
            return _filed(org, event)
        case RegistrationChanged():
            return _changed(org, event)
        case AnnualReportSubmitted():
            return replace(org, reports={**org.reports, event.year: event})
        case InspectionConcluded():
            return replace(org, inspections={**org.inspections, event.year: event})
        case CharityRecognised():
            return replace(org, charity_since=event.recognised_on)
        case RegistrationRevoked() | CertificateRevoked():
            return replace(org, status="in_liquidation", revocation=event)
        case Deregistered():
            return replace(org, status="deregistered", deregistered_on=event.deregistered_on)
        case DisposalOrdered():
            return replace(org, disposals=(*org.disposals, event))
        case RatingChanged():
            return replace(org, rating=event)
    raise TypeError(f"{type(event).__name__} is not a registry event")


def _changed(org: S, e: RegistrationChanged) -> S:
    new_values: dict[str, Any] = {field: new for field, (_, new) in e.changes.items()}
    return replace(org, **new_values)


def _registered(org: S, e: OrganizationRegistered) -> S:
    return replace(
        org,
        kind=e.kind,
        status="active",
        name=e.name,
        category=e.category,
        credit_code=e.credit_code,
        code_override=e.code_override,
        level=e.level,
        registration_authority=e.registration_authority,
        domicile=e.domicile,
        started_on=e.registered_on,
        legal_representative=e.legal_representative,
        supervisory_unit=e.supervisory_unit,
        registered_capital_yuan=e.registered_capital_yuan,
        business_scope=e.business_scope,
    )


def _filed(org: S, e: CommunityOrganizationFiled) -> S:
    return replace(
        org,
        kind="community_org",
        status="active",
        name=e.name,
        category=e.category,
        filing_number=e.filing_number,
        street=e.street,
        community=e.community,
        urban=e.urban,
        started_on=e.filed_on,
    )
