"""The annual-report standing shown on an organization (shared/rules/reporting.py)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class ReportingRead(BaseModel):
    as_of: date = Field(description="the day the standing is read as of")
    required_years: list[int] = Field(
        description="years whose deadline had passed and on which it had to report"
    )
    filed_on_time: list[int] = Field(description="years reported by their deadline")
    filed_late: list[int] = Field(description="years reported after their deadline")
    overdue_years: list[int] = Field(description="required years not reported by as_of")
