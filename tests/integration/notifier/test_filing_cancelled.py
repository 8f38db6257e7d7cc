"""A community organization's filing ended (注销备案 / 撤销备案) is its end: where the locality
counts community organizations in the zombie rule, the event clears its flags at once, and the
candidate's disposal names it (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from services.notifier.domain.zombie import ZombieConfig
from shared.contracts import registry as r
from tests.integration.notifier.projection_rig import projection_rig
from tests.integration.notifier.register import community_filed

# Community organizations counted, with their own deadline (DOMAIN.md, Zombie: "out unless
# configured").
CONFIG = ZombieConfig(community_deadline=(6, 30))
DIVISION = "420106"
FILED, SCANNED = date(2019, 3, 1), date(2025, 7, 15)


@pytest.mark.parametrize(
    ("how", "disposal"), [("revocation", "撤销备案"), ("deregistration", "注销备案")]
)
async def test_a_cancelled_filing_clears_the_flags_at_once(
    notifier_url: str, how: str, disposal: str
) -> None:
    async with projection_rig(notifier_url, config=CONFIG, today=SCANNED, division=DIVISION) as p:
        filings = [community_filed(org, n, DIVISION, FILED) for n, org in enumerate(("c1", "c2"))]
        await p.apply(*filings)
        scanned = await p.notifier.day_scan.run(SCANNED)
        assert (scanned.zombies.flagged, scanned.zombies.signals_raised) == (2, 2)

        cancelled = r.FilingCancelled(
            organization_id="c1", how=how, cancelled_on=date(2025, 8, 1), reason="长期未开展活动"
        )
        await p.apply(cancelled)

        cleared = date(2025, 8, 1)
        assert await p.flag_rows() == [
            ("c1", "no_report_since_registration", False, "ended", cleared),
            ("c1", "zombie", False, "ended", cleared),
            ("c2", "no_report_since_registration", True, None, SCANNED),
            ("c2", "zombie", True, None, SCANNED),
        ]
        [c1] = await p.notifier.queries.flags(
            flag="zombie", place=None, active=False, after=None, limit=10
        )
        assert c1.disposal is not None
        assert (c1.disposal.kind, c1.disposal.on) == (disposal, cleared)
