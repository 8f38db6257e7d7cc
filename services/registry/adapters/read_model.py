"""The organizations read model in SQL: written inside the append's transaction, and read.

`SqlOrganizationRows` is the registry's `OrganizationRows` port (services/registry/app/ports.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.registry.adapters.reporting_sql import reporting_columns
from services.registry.adapters.tables import annual_reports, organizations
from services.registry.domain.errors import IdentifierTaken
from services.registry.domain.organization import Organization, domicile_of
from services.registry.domain.places import Places
from services.registry.domain.state import OrganizationState
from shared.contracts.registry import AnnualReportSubmitted, InspectionConcluded, RegistryEvent
from shared.eventstore.sql import SqlUnitOfWork
from shared.rules.reporting import NATIONAL, ReportingConfig


class SqlOrganizationRows:
    """The read model's rows; `put` needs the unit of work whose appends it goes with."""

    def __init__(
        self,
        engine: AsyncEngine,
        places: Places,
        uow: SqlUnitOfWork | None = None,
        reporting: ReportingConfig = NATIONAL,
    ) -> None:
        self._engine = engine
        self._places = places
        self._reporting = reporting
        self._uow = uow
        self._put: list[Organization] = []

    async def put(self, org: Organization, event: RegistryEvent) -> None:
        if self._uow is None:
            raise RuntimeError("the read model is written in a unit of work")
        self._put.append(org)
        await project(self._uow, org, event, self._places, self._reporting)

    async def holder_of(
        self, *, credit_code: str | None = None, filing_number: str | None = None
    ) -> str | None:
        async with self._engine.connect() as conn:
            return await holder_of(conn, credit_code=credit_code, filing_number=filing_number)

    async def taken(self) -> IdentifierTaken:
        """Which identifier of the organizations put here another one holds (after the unique
        key refused one); the holder None if it went again meanwhile."""
        for org in self._put:
            if org.credit_code and (other := await self.holder_of(credit_code=org.credit_code)):
                if other != org.organization_id:
                    return IdentifierTaken("credit code", org.credit_code, other)
            number = org.filing_number
            if number and (other := await self.holder_of(filing_number=number)):
                if other != org.organization_id:
                    return IdentifierTaken("filing number", number, other)
        last = self._put[-1] if self._put else None
        value = (last.credit_code or last.filing_number or "") if last else ""
        return IdentifierTaken("identifier", value, None)


def row_of(
    org: Organization, places: Places, reporting: ReportingConfig = NATIONAL
) -> dict[str, Any]:
    domicile = domicile_of(org)
    urban = org.urban
    if urban is None and len(domicile) == 12 and (place := places.get(domicile)) is not None:
        urban = place.urban
    return {
        "id": org.organization_id,
        "credit_code": org.credit_code,
        "filing_number": org.filing_number,
        "name": org.name,
        "kind": org.kind,
        "category": org.category,
        "level": org.level,
        "status": org.status,
        "domicile": domicile,
        "street": org.street or (domicile[:9] if len(domicile) >= 9 else None),
        "community": org.community or (domicile if len(domicile) == 12 else None),
        "urban": urban,
        "registered_on": org.started_on,
        "charity": org.is_charity,
        "code_override": org.code_override is not None,
        "version": org.version,
        **derived_columns(org, reporting),
    }


def derived_columns(org: OrganizationState, reporting: ReportingConfig) -> dict[str, Any]:
    """The columns a row derives from the organization's whole history rather than copies
    from its latest act: its ratings, its annual-report standing, its credit listings.
    (adapters/reproject.py writes them again when their definition changes.)"""
    return {
        **rating_columns(org),
        **reporting_columns(org, reporting),
        "abnormal_list": "abnormal" in org.credit_listings,
        "serious_list": "serious" in org.credit_listings,
    }


def rating_columns(org: OrganizationState) -> dict[str, Any]:
    """The latest rating and its validity, and the grade it replaced while that one has not
    started (the 2026 revision: in force from 1 January after the announcement), so that
    "the grade in force today" is a condition on the row (adapters/search.py)."""
    # a grade ends with the organization (撤销/吊销/注销): an ended one is not rated
    rating = org.rating if org.grade_ended_on is None else None
    before = org.rating_before if rating is not None and rating.valid_from is not None else None
    return {
        "grade": rating.grade if rating else None,
        "rating_valid_from": (rating.valid_from or rating.decided_on) if rating else None,
        "rating_valid_until": rating.valid_until if rating else None,
        "grade_before": before.grade if before else None,
        "grade_before_valid_until": before.valid_until if before else None,
    }


_INSERT = insert(organizations)
_UPDATE = update(organizations).where(organizations.c.id == bindparam("_id"))


async def project(
    uow: SqlUnitOfWork,
    org: Organization,
    event: RegistryEvent,
    places: Places,
    reporting: ReportingConfig = NATIONAL,
) -> None:
    """Write the organization's row (and its annual report row) after `event`, in the unit of
    work that appends it. A credit code or filing number another organization holds fails on
    the unique key (at commit on PostgreSQL)."""
    row = row_of(org, places, reporting)
    if org.version == 1:
        await uow.write(_INSERT, row)
    else:
        await uow.write(_UPDATE, {**row, "_id": org.organization_id})
    await _project_annual(uow, event)


_REPORT = insert(annual_reports)
_CONCLUSION = (
    update(annual_reports)
    .where(
        annual_reports.c.organization_id == bindparam("_id"),
        annual_reports.c.year == bindparam("_year"),
    )
    .values(conclusion=bindparam("conclusion"), concluded_on=bindparam("concluded_on"))
)


async def _project_annual(uow: SqlUnitOfWork, event: RegistryEvent) -> None:
    match event:
        case AnnualReportSubmitted():
            await uow.write(
                _REPORT,
                {
                    "organization_id": event.organization_id,
                    "year": event.year,
                    "submitted_on": event.submitted_on,
                    "staff_employed": event.staff_employed,
                },
            )
        case InspectionConcluded():
            await uow.write(
                _CONCLUSION,
                {
                    "_id": event.organization_id,
                    "_year": event.year,
                    "conclusion": event.conclusion,
                    "concluded_on": event.concluded_on,
                },
            )


async def holder_of(
    conn: AsyncConnection, *, credit_code: str | None = None, filing_number: str | None = None
) -> str | None:
    """The id of the organization holding a credit code or filing number, if any."""
    if credit_code is not None:
        where = organizations.c.credit_code == credit_code
    elif filing_number is not None:
        where = organizations.c.filing_number == filing_number
    else:
        return None
    found = (await conn.execute(select(organizations.c.id).where(where))).scalar_one_or_none()
    return None if found is None else str(found)
