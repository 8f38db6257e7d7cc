"""A community organization's filing ended (注销备案 / 撤销备案) is its end: where the locality
counts community organizations in the zombie rule, the event clears its flags at once, and the
candidate's disposal names it (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from services.notifier.adapters.tables import zombie_flags
from services.notifier.bootstrap import bootstrap, projection
from services.notifier.domain.zombie import ZombieConfig
from shared.clock import FixedClock
from shared.contracts import registry as r
from shared.db import WRITE, make_async_engine
from shared.eventstore.sql import SqlEventStore
from tests.integration.notifier.register import delivered

# Community organizations counted, with their own deadline (DOMAIN.md, Zombie: "out unless
# configured").
CONFIG = ZombieConfig(community_deadline=(6, 30))
DIVISION = "420106"


def filed(org: str, n: int) -> r.CommunityOrganizationFiled:
    return r.CommunityOrganizationFiled(
        organization_id=org,
        filing_number=f"备{n}",
        name=f"社区组织{n}",
        street=DIVISION + "001",
        community=DIVISION + "001001",
        urban=True,
        filed_on=date(2019, 3, 1),
    )


@pytest.mark.parametrize(
    ("how", "disposal"), [("revocation", "撤销备案"), ("deregistration", "注销备案")]
)
async def test_a_cancelled_filing_clears_the_flags_at_once(
    notifier_url: str, how: str, disposal: str
) -> None:
    engine = make_async_engine(notifier_url)
    consumer = projection(CONFIG, 256 * 1024)
    tables = {t.name: t for t in consumer.tables}
    notifier = bootstrap(
        store=SqlEventStore(engine, max_event_bytes=256 * 1024),
        config=CONFIG,
        clock=FixedClock(date(2025, 7, 15)),
    )
    try:
        async with engine.execution_options(**WRITE).begin() as conn:
            batch = [delivered(filed(org, n), DIVISION, n) for n, org in enumerate(("c1", "c2"))]
            await consumer.apply_batch(conn, batch, tables)
        scanned = await notifier.day_scan.run(date(2025, 7, 15))
        assert (scanned.zombies.flagged, scanned.zombies.signals_raised) == (2, 2)

        cancelled = r.FilingCancelled(
            organization_id="c1", how=how, cancelled_on=date(2025, 8, 1), reason="长期未开展活动"
        )
        async with engine.execution_options(**WRITE).begin() as conn:
            await consumer.apply_batch(conn, [delivered(cancelled, DIVISION, 3)], tables)

        async with engine.connect() as conn:
            q = select(
                zombie_flags.c.organization_id,
                zombie_flags.c.flag,
                zombie_flags.c.active,
                zombie_flags.c.cleared_reason,
                zombie_flags.c.as_of,
            ).order_by(zombie_flags.c.organization_id, zombie_flags.c.flag)
            rows = [tuple(row) for row in await conn.execute(q)]
        cleared, still = date(2025, 8, 1), date(2025, 7, 15)
        assert rows == [
            ("c1", "no_report_since_registration", False, "ended", cleared),
            ("c1", "zombie", False, "ended", cleared),
            ("c2", "no_report_since_registration", True, None, still),
            ("c2", "zombie", True, None, still),
        ]
        [c1] = await notifier.queries.flags(
            flag="zombie", place=None, active=False, after=None, limit=10
        )
        assert c1.disposal is not None
        assert (c1.disposal.kind, c1.disposal.on) == (disposal, cleared)
    finally:
        await engine.dispose()
