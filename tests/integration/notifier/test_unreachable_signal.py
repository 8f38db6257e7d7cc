"""The unreachable-at-address signal (民发〔2021〕63号; 民政部令第60号 art. 13) end to end on the
projection: a scan raises it as its own named flag, the bureau's removal from the 活动异常名录
or the organization's end clears it at once, with the reason (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from services.notifier.adapters.tables import zombie_flags
from services.notifier.bootstrap import bootstrap, projection
from services.notifier.domain.zombie import ZombieConfig
from shared.clock import FixedClock
from shared.contracts import registry as r
from shared.contracts.base import EventData
from shared.db import WRITE, make_async_engine
from shared.eventstore.sql import SqlEventStore
from tests.integration.notifier.register import delivered

DIVISION = "420106"
ON = date(2025, 6, 15)


def registered(org: str, n: int) -> r.OrganizationRegistered:
    return r.OrganizationRegistered(
        organization_id=org,
        credit_code=f"5{n:017d}",
        name=f"协会{n}",
        kind="social_group",
        level="county",
        registration_authority=DIVISION,
        domicile=DIVISION + "001",
        registered_on=date(2020, 3, 1),
    )


async def test_the_signal_is_raised_by_a_scan_and_cleared_by_a_removal_or_an_end(
    notifier_url: str,
) -> None:
    engine = make_async_engine(notifier_url)
    consumer = projection(ZombieConfig(), 256 * 1024)
    tables = {t.name: t for t in consumer.tables}
    notifier = bootstrap(
        store=SqlEventStore(engine, max_event_bytes=256 * 1024),
        config=ZombieConfig(),
        clock=FixedClock(ON),
    )
    seq = 0

    async def apply(*payloads: EventData) -> None:
        nonlocal seq
        async with engine.execution_options(**WRITE).begin() as conn:
            batch = []
            for p in payloads:
                seq += 1
                batch.append(delivered(p, DIVISION, seq))
            await consumer.apply_batch(conn, batch, tables)

    try:
        reports = [
            r.AnnualReportSubmitted(organization_id=org, year=y, submitted_on=date(y + 1, 3, 1))
            for org in ("a", "b", "c")
            for y in range(2020, 2025)
        ]  # all three report on time: the signal is all they are flagged for
        await apply(*(registered(org, n) for n, org in enumerate("abc")), *reports)
        await apply(
            *(r.UnreachableRecorded(organization_id=org, found_on=date(2025, 3, 1)) for org in "ab")
        )
        scanned = await notifier.day_scan.run(ON)
        assert (scanned.zombies.flagged, scanned.zombies.signals_raised) == (0, 2)

        delisted = r.CreditDelisted(
            organization_id="a",
            list="abnormal",
            reason="obligation_fulfilled",
            delisted_on=date(2025, 6, 20),
        )
        ended = r.Deregistered(
            organization_id="b", deregistered_on=date(2025, 6, 21), reason="注销"
        )
        await apply(delisted, ended)
        async with engine.connect() as conn:
            q = select(
                zombie_flags.c.organization_id,
                zombie_flags.c.flag,
                zombie_flags.c.active,
                zombie_flags.c.cleared_reason,
                zombie_flags.c.as_of,
            ).order_by(zombie_flags.c.organization_id)
            rows = [tuple(row) for row in await conn.execute(q)]
        assert rows == [
            ("a", "unreachable_at_address", False, "delisted", date(2025, 6, 20)),
            ("b", "unreachable_at_address", False, "ended", date(2025, 6, 21)),
        ]
        page = await notifier.queries.flags(
            flag="unreachable_at_address", place=DIVISION, active=None, after=None, limit=10
        )
        assert [(c.organization_id, c.cleared_reason) for c in page] == [
            ("a", "delisted"),
            ("b", "ended"),
        ]
    finally:
        await engine.dispose()
