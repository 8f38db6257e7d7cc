"""Reads: an organization folded from its events (now or as of a date), its history, search."""

from __future__ import annotations

from datetime import date

from services.registry.app.errors import AsOfInFuture, OrganizationNotFound
from services.registry.app.handlers import organizations
from services.registry.app.ports import Register
from services.registry.app.search import Filters, Found
from services.registry.app.timeline import end_of
from services.registry.domain.organization import Organization
from shared.clock import Clock
from shared.eventstore import RecordedEvent


class RegistryQueries:
    def __init__(self, *, register: Register, clock: Clock) -> None:
        self.register = register
        self.clock = clock
        self.organizations = organizations(register)

    async def organization(
        self, organization_id: str, *, as_of: date | None = None
    ) -> Organization:
        """The organization from its events; with `as_of`, from acts dated that day or before
        (never after today: acts are in date order, so a past day's state is final)."""
        if as_of is not None and as_of > (today := self.clock.today()):
            raise AsOfInFuture(f"as_of {as_of} is after today ({today})", today=today.isoformat())
        bound = None if as_of is None else end_of(as_of)
        org = await self.organizations.load(organization_id, as_of=bound)
        if org is None:
            when = "" if as_of is None else f" on {as_of}"
            raise OrganizationNotFound(f"no organization {organization_id} on the register{when}")
        return org

    async def id_by(
        self, *, credit_code: str | None = None, filing_number: str | None = None
    ) -> str:
        found = await self.register.organizations.holder_of(
            credit_code=credit_code, filing_number=filing_number
        )
        if found is None:
            what = credit_code if credit_code is not None else str(filing_number)
            raise OrganizationNotFound(f"no organization with {what} on the register")
        return found

    async def history(self, organization_id: str) -> list[RecordedEvent]:
        events = await self.organizations.events(organization_id)
        if not events:
            raise OrganizationNotFound(f"no organization {organization_id} on the register")
        return events

    async def search(self, filters: Filters, *, limit: int, cursor: str | None) -> Found:
        return await self.register.search(
            filters, today=self.clock.today(), limit=limit, cursor=cursor
        )
