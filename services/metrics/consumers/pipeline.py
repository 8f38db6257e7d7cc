"""The rating pipeline's rules: EVALUATION events folded over the rows of their applications
(pure; the rows are adapters/tables.py `pipeline` and `objections`).

An application has a row in progress (`what` 'application') from its submission, and a row
for each grade it has been decided (`what` the grade) while that grade is not in force on the
register (domain/indicators.py, `rating.*`, states the rules the reads count). A row ends on a
day by its `valid_to` (exclusive); one ended on or before its start counts on no date. The
grade in force itself is the registry's rating_changed, counted by the registry projection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.metrics.domain.indicators import APPLICATION
from shared.contracts.base import EventData
from shared.contracts.evaluation import (
    ApplicationRechecked,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    GradeConfirmed,
    GradeDecided,
    ObjectionDecided,
    ObjectionLodged,
)

# The events that change a row; the rest of EVALUATION (rounds, sheets, 公示, investigations,
# reactions, expiry) changes none: a grade in force changes on the registry.
FOLDED: tuple[type[EventData], ...] = (
    ApplicationSubmitted,
    ApplicationWithdrawn,
    ApplicationRechecked,
    GradeDecided,
    ObjectionLodged,
    ObjectionDecided,
    GradeConfirmed,
)


@dataclass
class Pipeline:
    """The rows of the applications a batch names (as stored, then as the batch leaves them),
    and which of them it changed."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    objections: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    dirty: set[tuple[str, int]] = field(default_factory=set)
    lodged: list[dict[str, Any]] = field(default_factory=list)

    def load_row(self, values: dict[str, Any]) -> None:
        self.rows.setdefault(values["application_id"], []).append(dict(values))

    def load_objection(self, values: dict[str, Any]) -> None:
        by_id = self.objections.setdefault(values["application_id"], {})
        by_id[values["objection_id"]] = dict(values)

    def written(self) -> list[dict[str, Any]]:
        """The rows the batch made or changed."""
        return [r for a, rows in self.rows.items() for r in rows if (a, r["n"]) in self.dirty]

    def apply(self, data: EventData) -> None:
        match data:
            case ApplicationSubmitted() as e:
                if not self.rows.get(e.application_id):
                    self._open(e.application_id, e.organization_id, APPLICATION, e.submitted_on)
            case ApplicationWithdrawn() as e:
                self._end(e.application_id, e.withdrawn_on, grades=True, progress=True)
            case ApplicationRechecked() as e if not e.eligible:  # excluded at the close
                self._end(e.application_id, e.checked_on, grades=True, progress=True)
            case GradeDecided() as e:
                if e.grade is None:  # no grade: nothing awaits confirmation
                    self._end(e.application_id, e.decided_on, grades=True, progress=True)
                else:
                    self._open(e.application_id, e.organization_id, e.grade, e.decided_on)
            case ObjectionLodged() as e:
                by_id = self.objections.setdefault(e.application_id, {})
                row = {
                    "application_id": e.application_id,
                    "objection_id": e.objection_id,
                    "n": len(by_id),
                    "lodged_on": e.lodged_on,
                }
                by_id[e.objection_id] = row
                self.lodged.append(row)
            case ObjectionDecided() as e:
                if e.grade is not None:  # none: the decision stands
                    self._review(e, e.grade)
            case GradeConfirmed() as e:
                # the confirmed grade holds on the register from its valid_from on
                self._end(e.application_id, e.valid_from, grades=True, progress=False)
                self._end(e.application_id, e.announced_on, grades=False, progress=True)

    def _open(
        self, application: str, org: str, what: str, day: date, by: str | None = None
    ) -> None:
        rows = self.rows.setdefault(application, [])
        values: dict[str, Any] = {
            "application_id": application,
            "n": len(rows),
            "organization_id": org,
            "what": what,
            "valid_from": day,
            "valid_to": None,
            "objection_id": by,
        }
        rows.append(values)
        self.dirty.add((application, values["n"]))

    def _end(self, application: str, day: date, *, grades: bool, progress: bool) -> None:
        """No row of the kinds named (grades, in progress) counts from `day` on (one that would
        start later: on no date)."""
        for r in self.rows.get(application, []):
            if not (progress if r["what"] == APPLICATION else grades):
                continue
            if r["valid_to"] is None or r["valid_to"] > day:
                r["valid_to"] = day
                self.dirty.add((application, r["n"]))

    def _review(self, e: ObjectionDecided, grade: str) -> None:
        """A 复核 naming a grade replaces the grade as it stands from its day, unless a 复核
        of an objection lodged after it set that grade (the evaluation's Application.grade)."""
        rows = self.rows.get(e.application_id, [])
        current = next(
            (r for r in reversed(rows) if r["what"] != APPLICATION and r["valid_to"] is None),
            None,
        )
        if current is None:
            return  # withdrawn or confirmed: nothing awaits
        order = self.objections.get(e.application_id, {})

        def rank(objection: str | None) -> tuple[date, int] | None:
            found = order.get(objection) if objection is not None else None
            return None if found is None else (found["lodged_on"], found["n"])

        mine, theirs = rank(e.objection_id), rank(current["objection_id"])
        if theirs is not None and (mine is None or mine < theirs):
            return
        if current["what"] == grade:
            current["objection_id"] = e.objection_id
            self.dirty.add((e.application_id, current["n"]))
            return
        self._end(e.application_id, e.decided_on, grades=True, progress=False)
        org = current["organization_id"]
        self._open(e.application_id, org, grade, e.decided_on, e.objection_id)
