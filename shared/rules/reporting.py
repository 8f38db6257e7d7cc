"""Annual report (年报/年检) rules: the deadline of year Y, whether Y is required, on time or late.

Pure and stdlib only: a small record of the organization (`Reporter`) and the locality's
settings (`ReportingConfig`, defaults from DOMAIN.md, Annual report) in; dates and years out.
The registry's domain calls it; the notifier and evaluation reuse it as it is.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

MonthDay = tuple[int, int]
LEGAL_PERSON_KINDS = frozenset({"social_group", "social_service_agency", "foundation"})


@dataclass(frozen=True)
class ReportingConfig:
    """Locality settings; the defaults are the national rules (DOMAIN.md, Annual report)."""

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


NATIONAL = ReportingConfig()


@dataclass(frozen=True)
class Reporter:
    """What the rules need to know of an organization.

    `charity_since`: the date of its 慈善组织认定, if any; `ended_on`: the date of its 撤销,
    吊销 or 注销, if any; `filed`: the reports on file, year → the day each was submitted.
    """

    kind: str
    registered_on: date
    charity_since: date | None = None
    ended_on: date | None = None
    filed: Mapping[int, date] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportingStatus:
    """An organization's reporting as of a day: the years whose deadline had passed and that it
    had to report, those it filed on time or late, and those still overdue."""

    as_of: date
    required: tuple[int, ...]
    on_time: tuple[int, ...]
    late: tuple[int, ...]
    overdue: tuple[int, ...]


def charity_in(year: int, org: Reporter) -> bool:
    """Whether the charity's rules apply to the report on `year`: from the year of its
    recognition on, never to the years before it."""
    return org.charity_since is not None and org.charity_since.year <= year


def deadline(year: int, org: Reporter, config: ReportingConfig = NATIONAL) -> date:
    """The last day to file the report on `year` with the registration authority."""
    return deadline_of_kind(year, org.kind, charity=charity_in(year, org), config=config)


def deadline_of_kind(
    year: int, kind: str, *, charity: bool = False, config: ReportingConfig = NATIONAL
) -> date:
    """The deadline of `year` for an organization of `kind`, a charity or not that year."""
    if kind not in LEGAL_PERSON_KINDS:
        raise ValueError(f"{kind} files no annual report")
    month, day = _deadline_of(kind, charity, config)
    return date(year + 1, month, day)


def supervisory_review_deadline(year: int, config: ReportingConfig = NATIONAL) -> date:
    """The last day to reach the 业务主管单位, for organizations that have one."""
    month, day = config.supervisory_review_deadline
    return date(year + 1, month, day)


def required(year: int, org: Reporter, config: ReportingConfig = NATIONAL) -> bool:
    """Whether `org` must report on `year`: a legal person, from its registration year (unless
    exempt for it), and, once ended, only for years whose deadline fell before the end."""
    if org.kind not in LEGAL_PERSON_KINDS or year < org.registered_on.year:
        return False
    if org.ended_on is not None and deadline(year, org, config) >= org.ended_on:
        return False
    if year > org.registered_on.year or charity_in(year, org) or org.kind == "foundation":
        return True
    return not _exempt_in_registration_year(org.kind, org.registered_on, config)


def first_required_year(org: Reporter, config: ReportingConfig = NATIONAL) -> int | None:
    """The first year `org` must report on, ignoring its end (None: a community organization)."""
    if org.kind not in LEGAL_PERSON_KINDS:
        return None
    year = org.registered_on.year
    open_ended = Reporter(org.kind, org.registered_on, org.charity_since)
    return year if required(year, open_ended, config) else year + 1


def last_required_year(org: Reporter, config: ReportingConfig = NATIONAL) -> int | None:
    """The last year an ended organization had to report on (None: not ended, or none)."""
    if org.ended_on is None or org.kind not in LEGAL_PERSON_KINDS:
        return None
    year = org.ended_on.year
    while year >= org.registered_on.year and not required(year, org, config):
        year -= 1
    return year if year >= org.registered_on.year else None


def latest_year_past_deadline(
    as_of: date, org: Reporter, config: ReportingConfig = NATIONAL
) -> int:
    """The most recent year whose deadline has passed by `as_of` (the day after it)."""
    year = as_of.year - 1
    while deadline(year, org, config) >= as_of:
        year -= 1
    return year


def on_time(
    year: int, submitted_on: date, org: Reporter, config: ReportingConfig = NATIONAL
) -> bool:
    """Whether a report on `year` submitted on `submitted_on` met its deadline."""
    return submitted_on <= deadline(year, org, config)


def status(org: Reporter, as_of: date, config: ReportingConfig = NATIONAL) -> ReportingStatus:
    """`org`'s reporting as of `as_of`: only reports submitted by then count."""
    required_years: list[int] = []
    if org.kind in LEGAL_PERSON_KINDS:
        last = latest_year_past_deadline(as_of, org, config)
        required_years = [
            y for y in range(org.registered_on.year, last + 1) if required(y, org, config)
        ]
    filed = {y: d for y, d in org.filed.items() if d <= as_of}
    timely = tuple(y for y in sorted(filed) if on_time(y, filed[y], org, config))
    late = tuple(y for y in sorted(filed) if not on_time(y, filed[y], org, config))
    return ReportingStatus(
        as_of=as_of,
        required=tuple(required_years),
        on_time=timely,
        late=late,
        overdue=tuple(y for y in required_years if y not in filed),
    )


def _deadline_of(kind: str, charity: bool, config: ReportingConfig) -> MonthDay:
    if charity:
        return config.charity_deadline
    if kind == "foundation":
        return config.foundation_deadline
    if kind == "social_service_agency":
        return config.social_service_agency_deadline
    return config.social_group_deadline


def _exempt_in_registration_year(kind: str, registered_on: date, config: ReportingConfig) -> bool:
    if kind == "social_service_agency":
        year_end = date(registered_on.year, 12, 31)
        return registered_on > _months_before(year_end, config.agency_exempt_within_months)
    if kind == "social_group" and config.social_group_exempt_after is not None:
        month, day = config.social_group_exempt_after
        return registered_on > date(registered_on.year, month, day)
    return False


def _months_before(day: date, months: int) -> date:
    """`day` moved back by whole months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
