"""The notifier's projection of REGISTRY: organizations, their reports, ends, disposals and
latest rating, as the zombie and reminder scans read them; a late report or an end clears a
flag in the same transaction.

It reads only the subjects it needs. Derived columns (`first_year`) follow the notifier's
settings at the time an event is applied: after changing the reporting settings, rebuild
the projection (POST /v1/consumers/{name}/rebuild).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import Table, delete, func, insert, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.tables import (
    PROJECTION_TABLES,
    disposals,
    organizations,
    ratings,
    reports,
)
from services.notifier.app.clearing import clear_on_facts
from services.notifier.domain.zombie import Record, ZombieConfig, first_required_year
from shared.consumer import Delivered, Projection
from shared.contracts.registry import (
    AnnualReportSubmitted,
    CertificateRevoked,
    CharityRecognised,
    CommunityOrganizationFiled,
    Deregistered,
    DisposalOrdered,
    OrganizationRegistered,
    RatingChanged,
    RectificationCompleted,
    RegistrationChanged,
    RegistrationRevoked,
)
from shared.eventstore.codec import EventCodec
from shared.rules.rating import regime_of, regime_validity

EVENTS = (
    "organization_registered",
    "community_organization_filed",
    "registration_changed",
    "annual_report_submitted",
    "charity_recognised",
    "registration_revoked",
    "certificate_revoked",
    "deregistered",
    "disposal_ordered",
    "rectification_completed",
    "rating_changed",
)
Facts = dict[str, tuple[date, str]]  # organization → the day of a report or end, its event id


class RegistryProjection(Projection):
    name = "notifier_registry"
    stream = "REGISTRY"
    filter_subjects = tuple(f"registry.*.*.*.{e}" for e in EVENTS)
    tables = PROJECTION_TABLES

    def __init__(self, config: ZombieConfig, codec: EventCodec, max_event_bytes: int) -> None:
        self.config = config
        self.codec = codec
        self.max_event_bytes = max_event_bytes

    async def apply(
        self, conn: AsyncConnection, event: Delivered, tables: Mapping[str, Table]
    ) -> None:
        await self.apply_batch(conn, [event], tables)

    async def apply_batch(
        self, conn: AsyncConnection, events: Sequence[Delivered], tables: Mapping[str, Table]
    ) -> None:
        facts: Facts = {}
        for event in events:
            await self._apply(conn, event, tables, facts)
        # A rebuild writes shadow tables: the live consumer has cleared what was to clear.
        live = tables[organizations.name] is organizations
        if facts and live:
            await clear_on_facts(
                conn,
                facts,
                config=self.config,
                codec=self.codec,
                max_event_bytes=self.max_event_bytes,
            )

    async def _apply(
        self, conn: AsyncConnection, event: Delivered, tables: Mapping[str, Table], facts: Facts
    ) -> None:
        o, r, d, g = (tables[t.name] for t in (organizations, reports, disposals, ratings))
        data = event.data
        org = getattr(data, "organization_id", "")
        where = o.c.organization_id == org
        match data:
            case OrganizationRegistered():
                row = self._row(org, data.kind, data.registered_on, event.division)
                row |= {"name": data.name, "domicile": data.domicile}
                row["supervised"] = data.supervisory_unit is not None
                await conn.execute(insert(o).values(row))
            case CommunityOrganizationFiled():
                row = self._row(org, "community_org", data.filed_on, event.division)
                row |= {"name": data.name, "domicile": data.community, "supervised": False}
                await conn.execute(insert(o).values(row))
            case RegistrationChanged():
                values: dict[str, object] = {"division": event.division}
                if "name" in data.changes:
                    values["name"] = str(data.changes["name"][1])
                if "domicile" in data.changes:
                    values["domicile"] = str(data.changes["domicile"][1])
                if "supervisory_unit" in data.changes:
                    values["supervised"] = data.changes["supervisory_unit"][1] is not None
                await conn.execute(update(o).where(where).values(values))
            case AnnualReportSubmitted():
                await conn.execute(
                    insert(r).values(
                        organization_id=org, year=data.year, submitted_on=data.submitted_on
                    )
                )
                facts[org] = (data.submitted_on, event.id)
            case CharityRecognised():
                day = data.recognised_on
                await conn.execute(
                    update(o).where(where).values(charity_since=day, charity_year=day.year)
                )
            case RegistrationRevoked() | CertificateRevoked():
                day = data.revoked_on
                await conn.execute(
                    update(o)
                    .where(where)
                    .values(
                        revoked_on=day,
                        revoked_by=event.event_type,
                        ended_on=func.coalesce(o.c.ended_on, day),
                    )
                )
                facts[org] = (day, event.id)
            case Deregistered():
                day = data.deregistered_on
                await conn.execute(
                    update(o)
                    .where(where)
                    .values(deregistered_on=day, ended_on=func.coalesce(o.c.ended_on, day))
                )
                facts[org] = (day, event.id)
            case DisposalOrdered():
                await conn.execute(
                    insert(d).values(
                        organization_id=org,
                        ordered_on=data.ordered_on,
                        due_on=data.due_on,
                        reason=data.reason,
                    )
                )
            case RectificationCompleted():
                await conn.execute(
                    update(d)
                    .where(d.c.organization_id == org, d.c.ordered_on == data.ordered_on)
                    .values(completed_on=data.completed_on)
                )
            case RatingChanged():
                row = {"grade": data.grade, "decided_on": data.decided_on}
                row["valid_until"] = _last_day(data) if data.grade is not None else None
                await conn.execute(delete(g).where(g.c.organization_id == org))
                await conn.execute(insert(g).values(organization_id=org, **row))

    def _row(self, org: str, kind: str, registered_on: date, division: str) -> dict[str, object]:
        return {
            "organization_id": org,
            "kind": kind,
            "division": division,
            "registered_on": registered_on,
            "registered_year": registered_on.year,
            "first_year": first_required_year(Record(kind, registered_on), self.config),
        }


def _last_day(data: RatingChanged) -> date:
    """The grade's last day in force: as recorded, or as its regime gives it (events recorded
    before the registry wrote it; shared/rules/rating.py)."""
    if data.valid_until is not None:
        return data.valid_until
    regime = data.regime or regime_of(data.decided_on)
    return regime_validity(regime, data.decided_on, data.announced_on or data.decided_on)[1]
