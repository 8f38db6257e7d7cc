"""The evaluation's projection of REGISTRY: per organization, what the eligibility rules read —
kind, registration, status, reports and inspection conclusions by year, penalties, credit-list
entries, disposals, charity status and every rating decision with its validity. A rating the
evaluation sent, seen here, closes its record for the registry (`recorded_on`); a fact that
puts a grade in question raises a reaction (consumers/reactions.py) in the same transaction.

A batch is applied at once: the rows its events insert are held in memory (held.py), updates
of held rows change them in place, and the held rows are written in one multi-row statement
per table; before a fact that may raise a reaction, what is held is written, so the reaction
reads the record as it stands. A single event is a batch of one. The consumer runner applies
each batch with its checkpoint in one transaction: a redelivered event is recognised by the
checkpoint and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.adapters.tables import PROJECTION_TABLES, organizations, registry_records
from services.evaluation.consumers.held import Change, Held, Row
from services.evaluation.consumers.reactions import TRIGGERS, react
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

    async def apply_batch(
        self, conn: AsyncConnection, events: Sequence[Delivered], tables: Mapping[str, Table]
    ) -> None:
        t = _Tables(tables)
        # A rebuild writes shadow tables: the live consumer has raised what was to raise.
        live = t.o is organizations
        held = Held()
        for event in events:
            data = event.data
            org = str(getattr(data, "organization_id", ""))
            made = _row(data, org, event, t)
            if made is not None:
                held.insert(made[0], made[1], replace=made[2])
            change = _change(data, org, event, t)
            if change is not None:
                await held.change(conn, change)
            if isinstance(data, r.RatingChanged):
                for statement in _recorded(data, event):
                    await conn.execute(statement)
            if live and event.event_type in TRIGGERS:
                await held.flush(conn)
                await react(conn, event, data, org, self.max_event_bytes)
        await held.flush(conn)


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


def _row(data: Any, org: str, event: Delivered, t: _Tables) -> tuple[Table, Row, bool] | None:
    """The row an event inserts, and whether it replaces a stored one of its key (a later
    report or conclusion of a year replaces the earlier)."""
    match data:
        case r.OrganizationRegistered():
            row = {
                "organization_id": org,
                "name": data.name,
                "credit_code": data.credit_code,
                "kind": data.kind,
                "level": data.level,
                "registration_authority": data.registration_authority,
                "division": event.division,
                "domicile": data.domicile,
                "registered_on": data.registered_on,
            }
            return t.o, row, False
        case r.CommunityOrganizationFiled():
            row = {
                "organization_id": org,
                "name": data.name,
                "kind": "community_org",
                "division": event.division,
                "domicile": data.community,
                "registered_on": data.filed_on,
            }
            return t.o, row, False
        case r.AnnualReportSubmitted():
            row = {"organization_id": org, "year": data.year, "submitted_on": data.submitted_on}
            return t.reports, row, True
        case r.InspectionConcluded():
            row = {
                "organization_id": org,
                "year": data.year,
                "conclusion": data.conclusion,
                "concluded_on": data.concluded_on,
            }
            return t.inspections, row, True
    return _sanction(data, org, event, t)


def _sanction(data: Any, org: str, event: Delivered, t: _Tables) -> tuple[Table, Row, bool] | None:
    """Penalties, credit-list entries, disposals and rating decisions."""
    match data:
        case r.PenaltyImposed():
            row = {
                "organization_id": org,
                "decision_number": data.decision_number,
                "penalty": data.penalty,
                "decided_on": data.decided_on,
                "minor": data.minor,
            }
            return t.penalties, row, False
        case r.CreditListed():
            row = {
                "organization_id": org,
                "list": data.list,
                "listed_on": data.listed_on,
                "trigger": data.trigger,
            }
            return t.credit, row, False
        case r.DisposalOrdered():
            row = {"organization_id": org, "ordered_on": data.ordered_on, "due_on": data.due_on}
            return t.disposals, row, False
        case r.RatingChanged():
            row = {
                "organization_id": org,
                "seq": event.stream_seq,
                "decided_on": data.decided_on,
                "grade": data.grade,
                "regime": data.regime or regime_of(data.decided_on),
                "valid_from": data.valid_from or (data.decided_on if data.grade else None),
                "valid_until": data.valid_until,
            }
            return t.ratings, row, False
    return None


def _change(data: Any, org: str, event: Delivered, t: _Tables) -> Change | None:
    """The update an event makes to rows inserted before it."""
    mine: dict[str, Any] = {"organization_id": org}
    match data:
        case r.RegistrationChanged():
            values: dict[str, object] = {"division": event.division}
            for field in ("name", "domicile", "community"):
                if field in data.changes:
                    values["domicile" if field == "community" else field] = str(
                        data.changes[field][1]
                    )
            return Change(t.o, mine, values)
        case r.CharityRecognised():
            return Change(t.o, mine, {"charity_since": data.recognised_on})
        case r.RegistrationRevoked() | r.CertificateRevoked():
            return Change(
                t.o, mine, {"revoked_on": data.revoked_on, "revoked_by": event.event_type}
            )
        case r.Deregistered() | r.FilingCancelled():
            day = data.deregistered_on if isinstance(data, r.Deregistered) else data.cancelled_on
            return Change(t.o, mine, {"ended_on": day}, keep=True)
        case r.PenaltyCarriedOut():
            key = mine | {"decision_number": data.decision_number}
            return Change(t.penalties, key, {"carried_out_on": data.carried_out_on})
        case r.CreditDelisted():
            listed = mine | {"list": data.list, "removed_on": None}
            return Change(t.credit, listed, {"removed_on": data.delisted_on}, by_key=False)
        case r.RectificationCompleted():
            key = mine | {"ordered_on": data.ordered_on}
            return Change(t.disposals, key, {"completed_on": data.completed_on})
    return None


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
