"""The evaluation's projection of REGISTRY: registry events in, the record eligibility reads out
(every fact with its date; a later report or conclusion on a year replaces the earlier one)."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from sqlalchemy import delete, select

from services.evaluation.adapters.records import SqlRecords
from services.evaluation.adapters.tables import PROJECTION_TABLES
from services.evaluation.consumers.registry import RegistryProjection
from services.evaluation.domain.record import CreditEntry, Inspection, Penalty, Rating
from shared.contracts import registry as r
from shared.contracts.base import EventData
from shared.db import WRITE, make_async_engine
from tests.integration.notifier.register import delivered

ORG = "org-1"
D = date


def history() -> list[EventData]:
    return [
        r.OrganizationRegistered(
            organization_id=ORG, credit_code="52420100MJH27161X9", name="协会", kind="social_group",
            level="city", registration_authority="420100", domicile="420106001",
            registered_on=D(2019, 1, 10),
        ),
        r.AnnualReportSubmitted(organization_id=ORG, year=2019, submitted_on=D(2020, 3, 1)),
        r.AnnualReportSubmitted(organization_id=ORG, year=2019, submitted_on=D(2020, 4, 1)),
        r.InspectionConcluded(
            organization_id=ORG, year=2019, conclusion="basically_qualified",
            concluded_on=D(2020, 7, 1),
        ),
        r.RatingChanged(organization_id=ORG, grade="3A", decided_on=D(2021, 2, 1),
                        valid_until=D(2026, 1, 31)),
        r.PenaltyImposed(organization_id=ORG, penalty="warning", decision_number="罚1",
                         decided_on=D(2022, 5, 1), minor=True),
        r.PenaltyCarriedOut(organization_id=ORG, decision_number="罚1",
                            carried_out_on=D(2022, 6, 1)),
        r.CreditListed(organization_id=ORG, list="abnormal", trigger="report_not_filed",
                       listed_on=D(2023, 6, 1)),
        r.CreditDelisted(organization_id=ORG, list="abnormal", reason="obligation_fulfilled",
                         delisted_on=D(2023, 9, 1)),
        r.RatingChanged(organization_id=ORG, grade=None, decided_on=D(2024, 1, 5)),
        r.RegistrationRevoked(organization_id=ORG, revoked_on=D(2025, 1, 2), reason="x"),
    ]  # fmt: skip


async def test_registry_events_become_the_record_eligibility_reads(evaluation_url: str) -> None:
    engine = make_async_engine(evaluation_url)
    projection = RegistryProjection()
    live = {t.name: t for t in PROJECTION_TABLES}
    events = [delivered(e, "420106", seq) for seq, e in enumerate(history(), start=1)]
    async with engine.begin() as conn:
        await projection.apply_batch(conn, events, live)
    records = SqlRecords(engine)
    record, unknown = await records.get(ORG), await records.get("unknown")
    await engine.dispose()

    assert record is not None
    assert (record.kind, record.registration_authority, record.division, record.domicile) == (
        "social_group", "420100", "420106", "420106001",
    )  # fmt: skip
    assert record.reports == {2019: D(2020, 4, 1)}
    assert record.inspections == {2019: Inspection("basically_qualified", D(2020, 7, 1))}
    assert record.penalties == (Penalty("罚1", "warning", D(2022, 5, 1), True, D(2022, 6, 1)),)
    assert record.credit == (
        CreditEntry("abnormal", D(2023, 6, 1), "report_not_filed", D(2023, 9, 1)),
    )
    assert record.ratings == (
        Rating(D(2021, 2, 1), "3A", "mca_order_39", D(2021, 2, 1), D(2026, 1, 31)),
        Rating(D(2024, 1, 5), None, "mca_order_39"),
    )
    assert (record.revoked_on, record.revoked_by) == (D(2025, 1, 2), "registration_revoked")
    assert unknown is None


async def _rows(url: str, cuts: list[int]) -> dict[str, list[tuple[object, ...]]]:
    """The projection's rows after the history applied in batches cut at `cuts` (fresh event
    ids each time: the reactions it raises are new ones)."""
    events = [delivered(e, "420106", seq) for seq, e in enumerate(_longer(), start=1)]
    bounds = [0, *cuts, len(events)]
    batches = [events[a:b] for a, b in pairwise(bounds)]
    engine = make_async_engine(url)
    projection = RegistryProjection()
    live = {t.name: t for t in PROJECTION_TABLES}
    try:
        async with engine.connect() as conn:
            for t in PROJECTION_TABLES:
                await conn.execute(delete(t))
            await conn.commit()
        for batch in batches:
            async with engine.execution_options(**WRITE).begin() as conn:
                await projection.apply_batch(conn, batch, live)
        async with engine.connect() as conn:
            return {
                t.name: sorted(tuple(row) for row in await conn.execute(select(t)))
                for t in PROJECTION_TABLES
            }
    finally:
        await engine.dispose()


def _longer() -> list[EventData]:
    return [
        *history(),
        r.DisposalOrdered(
            organization_id=ORG, ordered_on=D(2024, 3, 1), due_on=D(2024, 5, 1), reason="x"
        ),
        r.RectificationCompleted(
            organization_id=ORG, ordered_on=D(2024, 3, 1), completed_on=D(2024, 4, 1)
        ),
        r.Deregistered(organization_id=ORG, deregistered_on=D(2025, 3, 1), reason="x"),
    ]


async def test_one_batch_leaves_the_rows_one_event_at_a_time_leaves(evaluation_url: str) -> None:
    one = await _rows(evaluation_url, list(range(1, len(_longer()))))
    batched = await _rows(evaluation_url, [])
    split = await _rows(evaluation_url, [5, 9])
    assert batched == one == split
    assert one["evaluation_disposals"] == [(ORG, D(2024, 3, 1), D(2024, 5, 1), D(2024, 4, 1))]
