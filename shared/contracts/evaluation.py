"""Events the evaluation service publishes to EVALUATION."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.contracts.base import EventData, contract
from shared.contracts.registry import Grade


@contract("evaluation", "round_announced", 1, "评估批次: a round opened by an authority")
class RoundAnnounced(EventData):
    round_id: str
    authority: str
    title: str
    opens_on: date
    closes_on: date


@contract("evaluation", "application_submitted", 1, "评估申请")
class ApplicationSubmitted(EventData):
    application_id: str
    round_id: str
    organization_id: str
    submitted_on: date


@contract("evaluation", "grade_decided", 1, "终审: the grade awarded")
class GradeDecided(EventData):
    application_id: str
    organization_id: str
    grade: Grade | None
    score: float | None = None
    decided_on: date
    valid_until: date | None = None


@contract(
    "evaluation",
    "investigation_opened",
    1,
    "立案调查: a government department or judicial organ investigates the organization",
    act_date="opened_on",
)
class InvestigationOpened(EventData):
    organization_id: str
    investigation_id: str
    reference: str = Field(description="the case's reference (立案文号), as the bureau gives it")
    opened_on: date


@contract(
    "evaluation",
    "investigation_closed",
    1,
    "立案调查 closed: the investigation of the organization has ended",
    act_date="closed_on",
)
class InvestigationClosed(EventData):
    organization_id: str
    investigation_id: str
    closed_on: date
