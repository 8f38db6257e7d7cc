"""The zombie rule (DOMAIN.md, Zombie) as a table: each edge case of issue 15 point 6."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from services.notifier.domain.zombie import (
    NO_REPORT_SINCE_REGISTRATION,
    UNREACHABLE_AT_ADDRESS,
    Record,
    ZombieConfig,
    assess,
    year_before,
)
from shared.rules.reporting import ReportingConfig

D = date
NATIONAL_RULE = ZombieConfig()
SHANDONG = ZombieConfig(reporting=ReportingConfig(social_group_exempt_after=(6, 30)))
THREE = ZombieConfig(consecutive_years=3)
COMMUNITY = ZombieConfig(community_deadline=(5, 31))


@dataclass(frozen=True)
class Case:
    name: str
    record: Record
    on: date
    candidate: bool
    missed: list[int] = field(default_factory=list)
    since: date | None = None
    config: ZombieConfig = NATIONAL_RULE


def group(registered: date, **kw: object) -> Record:
    return Record("social_group", registered, **kw)  # type: ignore[arg-type]


def on_time(*years: int) -> dict[int, date]:
    """Reports on `years`, each filed on 1 March after it: before every deadline."""
    return {y: D(y + 1, 3, 1) for y in years}


REPORTED_2020_2021 = group(D(2020, 5, 1), filed=on_time(2020, 2021))
REGISTERED_AUGUST_2022 = group(D(2022, 8, 1))
FOUNDATION_2021 = Record("foundation", D(2021, 1, 5), filed=on_time(2021))
LATE_REPORT_2023 = group(D(2020, 5, 1), filed=on_time(2020, 2021) | {2023: D(2024, 9, 1)})

CASES = [
    Case(
        "two missed years after registration",
        REPORTED_2020_2021,
        D(2024, 6, 1),
        True,
        [2022, 2023],
        D(2024, 6, 1),
    ),
    Case(
        "the scan on the deadline: the latest year is not yet past",
        REPORTED_2020_2021,
        D(2024, 5, 31),
        False,
        [2022],
    ),
    Case(
        "one day after the deadline: it is",
        REPORTED_2020_2021,
        D(2024, 6, 1),
        True,
        [2022, 2023],
        D(2024, 6, 1),
    ),
    Case(
        "registered after 30 June, national practice: its first year counts",
        REGISTERED_AUGUST_2022,
        D(2024, 6, 1),
        True,
        [2022, 2023],
        D(2024, 6, 1),
    ),
    Case(
        "registered after 30 June where the locality exempts it",
        REGISTERED_AUGUST_2022,
        D(2024, 6, 1),
        False,
        [2023],
        config=SHANDONG,
    ),
    Case(
        "... a year later it is a candidate on its two required years",
        REGISTERED_AUGUST_2022,
        D(2025, 6, 1),
        True,
        [2023, 2024],
        D(2025, 6, 1),
        SHANDONG,
    ),
    Case(
        "a social service agency registered in November skips that year",
        Record("social_service_agency", D(2022, 11, 10)),
        D(2024, 6, 1),
        False,
        [2023],
    ),
    Case(
        "an agency registered in June does not",
        Record("social_service_agency", D(2022, 6, 10)),
        D(2024, 6, 1),
        True,
        [2022, 2023],
        D(2024, 6, 1),
    ),
    Case(
        "a foundation's deadline is 31 March: on it, not yet",
        FOUNDATION_2021,
        D(2024, 3, 31),
        False,
        [2022],
    ),
    Case(
        "a foundation one day after 31 March",
        FOUNDATION_2021,
        D(2024, 4, 1),
        True,
        [2022, 2023],
        D(2024, 4, 1),
    ),
    Case(
        "a foundation registered in December reports on that year",
        Record("foundation", D(2022, 12, 20)),
        D(2024, 4, 1),
        True,
        [2022, 2023],
        D(2024, 4, 1),
    ),
    Case(
        "two misses that are not consecutive",
        group(D(2019, 3, 1), filed=on_time(2019, 2021, 2023)),
        D(2025, 6, 1),
        False,
        [2024],
    ),
    Case(
        "misses before a report do not count",
        group(D(2019, 3, 1), filed=on_time(2023)),
        D(2024, 7, 1),
        False,
    ),
    Case("a late report clears its year", LATE_REPORT_2023, D(2024, 10, 1), False),
    Case(
        "... but not before it was filed",
        LATE_REPORT_2023,
        D(2024, 8, 31),
        True,
        [2022, 2023],
        D(2024, 6, 1),
    ),
    Case(
        "a late report on an older year leaves the newer run",
        group(D(2020, 5, 1), filed=on_time(2020) | {2021: D(2024, 9, 1)}),
        D(2024, 10, 1),
        True,
        [2022, 2023],
        D(2024, 6, 1),
    ),
    Case(
        "three missed years: the run and since when",
        group(D(2020, 5, 1), filed=on_time(2020)),
        D(2024, 6, 1),
        True,
        [2021, 2022, 2023],
        D(2023, 6, 1),
    ),
    Case(
        "N = 3 needs a third year",
        REPORTED_2020_2021,
        D(2024, 6, 1),
        False,
        [2022, 2023],
        config=THREE,
    ),
    Case(
        "an ended organization is out",
        group(D(2018, 5, 1), ended_on=D(2024, 1, 10)),
        D(2024, 6, 1),
        False,
    ),
    Case(
        "... on the day it ended",
        group(D(2018, 5, 1), ended_on=D(2024, 6, 1)),
        D(2024, 6, 1),
        False,
    ),
    Case(
        "an end after the day asked about does not count yet",
        group(D(2018, 5, 1), ended_on=D(2024, 7, 1)),
        D(2024, 6, 1),
        True,
        [2018, 2019, 2020, 2021, 2022, 2023],
        D(2020, 6, 1),
    ),
    Case(
        "a charity recognised mid-way: 31 March from its recognition year",
        group(D(2019, 5, 1), charity_since=D(2022, 7, 1), filed=on_time(2019, 2020, 2021)),
        D(2024, 4, 1),
        True,
        [2022, 2023],
        D(2024, 4, 1),
    ),
    Case(
        "... which a social group's 31 May would not yet make",
        group(D(2019, 5, 1), filed=on_time(2019, 2020, 2021)),
        D(2024, 4, 1),
        False,
        [2022],
    ),
    Case(
        "a recognition after the day asked about does not count",
        group(D(2019, 5, 1), charity_since=D(2024, 5, 1), filed=on_time(2019, 2020, 2021)),
        D(2024, 4, 1),
        False,
        [2022],
    ),
    Case(
        "a community organization is out",
        Record("community_org", D(2019, 5, 1)),
        D(2024, 6, 1),
        False,
    ),
    Case(
        "... unless a deadline is configured for them",
        Record("community_org", D(2019, 5, 1)),
        D(2024, 6, 1),
        True,
        [2019, 2020, 2021, 2022, 2023],
        D(2021, 6, 1),
        COMMUNITY,
    ),
    Case("registered after the day asked about", group(D(2025, 1, 1)), D(2024, 6, 1), False),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_zombie_rule(case: Case) -> None:
    answer = assess(case.record, case.on, case.config)
    assert (answer.candidate, answer.missed_years, answer.since) == (
        case.candidate,
        case.missed,
        case.since,
    )


def test_each_missed_year_carries_its_deadline_and_the_review_deadline_where_supervised() -> None:
    record = Record("social_group", D(2020, 5, 1), supervised=True)
    answer = assess(record, D(2022, 6, 1))
    assert [(m.year, m.deadline, m.review_deadline) for m in answer.missed] == [
        (2020, D(2021, 5, 31), D(2021, 3, 31)),
        (2021, D(2022, 5, 31), D(2022, 3, 31)),
    ]
    assert assess(group(D(2020, 5, 1)), D(2022, 6, 1)).missed[0].review_deadline is None


SIGNAL = [
    (
        "no report since registration more than a year ago",
        group(D(2022, 3, 1)),
        D(2023, 6, 1),
        True,
    ),
    ("a year ago exactly is not more than a year", group(D(2022, 6, 1)), D(2023, 6, 1), False),
    ("nothing was due yet", group(D(2022, 1, 10)), D(2023, 5, 31), False),
    (
        "a foundation overdue within its first year",
        Record("foundation", D(2022, 12, 1)),
        D(2023, 4, 1),
        False,
    ),
    (
        "one report filed, even late",
        group(D(2020, 3, 1), filed={2022: D(2023, 9, 1)}),
        D(2024, 6, 1),
        False,
    ),
    (
        "a report filed after the day asked about",
        group(D(2020, 3, 1), filed={2022: D(2024, 9, 1)}),
        D(2024, 6, 1),
        True,
    ),
    ("ended", group(D(2020, 3, 1), ended_on=D(2023, 1, 1)), D(2024, 6, 1), False),
]


@pytest.mark.parametrize(("name", "record", "on", "holds"), SIGNAL, ids=[s[0] for s in SIGNAL])
def test_the_no_report_since_registration_signal(
    name: str, record: Record, on: date, holds: bool
) -> None:
    assert (NO_REPORT_SINCE_REGISTRATION in assess(record, on).signals) is holds


ON_TIME = on_time(2020, 2021, 2022, 2023)  # reporting: the signal stands alone
UNREACHABLE = [
    ("found unreachable before the day", group(D(2020, 3, 1), unreachable=(D(2024, 2, 1),)), True),
    ("found after the day asked about", group(D(2020, 3, 1), unreachable=(D(2024, 7, 1),)), False),
    (
        "removed from the 活动异常名录 after it was found",
        group(D(2020, 3, 1), unreachable=(D(2024, 2, 1),), abnormal_delisted=(D(2024, 5, 1),)),
        False,
    ),
    (
        "removed on the day it was found",
        group(D(2020, 3, 1), unreachable=(D(2024, 2, 1),), abnormal_delisted=(D(2024, 2, 1),)),
        False,
    ),
    (
        "a removal before it was found (an earlier listing)",
        group(D(2020, 3, 1), unreachable=(D(2024, 2, 1),), abnormal_delisted=(D(2023, 5, 1),)),
        True,
    ),
    (
        "found again after a removal",
        group(
            D(2020, 3, 1),
            unreachable=(D(2023, 2, 1), D(2024, 2, 1)),
            abnormal_delisted=(D(2023, 5, 1),),
        ),
        True,
    ),
    (
        "removed after the day asked about",
        group(D(2020, 3, 1), unreachable=(D(2024, 2, 1),), abnormal_delisted=(D(2024, 9, 1),)),
        True,
    ),
    (
        "reporting on time does not clear it",
        group(D(2020, 3, 1), filed=ON_TIME, unreachable=(D(2024, 2, 1),)),
        True,
    ),
    (
        "ended",
        group(D(2020, 3, 1), unreachable=(D(2024, 2, 1),), ended_on=D(2024, 3, 1)),
        False,
    ),
    (
        "a community organization the rule leaves out",
        Record("community_org", D(2020, 3, 1), unreachable=(D(2024, 2, 1),)),
        False,
    ),
]


@pytest.mark.parametrize(("name", "record", "holds"), UNREACHABLE, ids=[u[0] for u in UNREACHABLE])
def test_the_unreachable_at_address_signal(name: str, record: Record, holds: bool) -> None:
    assert (UNREACHABLE_AT_ADDRESS in assess(record, D(2024, 6, 1)).signals) is holds


def test_the_unreachable_signal_is_named_apart_from_the_zombie_flag() -> None:
    reporting = assess(
        group(D(2020, 3, 1), filed=ON_TIME, unreachable=(D(2024, 2, 1),)), D(2024, 6, 1)
    )
    assert not reporting.candidate and reporting.signals == {UNREACHABLE_AT_ADDRESS}


def test_year_before_a_29_february() -> None:
    assert year_before(D(2024, 2, 29)) == D(2023, 2, 28)
    assert year_before(D(2024, 3, 1)) == D(2023, 3, 1)
