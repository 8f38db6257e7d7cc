"""The rating pipeline's projection on SQLite and PostgreSQL: the same rows whether EVALUATION
events come one by one or in batches cut anywhere, and counts that follow the organization's
place and attributes on the register on each date — a move between districts and a
revocation while a decision is pending — whichever stream was applied first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.metrics.adapters.places_file import load_place_counts
from services.metrics.adapters.series import SeriesCounter
from services.metrics.consumers.evaluation import RatingPipeline
from services.metrics.consumers.registry import RegistryCounts
from services.metrics.domain import indicators
from shared.contracts import evaluation as c
from shared.contracts.base import EventData
from shared.contracts.registry import RegistrationChanged, RegistrationRevoked
from tests.integration.metrics.batches import applied_in_batches
from tests.integration.metrics.test_batch_apply import registered

D = date.fromisoformat


def submitted(app: str, org: str, on: str) -> c.ApplicationSubmitted:
    return c.ApplicationSubmitted(
        application_id=app, round_id="r", organization_id=org, submitted_on=D(on)
    )


def decided(app: str, org: str, grade: Any, on: str) -> c.GradeDecided:
    return c.GradeDecided(application_id=app, organization_id=org, grade=grade, decided_on=D(on))


def evaluation() -> list[EventData]:
    return [
        submitted("p1", "m", "2026-06-01"),
        submitted("p2", "v", "2026-06-01"),
        submitted("p3", "w", "2026-06-01"),
        decided("p1", "m", "4A", "2026-06-08"),
        decided("p2", "v", "3A", "2026-06-08"),
        c.ApplicationWithdrawn(application_id="p3", organization_id="w",
                               withdrawn_on=D("2026-06-05")),
        c.ObjectionLodged(application_id="p1", organization_id="m", objection_id="o1",
                          lodged_on=D("2026-06-15"), grounds="计分有误", due_on=D("2026-07-01")),
        c.ObjectionDecided(application_id="p1", organization_id="m", objection_id="o1",
                           decided_on=D("2026-06-20"), grade="5A", reason="复核",
                           decided_by="evaluation_committee"),
        c.GradeConfirmed(application_id="p1", organization_id="m", evaluation_id="p1",
                         grade="5A", decided_on=D("2026-06-08"), announced_on=D("2026-06-24"),
                         regime="revision_2026", valid_from=D("2027-01-01"),
                         valid_until=D("2031-12-31")),
    ]  # fmt: skip


def registry() -> list[EventData]:
    return [
        registered("m", "2020-05-01"),  # 武昌区 (420106001)
        registered("v", "2020-05-01", level="city", domicile="420102002"),  # 江岸区
        registered("w", "2020-05-01"),
        RegistrationChanged(organization_id="m", changed_on=D("2026-09-01"),
                            changes={"domicile": ("420106001", "420102002")}),
        RegistrationRevoked(organization_id="v", revoked_on=D("2026-10-01"), reason="违法"),
    ]  # fmt: skip


async def rows(engine: AsyncEngine, tables: dict[str, Table]) -> dict[str, list[Any]]:
    async with engine.connect() as conn:
        return {
            n: sorted(tuple(r) for r in await conn.execute(select(t))) for n, t in tables.items()
        }


async def pipeline_applied(
    engine: AsyncEngine, cuts: Sequence[int], suffix: str
) -> dict[str, Table]:
    return await applied_in_batches(engine, RatingPipeline(), evaluation(), cuts, suffix)


async def registry_applied(engine: AsyncEngine, suffix: str) -> dict[str, Table]:
    return await applied_in_batches(engine, RegistryCounts(), registry(), [], suffix)


async def test_a_batch_of_evaluation_events_gives_the_rows_of_one_at_a_time(
    engine: AsyncEngine,
) -> None:
    n = len(evaluation())
    one_by_one = await rows(engine, await pipeline_applied(engine, list(range(1, n)), "one"))
    assert await rows(engine, await pipeline_applied(engine, [], "whole")) == one_by_one
    assert await rows(engine, await pipeline_applied(engine, [2, 5, 7], "cut")) == one_by_one
    assert [r[3:6] for r in one_by_one["metrics_rating_pipeline"] if r[0] == "p1"] == [
        ("application", D("2026-06-01"), D("2026-06-24")),
        ("4A", D("2026-06-08"), D("2026-06-20")),
        ("5A", D("2026-06-20"), D("2027-01-01")),
    ]


async def test_pending_follows_the_place_and_status_on_the_register_on_each_date(
    engine: AsyncEngine,
) -> None:
    # the evaluation's stream applied before the registry's: the place is read, not kept
    tables = await pipeline_applied(engine, [], "place") | await registry_applied(engine, "place")
    series = SeriesCounter(load_place_counts(), tables)
    days = [D(d) for d in ("2026-06-07", "2026-06-08", "2026-08-31", "2026-09-01",
                           "2026-09-30", "2026-10-01", "2026-12-31", "2027-01-01")]  # fmt: skip
    names = ("rating.pending.3a", "rating.pending.3a.level.city", "rating.applications")
    inds = [indicators.parse(n) for n in names]
    async with engine.connect() as conn:
        wuchang = await series.values(conn, inds, "420106", days)
        jiangan = await series.values(conn, inds, "420102", days)
        wuhan = await series.values(conn, inds, "420100", days)
    # m (武昌区, 4A then 5A) moves to 江岸区 on 09-01; its 5A holds from 2027-01-01. v (江岸区,
    # city level, 3A) is revoked on 10-01: in liquidation, no longer counted. w withdrew.
    assert wuchang["rating.pending.3a"] == [0, 1, 1, 0, 0, 0, 0, 0]
    assert jiangan["rating.pending.3a"] == [0, 1, 1, 2, 2, 1, 1, 0]
    assert jiangan["rating.pending.3a.level.city"] == [0, 1, 1, 1, 1, 0, 0, 0]
    assert wuhan["rating.pending.3a"] == [0, 2, 2, 2, 2, 1, 1, 0]
    assert wuhan["rating.applications"] == [2, 2, 1, 1, 1, 0, 0, 0]  # p1 confirmed 06-24
