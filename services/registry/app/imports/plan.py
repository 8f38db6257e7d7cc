"""One import row as the events the Organization aggregate decides for it (pure, no I/O).

The organization's id is derived from its identifier (uuid5), so a re-run of the same file
maps each row to the same stream, and the planned events can be compared with the stored ones.
Later facts are applied in the order of their dates, so the aggregate's rules (nothing after
注销, no report before registration, …) judge them as if they had come one by one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from services.registry.app import commands as c
from services.registry.app.decide import act_day, decide
from services.registry.app.imports.credit_columns import credit_commands
from services.registry.app.imports.penalty_columns import penalty_commands
from services.registry.app.imports.rows import (
    END_OF,
    FilingRow,
    ImportRow,
    RatingIn,
    RegistrationRow,
    ReportIn,
)
from services.registry.app.streams import CODEC
from services.registry.domain.organization import Organization
from services.registry.domain.places import Places
from services.registry.domain.registration import OverrideRequest
from shared.contracts.registry import RegistryEvent
from shared.eventstore import NewEvent

# Fixed namespace of organization ids derived from identifiers (never change it: a re-run
# would then create every organization a second time).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:socorg:registry:organization")


def organization_id(row: ImportRow) -> str:
    scheme = "credit-code" if isinstance(row, RegistrationRow) else "filing-number"
    return uuid.uuid5(ID_NAMESPACE, f"{scheme}:{row.identifier}").hex


@dataclass(frozen=True)
class Planned:
    """The events of one row and the organization's state after each of them."""

    row: int
    identifier: str
    events: list[RegistryEvent]
    states: list[Organization]

    @property
    def organization(self) -> Organization:
        return self.states[-1]

    @cached_property
    def new_events(self) -> list[NewEvent]:
        """Every planned event as the store takes it, its JSON text included. Computed while
        the batch before commits (Importer), so the commit does no encoding of its own."""
        return [CODEC.encode(e) for e in self.events]

    @cached_property
    def stored(self) -> list[tuple[str, dict[str, Any]]]:
        """The events as the store keeps them (type, data), to compare with a stream."""
        return [(e.type, e.data) for e in self.new_events]


def plan(number: int, row: ImportRow, *, places: Places, today: date) -> Planned:
    """The row's events, or the domain's refusal (InvalidCommand / StateConflict)."""
    oid = organization_id(row)
    org = Organization.blank(oid)
    start = _start(row)
    first = decide(org, start, act_day(_day(start), today, start.act_field), places)
    assert first is not None  # a creation is never already on record
    org = org.apply(first)
    states, events = [org], [first]
    for command in _later(row, oid, today):  # dates checked, all of them, before any is decided
        event = decide(org, command, _day(command), places)
        if event is None:  # already on record (a rating retried): nothing to add
            continue
        org = org.apply(event)
        events.append(event)
        states.append(org)
    return Planned(number, row.identifier, events, states)


def _day(command: c.Command) -> date:
    day: date = getattr(command, command.act_field)  # an import row dates every fact
    return day


def _start(row: ImportRow) -> c.Creation:
    if isinstance(row, FilingRow):
        return c.FileCommunityOrganization(
            community=row.community,
            street=row.street,
            urban=row.urban,
            filing_number=row.filing_number,
            name=row.name,
            category=row.category,
            filed_on=row.filed_on,
        )
    override = row.code_override
    return c.RegisterOrganization(
        domicile=row.domicile,
        override=OverrideRequest(override.allowed_by, override.reason) if override else None,
        credit_code=row.credit_code,
        name=row.name,
        kind=row.kind,
        level=row.level,
        registered_on=row.registered_on,
        registration_authority=row.registration_authority,
        category=row.category,
        legal_representative=row.legal_representative,
        supervisory_unit=row.supervisory_unit,
        registered_capital_yuan=row.registered_capital_yuan,
        business_scope=row.business_scope,
    )


def _later(row: ImportRow, oid: str, today: date) -> list[c.OnOrganization]:
    """The later facts as commands in date order; on the same day the facts come first, then
    the credit-list decisions that rest on them, then the end, then the decisions resting on
    the end (a serious listing for 撤销, a removal for 注销)."""
    dated: list[tuple[date, int, c.OnOrganization]] = []
    if (day := row.charity_recognised_on) is not None:
        dated.append((day, 0, c.RecogniseAsCharity(organization_id=oid, recognised_on=day)))
    for r in sorted(row.annual_reports, key=lambda r: r.year):
        dated.append((r.submitted_on, 1, _report(oid, r)))
        if r.conclusion is not None:
            on = r.concluded_on or r.submitted_on
            dated.append((on, 2, _inspection(oid, r.year, r.conclusion, on)))
    if (rating := row.rating) is not None:
        dated.append((rating.decided_on, 3, _rating(oid, rating)))
    for day, command in penalty_commands(oid, row.penalties):
        dated.append((day, 3, command))
    credit = credit_commands(oid, row.unreachable, row.credit_listings, row.credit_removals)
    for day, command in credit:
        dated.append((day, _credit_rank(command), command))
    if (end := row.end) is not None:
        filed = isinstance(row, FilingRow)
        dated.append((end.on, 6, _end(oid, END_OF[end.how], end.on, end.reason, filed=filed)))
    dated.sort(key=lambda d: (d[0], d[1]))
    for day, _, _ in dated:
        act_day(day, today)
    return [command for _, _, command in dated]


def _credit_rank(command: c.OnOrganization) -> int:
    """Where a credit-list command falls among a day's acts (see `_later`)."""
    if isinstance(command, c.ListOnCredit):
        return 7 if command.trigger == "registration_revoked" else 4
    if isinstance(command, c.DelistFromCredit):
        return 7 if command.reason == "deregistered" else 5
    return 3  # unreachable: a fact


def _report(oid: str, r: ReportIn) -> c.SubmitAnnualReport:
    return c.SubmitAnnualReport(
        organization_id=oid,
        year=r.year,
        submitted_on=r.submitted_on,
        staff_employed=r.staff_employed,
    )


def _inspection(oid: str, year: int, conclusion: str, on: date) -> c.ConcludeInspection:
    return c.ConcludeInspection(
        organization_id=oid, year=year, conclusion=conclusion, concluded_on=on
    )


def _rating(oid: str, r: RatingIn) -> c.ChangeRating:
    return c.ChangeRating(
        organization_id=oid, grade=r.grade, decided_on=r.decided_on, valid_until=r.valid_until
    )


def _end(oid: str, how: str, on: date, reason: str, *, filed: bool) -> c.OnOrganization:
    if filed:  # a community organization's filing ends: 注销备案 / 撤销备案
        end = "deregistration" if how == "deregistered" else "revocation"
        return c.CancelFiling(organization_id=oid, how=end, cancelled_on=on, reason=reason)
    if how == "deregistered":
        return c.Deregister(organization_id=oid, deregistered_on=on, reason=reason)
    return c.RevokeRegistration(organization_id=oid, revoked_on=on, reason=reason)
