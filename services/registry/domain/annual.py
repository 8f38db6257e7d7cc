"""年报 and 年检: commands on an organization's annual report and its inspection."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import get_args

from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.fields import require_count
from services.registry.domain.state import OrganizationState
from shared.contracts.registry import AnnualReportSubmitted, Conclusion, InspectionConcluded

# 年检结论 as the bureaus write them, and the stable values the events carry.
CONCLUSION_OF: dict[str, Conclusion] = {
    "合格": "qualified",
    "基本合格": "basically_qualified",
    "不合格": "unqualified",
    **{c: c for c in get_args(Conclusion)},
}


class AnnualCycle(OrganizationState):
    """The yearly report (年报) and the bureau's inspection conclusion (年检)."""

    def submit_annual_report(
        self,
        *,
        year: int,
        submitted_on: date,
        staff_employed: int | None = None,
        figures: Mapping[str, float] | None = None,
    ) -> AnnualReportSubmitted:
        """年报 on `year`, accepted once the year has ended, once per year."""
        self._require_open(submitted_on, late=True)
        self._require_legal_person("an annual report (年报)")
        self._require_reportable_year(year, submitted_on)
        return AnnualReportSubmitted(
            organization_id=self.organization_id,
            year=year,
            submitted_on=submitted_on,
            staff_employed=require_count("staff_employed", staff_employed),
            figures=dict(figures or {}),
        )

    def conclude_inspection(
        self, *, year: int, conclusion: str, concluded_on: date
    ) -> InspectionConcluded:
        """年检结论 on a year's report.

        An inspection reviews a filed report, so a year with no report has no conclusion:
        not taking part is its own finding (the zombie rule and rating bars read it from the
        missing report), not 不合格. One conclusion per year.
        """
        self._require_open(concluded_on, late=True)
        self._require_legal_person("an inspection conclusion (年检结论)")
        self._require_inspectable_year(year, concluded_on)
        if conclusion not in CONCLUSION_OF:
            raise InvalidCommand(
                Refusal.INVALID_FIELD,
                f"conclusion must be 合格, 基本合格 or 不合格, not {conclusion!r}",
            )
        return InspectionConcluded(
            organization_id=self.organization_id,
            year=year,
            conclusion=CONCLUSION_OF[conclusion],
            concluded_on=concluded_on,
        )

    def _require_reportable_year(self, year: int, submitted_on: date) -> None:
        if submitted_on.year <= year:
            raise InvalidCommand(
                Refusal.REPORT_YEAR_NOT_ENDED,
                f"the report on {year} (年报) can be filed only after 31 December {year}",
            )
        if self.started_on is not None and year < self.started_on.year:
            raise InvalidCommand(
                Refusal.REPORT_YEAR_BEFORE_REGISTRATION,
                f"{year} is before the organization was registered ({self.started_on})",
            )
        if year in self.reports:
            raise StateConflict(
                Refusal.DUPLICATE_REPORT,
                f"the report on {year} was filed on {self.reports[year].submitted_on}",
            )

    def _require_inspectable_year(self, year: int, concluded_on: date) -> None:
        report = self.reports.get(year)
        if report is None:
            raise StateConflict(
                Refusal.INSPECTION_WITHOUT_REPORT, f"no annual report (年报) on {year} to inspect"
            )
        if year in self.inspections:
            raise StateConflict(
                Refusal.DUPLICATE_INSPECTION,
                f"the inspection of {year} concluded {self.inspections[year].conclusion}",
            )
        self._require_not_before(
            concluded_on, report.submitted_on, f"report on {year}", Refusal.INSPECTION_BEFORE_REPORT
        )
