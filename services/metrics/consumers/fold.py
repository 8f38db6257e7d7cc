"""A batch of REGISTRY events folded in memory over the rows they touch, in stream order.

The projection (registry.py) loads the rows of the organizations the batch names that it did
not register itself, folds the events here, and writes the result in a few multi-row
statements: the fold is the one place the rules of the spans, grades and reports live,
whether a batch holds one event or a thousand. It also gives what the batch changed in the
pre-aggregated counts (`changes`, by contributions.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol, cast

from services.metrics.consumers.contributions import Changes, contributions
from shared.contracts.base import EventData
from shared.contracts.registry import (
    AnnualReportSubmitted,
    CertificateRevoked,
    CommunityOrganizationFiled,
    Deregistered,
    FilingCancelled,
    OrganizationRegistered,
    RatingChanged,
    RegistrationChanged,
    RegistrationRevoked,
)

# Fields of a 变更登记 that move an organization between the counts.
SPAN_FIELDS = {"category": "category", "level": "level", "domicile": "place", "community": "place"}
Ends = (RegistrationRevoked, CertificateRevoked, Deregistered, FilingCancelled)
# The events that start an organization: one first seen by them has no stored rows.
OPENS: tuple[type[EventData], ...] = (OrganizationRegistered, CommunityOrganizationFiled)
# The rest (inspections, charity recognition, disposals …) changes no count.
COUNTED: tuple[type[EventData], ...] = (
    *OPENS,
    AnnualReportSubmitted,
    RegistrationChanged,
    RatingChanged,
    *Ends,
)


class OfOrganization(Protocol):
    organization_id: str


# What a stored organization's contributions (contributions.py) that a batch changes depend
# on: its spans always; its grades if its spans or grades change; its reports if its spans or
# reports do (the rest is the same before and after the batch, so it is left out of both).
SPANS_CHANGE: tuple[type[EventData], ...] = (RegistrationChanged, *Ends)
GRADES_WITH: tuple[type[EventData], ...] = (*SPANS_CHANGE, RatingChanged)
REPORTS_WITH: tuple[type[EventData], ...] = (*SPANS_CHANGE, AnnualReportSubmitted)


@dataclass(frozen=True)
class Needed:
    """The organizations whose stored spans, grades and reports a batch reads."""

    spans: list[str]
    grades: list[str]
    reports: list[str]


def needed(found: Sequence[EventData]) -> Needed:
    """Stored rows are those of the organizations a batch names before (or without) their
    registration or filing; of them, what their changes depend on."""
    seen: set[str] = set()
    stored: set[str] = set()
    grades: set[str] = set()
    reports: set[str] = set()
    for d in found:
        org = cast(OfOrganization, d).organization_id
        if org not in seen and not isinstance(d, OPENS):
            stored.add(org)
        seen.add(org)
        if org in stored:
            if isinstance(d, GRADES_WITH):
                grades.add(org)
            if isinstance(d, REPORTS_WITH):
                reports.add(org)
    return Needed(sorted(stored), sorted(grades), sorted(reports))


@dataclass
class Row:
    """A row of spans or grades: its values, whether it is stored, whether the fold changed it."""

    values: dict[str, Any]
    stored: bool = False
    dirty: bool = False
    was: dict[str, Any] | None = None  # the values as stored, before the batch


@dataclass
class Fold:
    """The touched rows: every span of an organization (the open one also by organization,
    None once ended), every grade, the reports by (organization, year) as stored and as
    written by the batch; `spans` in the order they were made."""

    open_spans: dict[str, Row | None] = field(default_factory=dict)
    spans: list[Row] = field(default_factory=list)
    org_spans: dict[str, list[Row]] = field(default_factory=dict)
    grades: dict[str, list[Row]] = field(default_factory=dict)
    stored_reports: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    reports: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)

    def load_span(self, values: dict[str, Any]) -> None:
        row = Row(dict(values), stored=True, was=dict(values))
        org = values["organization_id"]
        if values["valid_to"] is None:
            self.open_spans[org] = row
        self.spans.append(row)
        self.org_spans.setdefault(org, []).append(row)

    def load_grade(self, values: dict[str, Any]) -> None:
        row = Row(dict(values), stored=True, was=dict(values))
        self.grades.setdefault(values["organization_id"], []).append(row)

    def load_report(self, values: dict[str, Any]) -> None:
        self.stored_reports.setdefault(values["organization_id"], []).append(dict(values))

    def written_spans(self) -> list[Row]:
        return [r for r in self.spans if r.dirty]

    def written_grades(self) -> list[Row]:
        return [r for rows in self.grades.values() for r in rows if r.dirty]

    def changes(self) -> Changes:
        """What the batch changed in the counts: each touched organization's contributions
        after the batch minus those before it."""
        out: Changes = {}
        written: dict[str, dict[int, dict[str, Any]]] = {}
        for (org, year), r in self.reports.items():
            written.setdefault(org, {})[year] = r
        for org in self.touched:
            spans, grades = self.org_spans.get(org, []), self.grades.get(org, [])
            before = self.stored_reports.get(org, [])
            after = {r["year"]: r for r in before} | written.get(org, {})
            if before or any(r.was is not None for r in spans + grades):
                contributions(
                    [r.was for r in spans if r.was is not None],
                    [r.was for r in grades if r.was is not None],
                    before,
                    -1,
                    out,
                )
            contributions(
                [r.values for r in spans], [r.values for r in grades], after.values(), 1, out
            )
        return out

    # ---- the rules -----------------------------------------------------------------------

    def apply(self, data: EventData) -> None:
        self.touched.add(cast(OfOrganization, data).organization_id)
        match data:
            case OrganizationRegistered() as e:
                self._open(
                    e.organization_id,
                    e.registered_on,
                    kind=e.kind,
                    category=e.category,
                    level=e.level,
                    place=e.domicile,
                    urban=None,
                )
            case CommunityOrganizationFiled() as e:
                self._open(
                    e.organization_id,
                    e.filed_on,
                    kind="community_org",
                    category=e.category,
                    level=None,
                    place=e.community,
                    urban=e.urban,
                )
            case RegistrationChanged() as e:
                new = {c: e.changes[f][1] for f, c in SPAN_FIELDS.items() if f in e.changes}
                if "urban" in e.changes:
                    new["urban"] = e.changes["urban"][1]
                if new:
                    self._next_span(e.organization_id, e.changed_on, new)
            case RegistrationRevoked() | CertificateRevoked() as e:
                self._next_span(e.organization_id, e.revoked_on, {"status": "in_liquidation"})
                self._end_grade(e.organization_id, e.revoked_on)
            case Deregistered() as e:
                self._end(e.organization_id, e.deregistered_on)
            case FilingCancelled() as e:  # 注销备案 / 撤销备案: a filed organization ends
                self._end(e.organization_id, e.cancelled_on)
            case RatingChanged() as e:
                self._rate(e)
            case AnnualReportSubmitted() as e:
                self.reports[(e.organization_id, e.year)] = {
                    "organization_id": e.organization_id,
                    "year": e.year,
                    "submitted_on": e.submitted_on,
                    "staff_employed": e.staff_employed,
                }

    def _open(self, org: str, day: date, **attributes: Any) -> None:
        """The organization's first span: registered (成立登记) or filed (备案) on `day`."""
        values = {"organization_id": org, "n": 0, "valid_from": day, "valid_to": None}
        row = Row(values | attributes | {"status": "active"}, dirty=True)
        self.open_spans[org] = row
        self.spans.append(row)
        self.org_spans.setdefault(org, []).append(row)

    def _next_span(self, org: str, day: date, new: dict[str, Any]) -> None:
        """Close the organization's open span on `day` and open the next with `new` values."""
        row = self.open_spans.get(org)
        if row is None:
            return  # ended (注销) or never seen: nothing it changes is counted
        start = max(day, row.values["valid_from"])
        row.values["valid_to"], row.dirty = start, True
        values = {**row.values, **new, "n": row.values["n"] + 1, "valid_from": start}
        nxt = Row(values | {"valid_to": None}, dirty=True)
        self.open_spans[org] = nxt
        self.spans.append(nxt)
        self.org_spans.setdefault(org, []).append(nxt)

    def _end(self, org: str, day: date) -> None:
        """The organization ends on `day`: its open span closes, its grade with it."""
        row = self.open_spans.get(org)
        if row is not None:
            row.values["valid_to"], row.dirty = day, True
            self.open_spans[org] = None
        self._end_grade(org, day)

    def _end_grade(self, org: str, day: date) -> None:
        """No grade of the organization holds from `day` on (撤销, 吊销, 注销 void it); a grade
        yet to start gets an empty period."""
        for row in self.grades.get(org, []):
            until = row.values["valid_to"]
            if until is None or until > day:
                row.values["valid_to"], row.dirty = day, True

    def _rate(self, e: RatingChanged) -> None:
        """A decision ends the grade in force when the new one starts (its `valid_from`: under
        the 2026 revision 1 January after the announcement, DOMAIN.md, Rating) and, with a
        grade, starts the next one; a cancellation (no grade) ends it on the decision's day."""
        starts = (e.valid_from or e.decided_on) if e.grade is not None else e.decided_on
        self._end_grade(e.organization_id, starts)
        if e.grade is None:
            return
        rows = self.grades.setdefault(e.organization_id, [])
        until = None if e.valid_until is None else e.valid_until + timedelta(days=1)
        values = {
            "organization_id": e.organization_id,
            "n": len(rows),
            "grade": e.grade,
            "valid_from": starts,
            "valid_to": until,
        }
        rows.append(Row(values, dirty=True))
