"""The notifier's projection applied as one batch leaves the rows that event-by-event
application leaves: registrations, changes, reports, charities, ends, disposals, ratings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from services.notifier.adapters.tables import PROJECTION_TABLES
from services.notifier.bootstrap import projection
from services.notifier.domain.zombie import ZombieConfig
from shared.consumer import Delivered
from shared.contracts import registry as r
from shared.db import WRITE, make_async_engine
from shared.migrate import upgrade
from tests.integration.notifier.register import delivered, generate, stream

ORDERED = date(2024, 4, 1)


def events() -> list[Delivered]:
    out = stream(generate(80))
    org = "org-00001"
    for payload in (
        r.RegistrationChanged(
            organization_id=org, changes={"name": ["协会1", "新名"]}, changed_on=date(2024, 1, 2)
        ),
        r.DisposalOrdered(
            organization_id=org, ordered_on=ORDERED, due_on=date(2024, 6, 1), reason="x"
        ),
        r.RatingChanged(organization_id=org, grade="3A", decided_on=date(2021, 3, 1)),
        r.RectificationCompleted(
            organization_id=org, ordered_on=ORDERED, completed_on=date(2024, 5, 2)
        ),
        r.RatingChanged(organization_id=org, grade="4A", decided_on=date(2023, 3, 1)),
    ):
        out.append(delivered(payload, "420111", len(out) + 1))
    return out


async def rows(url: str, batches: list[list[Delivered]]) -> dict[str, list[Any]]:
    upgrade("notifier", url)
    consumer = projection(ZombieConfig(), 256 * 1024)
    tables = {t.name: t for t in consumer.tables}
    engine = make_async_engine(url)
    try:
        for batch in batches:
            async with engine.execution_options(**WRITE).begin() as conn:
                await consumer.apply_batch(conn, batch, tables)
        async with engine.connect() as conn:
            return {
                t.name: sorted(tuple(row) for row in await conn.execute(select(t)))
                for t in PROJECTION_TABLES
            }
    finally:
        await engine.dispose()


async def test_one_batch_leaves_the_rows_one_event_at_a_time_leaves(
    tmp_path: Path, notifier_url: str
) -> None:
    all_events = events()
    one = await rows(f"sqlite:///{tmp_path / 'one.db'}", [[e] for e in all_events])
    split = await rows(f"sqlite:///{tmp_path / 'split.db'}", [all_events[:-3], all_events[-3:]])
    batched = await rows(notifier_url, [all_events])  # on SQLite, and on PostgreSQL
    assert batched == one == split
    assert one["notifier_ratings"][0][1] == "4A" and len(one["notifier_ratings"]) == 1
    (disposal,) = one["notifier_disposals"]
    assert disposal[-1] == date(2024, 5, 2)
    assert any(row[1] == "新名" for row in one["notifier_organizations"])
