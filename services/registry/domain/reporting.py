"""Annual report (年报/年检) rules: the deadline for year Y and who must report for it."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from shared.contracts.registry import Kind

MonthDay = tuple[int, int]


@dataclass(frozen=True)
class ReportingRules:
    """Locality settings; the defaults are the national rules (DOMAIN.md)."""

    # Deadlines fall in year Y+1 for the report on year Y.
    # 社会团体登记管理条例 art. 28; 民办非企业单位登记管理暂行条例 art. 23;
    # 民政部令第27号 art. 4: social groups and social service agencies by 31 May.
    social_group_deadline: MonthDay = (5, 31)
    social_service_agency_deadline: MonthDay = (5, 31)
    # 基金会年度检查办法 (民政部令第30号) art. 3: foundations by 31 March.
    foundation_deadline: MonthDay = (3, 31)
    # 民办函〔2024〕8号: every recognised charity by 31 March, whatever its kind.
    charity_deadline: MonthDay = (3, 31)
    # Organizations with a 业务主管单位 must reach it by 31 March for its first review.
    supervisory_review_deadline: MonthDay = (3, 31)
    # 民政部令第27号 art. 3: an agency registered less than 6 months before 31 December
    # does not report for its registration year.
    agency_exempt_within_months: int = 6
    # Social groups registered by 31 December report (national practice); some localities
    # exempt those registered after a day, e.g. Shandong 鲁民函〔2021〕19号: (6, 30).
    social_group_exempt_after: MonthDay | None = None


NATIONAL_RULES = ReportingRules()
LEGAL_PERSON_KINDS: frozenset[Kind] = frozenset(
    {"social_group", "social_service_agency", "foundation"}
)


def report_deadline(
    year: int, kind: Kind, *, charity: bool = False, rules: ReportingRules = NATIONAL_RULES
) -> date:
    """The last day to file the report on `year` with the registration authority."""
    if kind not in LEGAL_PERSON_KINDS:
        raise ValueError(f"{kind} files no annual report")
    month, day = _deadline_of(kind, charity, rules)
    return date(year + 1, month, day)


def supervisory_review_deadline(year: int, rules: ReportingRules = NATIONAL_RULES) -> date:
    """The last day to reach the 业务主管单位, for organizations that have one."""
    month, day = rules.supervisory_review_deadline
    return date(year + 1, month, day)


def required_to_report(
    year: int,
    kind: Kind,
    registered_on: date,
    *,
    charity: bool = False,
    rules: ReportingRules = NATIONAL_RULES,
) -> bool:
    """Whether an organization registered on `registered_on` must report on `year`."""
    if kind not in LEGAL_PERSON_KINDS or year < registered_on.year:
        return False
    if year > registered_on.year or charity or kind == "foundation":
        return True
    return not _exempt_in_registration_year(kind, registered_on, rules)


def latest_year_past_deadline(
    as_of: date, kind: Kind, *, charity: bool = False, rules: ReportingRules = NATIONAL_RULES
) -> int:
    """The most recent year whose report deadline has passed by `as_of` (the day after it)."""
    year = as_of.year - 1
    while report_deadline(year, kind, charity=charity, rules=rules) >= as_of:
        year -= 1
    return year


def _deadline_of(kind: Kind, charity: bool, rules: ReportingRules) -> MonthDay:
    if charity:
        return rules.charity_deadline
    if kind == "foundation":
        return rules.foundation_deadline
    if kind == "social_service_agency":
        return rules.social_service_agency_deadline
    return rules.social_group_deadline


def _exempt_in_registration_year(kind: Kind, registered_on: date, rules: ReportingRules) -> bool:
    if kind == "social_service_agency":
        year_end = date(registered_on.year, 12, 31)
        return registered_on > _months_before(year_end, rules.agency_exempt_within_months)
    if kind == "social_group" and rules.social_group_exempt_after is not None:
        month, day = rules.social_group_exempt_after
        return registered_on > date(registered_on.year, month, day)
    return False


def _months_before(day: date, months: int) -> date:
    """`day` moved back by whole months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
