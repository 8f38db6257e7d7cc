"""The evaluation's projection of REGISTRY: per organization, what the eligibility rules read —
kind, registration, status, reports and inspection conclusions by year, penalties, credit-list
entries, disposals, charity status and every rating decision with its validity. A rating the
evaluation sent, seen here, closes its record for the registry (`recorded_on`); a fact that
puts a grade in question raises a reaction (consumers/reactions.py) in the same transaction.

The consumer runner applies each batch with its checkpoint in one transaction: a redelivered
event is recognised by the checkpoint and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, func, insert, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.adapters.tables import PROJECTION_TABLES, organizations, registry_records
from services.evaluation.consumers.reactions import react
from shared.clock import SHANGHAI
from shared.consumer import Delivered, Projection
from shared.contracts import registry as r
from shared.eventstore.model import DEFAULT_MAX_EVENT_BYTES
from shared.rules.rating import regime_of

EVENTS = (
    "organization_registered",
    "community_organization_filed",
    "registration_changed",
    "annual_report_submitted",
    "inspection_concluded",
    "charity_recognised",
    "registration_revoked",
    "certificate_revoked",
    "deregistered",
    "filing_cancelled",
    "disposal_ordered",
    "rectification_completed",
    "rating_changed",
    "penalty_imposed",
    "penalty_carried_out",
    "credit_listed",
    "credit_delisted",
)


class RegistryProjection(Projection):
    name = "evaluation_registry"
    stream = "REGISTRY"
    filter_subjects = tuple(f"registry.*.*.*.{e}" for e in EVENTS)
    tables = PROJECTION_TABLES

    def __init__(self, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        self.max_event_bytes = max_event_bytes

    async def apply(
        self, conn: AsyncConnection, event: Delivered, tables: Mapping[str, Table]
    ) -> None:
        t = _Tables(tables)
        data = event.data
        org = str(getattr(data, "organization_id", ""))
        for statement in _statements(data, org, event, t):
            await conn.execute(statement)
        # A rebuild writes shadow tables: the live consumer has raised what was to raise.
        if t.o is organizations:
            await react(conn, event, data, org, self.max_event_bytes)


class _Tables:
    """The live tables, or a rebuild's shadow copies, by short name."""

    def __init__(self, tables: Mapping[str, Table]) -> None:
        (
            self.o,
            self.reports,
            self.inspections,
            self.penalties,
            self.credit,
            self.disposals,
            self.ratings,
        ) = (tables[live.name] for live in PROJECTION_TABLES)


def _statements(data: Any, org: str, event: Delivered, t: _Tables) -> list[Any]:
    """The writes one event makes (most make one)."""
    o = t.o
    mine = o.c.organization_id == org
    match data:
        case r.OrganizationRegistered():
            return [
                insert(o).values(
                    organization_id=org,
                    name=data.name,
                    credit_code=data.credit_code,
                    kind=data.kind,
                    level=data.level,
                    registration_authority=data.registration_authority,
                    division=event.division,
                    domicile=data.domicile,
                    registered_on=data.registered_on,
                )
            ]
        case r.CommunityOrganizationFiled():
            return [
                insert(o).values(
                    organization_id=org,
                    name=data.name,
                    kind="community_org",
                    division=event.division,
                    domicile=data.community,
                    registered_on=data.filed_on,
                )
            ]
        case r.RegistrationChanged():
            values: dict[str, object] = {"division": event.division}
            for field in ("name", "domicile", "community"):
                if field in data.changes:
                    values["domicile" if field == "community" else field] = str(
                        data.changes[field][1]
                    )
            return [update(o).where(mine).values(values)]
        case r.CharityRecognised():
            return [update(o).where(mine).values(charity_since=data.recognised_on)]
        case r.RegistrationRevoked() | r.CertificateRevoked():
            return [
                update(o)
                .where(mine)
                .values(revoked_on=data.revoked_on, revoked_by=event.event_type)
            ]
        case r.Deregistered() | r.FilingCancelled():
            day = data.deregistered_on if isinstance(data, r.Deregistered) else data.cancelled_on
            return [update(o).where(mine).values(ended_on=func.coalesce(o.c.ended_on, day))]
    return _yearly(data, org, t) or _sanctions(data, org, event, t)


def _yearly(data: Any, org: str, t: _Tables) -> list[Any]:
    """Reports and conclusions by year: a later event on a year replaces the earlier one."""
    values: dict[str, object]
    match data:
        case r.AnnualReportSubmitted():
            rows, values = t.reports, {"submitted_on": data.submitted_on}
        case r.InspectionConcluded():
            rows = t.inspections
            values = {"conclusion": data.conclusion, "concluded_on": data.concluded_on}
        case _:
            return []
    key = (rows.c.organization_id == org) & (rows.c.year == data.year)
    return [
        delete(rows).where(key),
        insert(rows).values(organization_id=org, year=data.year, **values),
    ]


def _sanctions(data: Any, org: str, event: Delivered, t: _Tables) -> list[Any]:
    """Penalties, credit lists, disposals and ratings."""
    match data:
        case r.PenaltyImposed():
            return [
                insert(t.penalties).values(
                    organization_id=org,
                    decision_number=data.decision_number,
                    penalty=data.penalty,
                    decided_on=data.decided_on,
                    minor=data.minor,
                )
            ]
        case r.PenaltyCarriedOut():
            p = t.penalties
            key = (p.c.organization_id == org) & (p.c.decision_number == data.decision_number)
            return [update(p).where(key).values(carried_out_on=data.carried_out_on)]
        case r.CreditListed():
            return [
                insert(t.credit).values(
                    organization_id=org,
                    list=data.list,
                    listed_on=data.listed_on,
                    trigger=data.trigger,
                )
            ]
        case r.CreditDelisted():
            c = t.credit
            key = (c.c.organization_id == org) & (c.c.list == data.list)
            return [
                update(c).where(key, c.c.removed_on.is_(None)).values(removed_on=data.delisted_on)
            ]
        case r.DisposalOrdered():
            return [
                insert(t.disposals).values(
                    organization_id=org, ordered_on=data.ordered_on, due_on=data.due_on
                )
            ]
        case r.RectificationCompleted():
            d = t.disposals
            key = (d.c.organization_id == org) & (d.c.ordered_on == data.ordered_on)
            return [update(d).where(key).values(completed_on=data.completed_on)]
        case r.RatingChanged():
            return [
                *_recorded(data, event),
                insert(t.ratings).values(
                    organization_id=org,
                    seq=event.stream_seq,
                    decided_on=data.decided_on,
                    grade=data.grade,
                    regime=data.regime or regime_of(data.decided_on),
                    valid_from=data.valid_from or (data.decided_on if data.grade else None),
                    valid_until=data.valid_until,
                ),
            ]
    return []


def _recorded(data: r.RatingChanged, event: Delivered) -> list[Any]:
    """The registry holds a rating this service sent: its record is closed, with the day it
    was seen here (a rebuild finds it closed already and changes nothing)."""
    if data.evaluation_id is None:
        return []
    rr = registry_records
    return [
        update(rr)
        .where(rr.c.evaluation_id == data.evaluation_id, rr.c.recorded_on.is_(None))
        .values(
            state="sent",
            next_attempt_at=None,
            recorded_on=datetime.now(SHANGHAI).date(),
            registry_position=event.envelope.get("position"),
        )
    ]
