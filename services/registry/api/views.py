"""How organizations and their events are shown: domain state → response bodies."""

from __future__ import annotations

from datetime import date

from fastapi import Response

from services.registry.api.credit_schemas import CreditListingRead, CreditListsRead
from services.registry.api.decision_schemas import EventRead, HistoryRead
from services.registry.api.deps import etag
from services.registry.api.penalty_schemas import PenaltyRead
from services.registry.api.reporting_schemas import ReportingRead
from services.registry.api.schemas import (
    AnnualReportRead,
    CodeOverrideRead,
    DisposalRead,
    OrganizationRead,
    RatingRead,
    RevocationRead,
)
from services.registry.domain.organization import Organization, domicile_of
from services.registry.domain.places import Places
from services.registry.domain.reporting import reporting_status
from shared.contracts.registry import CertificateRevoked, RegistrationRevoked
from shared.eventstore import RecordedEvent
from shared.rules.reporting import NATIONAL, ReportingConfig


def place_name(places: Places, code: str) -> str | None:
    place = places.get(code)
    if place is None:
        return None
    return "".join(p.name for p in [*reversed(places.parents(code)), place])


def organization_read(
    org: Organization,
    places: Places,
    *,
    today: date,
    as_of: date | None = None,
    reporting: ReportingConfig = NATIONAL,
) -> OrganizationRead:
    assert org.kind is not None and org.status is not None and org.name is not None
    assert org.started_on is not None
    domicile = domicile_of(org)
    r, rev = org.rating, org.revocation
    return OrganizationRead(
        id=org.organization_id,
        version=org.version,
        as_of=as_of,
        kind=org.kind,
        status=org.status,
        name=org.name,
        category=org.category,
        credit_code=org.credit_code,
        filing_number=org.filing_number,
        level=org.level,
        registration_authority=org.registration_authority,
        domicile=domicile,
        domicile_name=place_name(places, domicile),
        street=org.street,
        community=org.community,
        urban=org.urban,
        registered_on=org.started_on,
        legal_representative=org.legal_representative,
        supervisory_unit=org.supervisory_unit,
        registered_capital_yuan=org.registered_capital_yuan,
        business_scope=org.business_scope,
        charity_since=org.charity_since,
        grade=org.grade_on(as_of or today),
        rating=RatingRead.model_validate({**r.model_dump(), "ended_on": org.grade_ended_on})
        if r
        else None,
        code_override=CodeOverrideRead.model_validate(org.code_override.model_dump())
        if org.code_override
        else None,
        revocation=_revocation(rev),
        deregistered_on=org.deregistered_on,
        filing_cancelled=org.filing_cancellation and org.filing_cancellation.how,
        annual_reports=[
            AnnualReportRead(
                year=year,
                submitted_on=report.submitted_on,
                staff_employed=report.staff_employed,
                conclusion=(i := org.inspections.get(year)) and i.conclusion,
                concluded_on=i.concluded_on if i else None,
            )
            for year, report in sorted(org.reports.items())
        ],
        disposals=[
            DisposalRead(**d.model_dump(), completed_on=org.rectified.get(d.ordered_on))
            for d in org.disposals
        ],
        penalties=[
            PenaltyRead(
                **p.model_dump(exclude={"organization_id"}),
                carried_out_on=org.penalties_carried_out.get(n),
            )
            for n, p in sorted(org.penalties.items(), key=lambda np: np[1].decided_on)
        ],
        credit_lists=CreditListsRead(
            **{
                name: CreditListingRead.model_validate(listing.model_dump())
                for name, listing in org.credit_listings.items()
            }
        ),
        unreachable_on=list(org.unreachable_on),
        reporting=_reporting(org, as_of or today, reporting),
    )


def _reporting(org: Organization, day: date, config: ReportingConfig) -> ReportingRead | None:
    standing = reporting_status(org, day, config)
    if standing is None:
        return None
    return ReportingRead(
        as_of=standing.as_of,
        required_years=list(standing.required),
        filed_on_time=list(standing.on_time),
        filed_late=list(standing.late),
        overdue_years=list(standing.overdue),
    )


def _revocation(rev: RegistrationRevoked | CertificateRevoked | None) -> RevocationRead | None:
    if rev is None:
        return None
    kind = "certificate_revoked" if isinstance(rev, CertificateRevoked) else "registration_revoked"
    return RevocationRead(kind=kind, revoked_on=rev.revoked_on, reason=rev.reason)


def with_etag(response: Response, org: Organization) -> None:
    response.headers["ETag"] = etag(org.version)


def history_read(organization_id: str, events: list[RecordedEvent]) -> HistoryRead:
    return HistoryRead(
        organization_id=organization_id,
        items=[
            EventRead(
                position=e.position,
                version=e.version,
                type=e.type,
                schema_version=e.schema_version,
                occurred_at=e.occurred_at,
                recorded_at=e.recorded_at,
                data=e.data,
                client=e.metadata.client,
                actor=e.metadata.actor,
                correlation_id=e.metadata.correlation_id,
            )
            for e in events
        ],
    )
