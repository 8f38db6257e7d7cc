"""The pre-aggregated changes (by month and by day) give, on any date, the count taken from the
projection's rows themselves (span_counts.py) — for every standard indicator and the plans'
shares, coverage, units and employment, in a city, a county, a street, a province and the
country, on each event's date and the day before it, on SQLite and PostgreSQL. The history
holds the edge cases: an organization ended on the day it began, a grade replaced by the
next, reports corrected, replaced, replaced out of order and without a headcount, a move
between counties, a re-categorisation while rated, a revocation and a cancelled filing."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from services.metrics.adapters.places_file import load_place_counts
from services.metrics.adapters.series import SeriesCounter
from services.metrics.consumers.registry import RegistryCounts
from services.metrics.domain import indicators
from shared.contracts.base import EventData
from shared.contracts.registry import (
    AnnualReportSubmitted,
    CommunityOrganizationFiled,
    Deregistered,
    RatingChanged,
    RegistrationChanged,
    RegistrationRevoked,
)
from tests.integration.metrics.batches import applied_in_batches
from tests.integration.metrics.span_counts import Counter
from tests.integration.metrics.test_batch_apply import D, history, registered
from tests.integration.metrics.test_series import NAMES as SERIES

NAMES = (*SERIES, "coverage.county.社区社会组织联合会", "grade.4A")
AREAS = ("420100", "420106", "420106001", "420000", "100000")


def report(org: str, year: int, on: str, staff: int | None) -> AnnualReportSubmitted:
    return AnnualReportSubmitted(
        organization_id=org, year=year, submitted_on=D(on), staff_employed=staff
    )


def more() -> list[EventData]:
    return [
        registered("e", "2022-01-01"),
        Deregistered(organization_id="e", deregistered_on=D("2022-01-01"), reason="当日注销"),
        registered("f", "2021-05-01", category="社区社会组织联合会", domicile="420102002"),
        report("f", 2021, "2022-03-01", 10),
        report("f", 2022, "2023-03-01", 12),
        report("f", 2021, "2023-06-01", 11),  # corrected after 2022's: never in effect again
        RegistrationChanged(organization_id="f", changed_on=D("2023-09-01"),
                            changes={"domicile": ("420102002", "420106001")}),
        report("f", 2023, "2024-02-01", None),  # no headcount: nothing employed from then
        registered("g", "2020-03-01", level="city", category="科技创新类"),
        RatingChanged(organization_id="g", grade="3A", decided_on=D("2022-01-01")),
        report("g", 2022, "2023-02-01", 30),
        RatingChanged(organization_id="g", grade="4A", decided_on=D("2023-06-01")),
        RegistrationChanged(organization_id="g", changed_on=D("2023-09-01"),
                            changes={"category": ("科技创新类", "工商服务类")}),
        RegistrationRevoked(organization_id="g", revoked_on=D("2024-06-01"), reason="违法"),
        report("g", 2023, "2024-03-01", 25),
        CommunityOrganizationFiled(organization_id="h", filing_number="备2022-9", name="村互助会",
                                   category="生活服务类", street="420106001",
                                   community="420106001201", urban=False,
                                   filed_on=D("2022-07-01")),
    ]  # fmt: skip


def dates(events: list[EventData]) -> list[date]:
    found = {v for e in events for v in e.model_dump().values() if isinstance(v, date)} | {
        D("2019-12-31"),
        D("2030-01-01"),
    }
    return sorted(found | {d - timedelta(days=1) for d in found})


async def test_the_changes_give_the_count_of_the_rows_on_every_date(engine: AsyncEngine) -> None:
    events = [*history(), *more()]
    tables = await applied_in_batches(
        engine, RegistryCounts(), events, [5, 6, 17, 21, 22, 30], "deltas"
    )
    places = load_place_counts()
    series, oracle = SeriesCounter(places, tables), Counter(places, tables)
    days = dates(events)
    inds = [indicators.parse(n) for n in NAMES]
    async with engine.connect() as conn:
        for area in AREAS:
            found = await series.values(conn, inds, area, days)
            for ind in inds:
                want = [await oracle.value(conn, ind, area, d) for d in days]
                assert found[ind.name] == want, (ind.name, area)
        # and the figures are not all nothing: the history counts
        wuhan = await series.values(conn, inds, "420100", [D("2023-12-31")])
    # employed: a's 9 (its 2022 report as corrected), f's 12 (its 2021 report, corrected
    # after the 2022 one was submitted, is in effect no more), g's 30; 4A: a and g (its 3A
    # replaced); f, moved to 420106001, the one street with a federation
    assert wuhan["employed"] == [9 + 12 + 30.0]
    assert wuhan["grade.4A"] == [2.0]
    assert wuhan["units.street.社区社会组织联合会"] == [1.0]
