"""The zombie (僵尸型) rule of DOMAIN.md as a pure function of an organization's record and a day.

An active organization is a candidate on day T when, counting back from the latest year whose
deadline has passed by T, it has not reported for N consecutive years in which it had to
report (Ya'an plan §二(四); N = 2 by default). Deadlines, registration-year exemptions and the
charity rules are shared/rules/reporting.py's; only what was on the register by T counts: a
report filed by T clears its year however late, an end (撤销, 吊销, 注销) by T takes the
organization out. Community organizations file no annual report with the registration
authority: they are out unless the locality configures a deadline for them.

The 2021 campaign (民发〔2021〕63号) also named organizations with no activity within a year
of registration, and those that cannot be reached at the registered address; the register
holds a fact of each, offered as signals of their own (`NO_REPORT_SINCE_REGISTRATION`,
`UNREACHABLE_AT_ADDRESS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from shared.rules import reporting
from shared.rules.reporting import LEGAL_PERSON_KINDS, NATIONAL, MonthDay, Reporter, ReportingConfig

COMMUNITY = "community_org"
NO_REPORT_SINCE_REGISTRATION = "no_report_since_registration"
UNREACHABLE_AT_ADDRESS = "unreachable_at_address"
SIGNALS = (NO_REPORT_SINCE_REGISTRATION, UNREACHABLE_AT_ADDRESS)


@dataclass(frozen=True)
class ZombieConfig:
    """The locality's settings: how many consecutive missed years make a candidate, whether
    (with what deadline) community organizations count, and the annual-report rules."""

    consecutive_years: int = 2
    community_deadline: MonthDay | None = None
    reporting: ReportingConfig = NATIONAL


@dataclass(frozen=True)
class Record:
    """What the rule reads of an organization: its kind, registration (备案 for a community
    organization), recognition as a charity, the first of its ends, its reports (year → the
    day it was submitted), whether it has a 业务主管单位, the days it was found unreachable at
    its registered address and the days it was removed from the 活动异常名录."""

    kind: str
    registered_on: date
    charity_since: date | None = None
    ended_on: date | None = None
    filed: Mapping[int, date] = field(default_factory=dict)
    supervised: bool = False
    unreachable: tuple[date, ...] = ()
    abnormal_delisted: tuple[date, ...] = ()


@dataclass(frozen=True)
class MissedYear:
    """A required year with no report by the day asked about, and its deadlines."""

    year: int
    deadline: date
    review_deadline: date | None = None  # the 业务主管单位's first review, where there is one


@dataclass(frozen=True)
class Assessment:
    """The answer for one organization on one day, with its evidence.

    `missed`: the consecutive missed required years counted back from the latest year past
    its deadline (oldest first); `since`: the day the N-th of them passed its deadline, from
    which these years alone make it a candidate; `signals`: the further signals that hold.
    """

    on: date
    candidate: bool
    missed: tuple[MissedYear, ...] = ()
    since: date | None = None
    signals: frozenset[str] = frozenset()

    @property
    def missed_years(self) -> list[int]:
        return [m.year for m in self.missed]


def reporter_of(record: Record, config: ZombieConfig) -> tuple[Reporter, ReportingConfig] | None:
    """The record as the shared reporting rules read it, with the rules to read it by; None
    for an organization the rule leaves out (a community organization, unless configured)."""
    if record.kind in LEGAL_PERSON_KINDS:
        return Reporter(record.kind, record.registered_on, record.charity_since), config.reporting
    if record.kind == COMMUNITY and config.community_deadline is not None:
        # counted as a social group whose deadline is the one set for community organizations
        rules = replace(config.reporting, social_group_deadline=config.community_deadline)
        return Reporter("social_group", record.registered_on), rules
    return None


def first_required_year(record: Record, config: ZombieConfig) -> int | None:
    """The first year the organization must report on (None: the rule leaves it out)."""
    found = reporter_of(record, config)
    return None if found is None else reporting.first_required_year(*found)


def year_before(day: date) -> date:
    """The same day a year earlier (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def assess(record: Record, on: date, config: ZombieConfig = ZombieConfig()) -> Assessment:
    """Whether `record` is a zombie candidate on `on`, with the evidence."""
    found = reporter_of(record, config)
    if found is None or (record.ended_on is not None and record.ended_on <= on):
        return Assessment(on, False)
    base, rules = found
    filed = {y: d for y, d in record.filed.items() if d <= on}
    reporter = Reporter(
        base.kind, base.registered_on, _by(record.charity_since, on, base), None, filed
    )
    status = reporting.status(reporter, on, rules)
    run: list[int] = []
    for year in reversed(status.required):
        if year in filed:
            break
        run.append(year)
    run.reverse()
    missed = tuple(_missed(y, reporter, rules, record.supervised) for y in run)
    signals = set[str]()
    if not filed and status.overdue and record.registered_on < year_before(on):
        signals.add(NO_REPORT_SINCE_REGISTRATION)
    if unreachable(record, on):
        signals.add(UNREACHABLE_AT_ADDRESS)
    return _answer(on, run, missed, frozenset(signals), config)


def unreachable(record: Record, on: date) -> bool:
    """Found unreachable at its registered address by `on` (民政部令第60号 art. 13, the
    2021 campaign's signal), and not removed from the 活动异常名录 since: the bureau removes
    the listing once it reaches the organization again (DOMAIN.md, Credit lists)."""
    found = max((d for d in record.unreachable if d <= on), default=None)
    if found is None:
        return False
    return not any(found <= d <= on for d in record.abnormal_delisted)


def _answer(
    on: date,
    run: list[int],
    missed: tuple[MissedYear, ...],
    signals: frozenset[str],
    config: ZombieConfig,
) -> Assessment:
    n = config.consecutive_years
    if len(run) < n:
        return Assessment(on, False, missed, None, signals)
    since = missed[n - 1].deadline + timedelta(days=1)
    return Assessment(on, True, missed, since, signals)


def _by(charity_since: date | None, on: date, base: Reporter) -> date | None:
    """A recognition as charity counts from the day it was made (never for a community org)."""
    if base.charity_since is None or charity_since is None or charity_since > on:
        return None
    return charity_since


def _missed(year: int, org: Reporter, rules: ReportingConfig, supervised: bool) -> MissedYear:
    review = reporting.supervisory_review_deadline(year, rules) if supervised else None
    return MissedYear(year, reporting.deadline(year, org, rules), review)


def evidence_of(
    *,
    kind: str,
    charity_since: date | None,
    first_missed: int,
    last_missed: int,
    supervised: bool,
    consecutive_years: int,
    config: ZombieConfig,
) -> tuple[tuple[MissedYear, ...], date]:
    """The missed years and the candidate-since day of a run a scan found in SQL, by the same
    deadlines `assess` uses."""
    record = Record(kind, date(first_missed, 1, 1), charity_since)
    found = reporter_of(record, config)
    if found is None:
        raise ValueError(f"{kind} is not counted by the zombie rule")
    reporter, rules = found
    missed = tuple(
        _missed(y, reporter, rules, supervised) for y in range(first_missed, last_missed + 1)
    )
    return missed, missed[consecutive_years - 1].deadline + timedelta(days=1)
