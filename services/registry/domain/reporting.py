"""Annual report (年报/年检) rules on the register: shared/rules/reporting.py applied to an
organization's state (its kind, registration, charity recognition, end and reports on file)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from shared.contracts.registry import Kind
from shared.rules import reporting as shared_rules
from shared.rules.reporting import NATIONAL, Reporter, ReportingConfig, ReportingStatus

if TYPE_CHECKING:
    from services.registry.domain.state import OrganizationState

ReportingRules = ReportingConfig  # the locality's settings (the registry's settings build it)
NATIONAL_RULES = NATIONAL
LEGAL_PERSON_KINDS: frozenset[Kind] = frozenset(
    {"social_group", "social_service_agency", "foundation"}
)
_ALWAYS = date(1, 1, 1)  # a charity since before any year asked about


def report_deadline(
    year: int, kind: Kind, *, charity: bool = False, rules: ReportingRules = NATIONAL_RULES
) -> date:
    """The last day to file the report on `year` with the registration authority."""
    return shared_rules.deadline_of_kind(year, kind, charity=charity, config=rules)


def supervisory_review_deadline(year: int, rules: ReportingRules = NATIONAL_RULES) -> date:
    return shared_rules.supervisory_review_deadline(year, rules)


def required_to_report(
    year: int,
    kind: Kind,
    registered_on: date,
    *,
    charity: bool = False,
    rules: ReportingRules = NATIONAL_RULES,
) -> bool:
    """Whether an organization registered on `registered_on` must report on `year`."""
    org = Reporter(kind, registered_on, _ALWAYS if charity else None)
    return shared_rules.required(year, org, rules)


def latest_year_past_deadline(
    as_of: date, kind: Kind, *, charity: bool = False, rules: ReportingRules = NATIONAL_RULES
) -> int:
    """The most recent year whose report deadline has passed by `as_of` (the day after it)."""
    org = Reporter(kind, date(1, 1, 1), _ALWAYS if charity else None)
    return shared_rules.latest_year_past_deadline(as_of, org, rules)


def reporter_of(org: OrganizationState) -> Reporter | None:
    """The record the reporting rules read, for a legal person on the register (else None)."""
    if org.kind not in LEGAL_PERSON_KINDS or org.started_on is None:
        return None
    return Reporter(
        kind=org.kind,
        registered_on=org.started_on,
        charity_since=org.charity_since,
        ended_on=ended_on(org),
        filed={year: report.submitted_on for year, report in org.reports.items()},
    )


def ended_on(org: OrganizationState) -> date | None:
    """The day the organization stopped owing reports: its 撤销/吊销, else its 注销."""
    if org.revocation is not None:
        return org.revocation.revoked_on
    return org.deregistered_on


def reporting_status(
    org: OrganizationState, as_of: date, config: ReportingRules = NATIONAL_RULES
) -> ReportingStatus | None:
    """Which years `org` had to report on by `as_of`, filed on time or late, and overdue."""
    reporter = reporter_of(org)
    return None if reporter is None else shared_rules.status(reporter, as_of, config)
