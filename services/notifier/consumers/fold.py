"""A batch of REGISTRY events folded over the notifier's rows in memory, in stream order:
which organization, report, disposal, rating and credit-fact rows it makes or changes (no SQL
here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.consumer import Delivered
from shared.contracts.registry import (
    AnnualReportSubmitted,
    CertificateRevoked,
    CharityRecognised,
    CommunityOrganizationFiled,
    CreditDelisted,
    Deregistered,
    DisposalOrdered,
    FilingCancelled,
    OrganizationRegistered,
    RatingChanged,
    RectificationCompleted,
    RegistrationChanged,
    RegistrationRevoked,
    UnreachableRecorded,
)
from shared.rules.rating import regime_of, regime_validity

Row = dict[str, Any]
Facts = dict[str, tuple[date, str]]  # organization → the day of a report or end, its event id
# The events that change an organization's row once it exists (it is read first).
CHANGES_ORGANIZATION = (
    RegistrationChanged,
    CharityRecognised,
    RegistrationRevoked,
    CertificateRevoked,
    Deregistered,
    FilingCancelled,
)


def touched(events: list[Delivered]) -> tuple[list[str], list[tuple[str, date]]]:
    """The stored organizations and disposals a batch changes (read before the fold)."""
    orgs = {e.data.organization_id for e in events if isinstance(e.data, CHANGES_ORGANIZATION)}
    done = [
        (e.data.organization_id, e.data.ordered_on)
        for e in events
        if isinstance(e.data, RectificationCompleted)
    ]
    return sorted(orgs), sorted(set(done))


@dataclass
class Fold:
    """The rows of one batch: `organizations` and `disposals` hold the stored rows read
    before (`stored_*`: their keys, replaced on write) and the new ones."""

    organizations: dict[str, Row] = field(default_factory=dict)
    stored_organizations: set[str] = field(default_factory=set)
    reports: list[Row] = field(default_factory=list)
    disposals: dict[tuple[str, date], Row] = field(default_factory=dict)
    stored_disposals: set[tuple[str, date]] = field(default_factory=set)
    ratings: dict[str, Row] = field(default_factory=dict)  # the latest decision of each
    credit_facts: dict[tuple[str, str, date], Row] = field(default_factory=dict)
    facts: Facts = field(default_factory=dict)

    def load_organization(self, row: Row) -> None:
        self.organizations[row["organization_id"]] = row
        self.stored_organizations.add(row["organization_id"])

    def load_disposal(self, row: Row) -> None:
        key = (row["organization_id"], row["ordered_on"])
        self.disposals[key] = row
        self.stored_disposals.add(key)

    def apply(self, event: Delivered, new: Row | None) -> None:
        """Fold one event; `new` is the organization row a registration or filing makes."""
        data = event.data
        org: str = getattr(data, "organization_id", "")
        if new is not None:
            if org in self.organizations:
                raise ValueError(f"organization {org} is already on the projection")
            self.organizations[org] = new
            return
        match data:
            case AnnualReportSubmitted():
                self.reports.append(
                    {"organization_id": org, "year": data.year, "submitted_on": data.submitted_on}
                )
                self.facts[org] = (data.submitted_on, event.id)
            case DisposalOrdered():
                key = (org, data.ordered_on)
                self.disposals[key] = {
                    "organization_id": org,
                    "ordered_on": data.ordered_on,
                    "due_on": data.due_on,
                    "reason": data.reason,
                    "completed_on": None,
                }
            case RectificationCompleted():
                if (org, data.ordered_on) in self.disposals:
                    self.disposals[(org, data.ordered_on)]["completed_on"] = data.completed_on
            case UnreachableRecorded():
                self._credit_fact(org, "unreachable", data.found_on, event.id)
            case CreditDelisted() if data.list == "abnormal":  # the bureau reached it again
                self._credit_fact(org, "abnormal_delisted", data.delisted_on, event.id)
                self.facts[org] = (data.delisted_on, event.id)
            case RatingChanged():
                valid_until = _last_day(data) if data.grade is not None else None
                self.ratings[org] = {
                    "organization_id": org,
                    "grade": data.grade,
                    "decided_on": data.decided_on,
                    "valid_until": valid_until,
                }
            case _:
                if org in self.organizations:  # none stored: nothing to change
                    self._change(self.organizations[org], event)

    def _credit_fact(self, org: str, fact: str, day: date, event_id: str) -> None:
        row = {"organization_id": org, "fact": fact, "day": day, "event_id": event_id}
        self.credit_facts[(org, fact, day)] = row

    def _change(self, row: Row, event: Delivered) -> None:
        data = event.data
        org = row["organization_id"]
        match data:
            case RegistrationChanged():
                row["division"] = event.division
                if "name" in data.changes:
                    row["name"] = str(data.changes["name"][1])
                if "domicile" in data.changes:
                    row["domicile"] = str(data.changes["domicile"][1])
                if "supervisory_unit" in data.changes:
                    row["supervised"] = data.changes["supervisory_unit"][1] is not None
            case CharityRecognised():
                row["charity_since"] = data.recognised_on
                row["charity_year"] = data.recognised_on.year
            case RegistrationRevoked() | CertificateRevoked():
                row["revoked_on"], row["revoked_by"] = data.revoked_on, event.event_type
                row["ended_on"] = row.get("ended_on") or data.revoked_on
                self.facts[org] = (data.revoked_on, event.id)
            case Deregistered():
                row["deregistered_on"] = data.deregistered_on
                row["ended_on"] = row.get("ended_on") or data.deregistered_on
                self.facts[org] = (data.deregistered_on, event.id)
            case FilingCancelled():  # a community organization's 注销备案 or 撤销备案: its end
                if data.how == "revocation":
                    row["revoked_on"], row["revoked_by"] = data.cancelled_on, event.event_type
                else:
                    row["deregistered_on"] = data.cancelled_on
                row["ended_on"] = row.get("ended_on") or data.cancelled_on
                self.facts[org] = (data.cancelled_on, event.id)


def registration(event: Delivered) -> tuple[str, str, date, str, str, bool] | None:
    """(organization, kind, day, name, domicile, supervised) of a registration or filing."""
    match event.data:
        case OrganizationRegistered() as d:
            supervised = d.supervisory_unit is not None
            return d.organization_id, d.kind, d.registered_on, d.name, d.domicile, supervised
        case CommunityOrganizationFiled() as d:
            return d.organization_id, "community_org", d.filed_on, d.name, d.community, False
    return None


def _last_day(data: RatingChanged) -> date:
    """The grade's last day in force: as recorded, or as its regime gives it (events recorded
    before the registry wrote it; shared/rules/rating.py)."""
    if data.valid_until is not None:
        return data.valid_until
    regime = data.regime or regime_of(data.decided_on)
    return regime_validity(regime, data.decided_on, data.announced_on or data.decided_on)[1]
