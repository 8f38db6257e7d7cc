"""Reads: an organization folded from its events (now or as of a date), its history, search."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry.adapters import search as search_model
from services.registry.adapters.streams import payloads, stream_of
from services.registry.adapters.tables import organizations
from services.registry.app.clock import Clock
from services.registry.app.errors import OrganizationNotFound
from services.registry.app.timeline import end_of
from services.registry.domain.organization import Organization
from shared.eventstore import RecordedEvent
from shared.eventstore.sql import SqlEventStore


class RegistryQueries:
    def __init__(self, *, store: SqlEventStore, engine: AsyncEngine, clock: Clock) -> None:
        self.store = store
        self.engine = engine
        self.clock = clock

    async def organization(
        self, organization_id: str, *, as_of: date | None = None
    ) -> Organization:
        """The organization from its events; with `as_of`, from acts dated that day or before."""
        bound = None if as_of is None else end_of(as_of)
        events = await self.store.read_stream(stream_of(organization_id), as_of=bound)
        if not events:
            when = "" if as_of is None else f" on {as_of}"
            raise OrganizationNotFound(f"no organization {organization_id} on the register{when}")
        return Organization.replay(organization_id, payloads(events))

    async def id_by(
        self, *, credit_code: str | None = None, filing_number: str | None = None
    ) -> str:
        o = organizations
        if credit_code is not None:
            q, what = select(o.c.id).where(o.c.credit_code == credit_code), credit_code
        else:
            q, what = select(o.c.id).where(o.c.filing_number == filing_number), str(filing_number)
        async with self.engine.connect() as conn:
            found = (await conn.execute(q)).scalar_one_or_none()
        if found is None:
            raise OrganizationNotFound(f"no organization with {what} on the register")
        return str(found)

    async def history(self, organization_id: str) -> list[RecordedEvent]:
        events = await self.store.read_stream(stream_of(organization_id))
        if not events:
            raise OrganizationNotFound(f"no organization {organization_id} on the register")
        return events

    async def search(
        self, filters: search_model.Filters, *, limit: int, cursor: str | None
    ) -> search_model.Found:
        return await search_model.search(
            self.engine, filters, today=self.clock.today(), limit=limit, cursor=cursor
        )
