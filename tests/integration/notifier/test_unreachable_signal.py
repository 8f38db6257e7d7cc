"""The unreachable-at-address signal (民发〔2021〕63号; 民政部令第60号 art. 13) end to end on the
projection: a scan raises it as its own named flag, the bureau's removal from the 活动异常名录
or the organization's end clears it at once, with the reason (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

from services.notifier.domain.zombie import ZombieConfig
from shared.contracts import registry as r
from tests.integration.notifier.projection_rig import projection_rig
from tests.integration.notifier.register import registration

DIVISION = "420106"
REGISTERED, ON = date(2020, 3, 1), date(2025, 6, 15)


async def test_the_signal_is_raised_by_a_scan_and_cleared_by_a_removal_or_an_end(
    notifier_url: str,
) -> None:
    async with projection_rig(
        notifier_url, config=ZombieConfig(), today=ON, division=DIVISION
    ) as p:
        reports = [
            r.AnnualReportSubmitted(organization_id=org, year=y, submitted_on=date(y + 1, 3, 1))
            for org in ("a", "b", "c")
            for y in range(2020, 2025)
        ]  # all three report on time: the signal is all they are flagged for
        registrations = (registration(org, n, DIVISION, REGISTERED) for n, org in enumerate("abc"))
        await p.apply(*registrations, *reports)
        await p.apply(
            *(r.UnreachableRecorded(organization_id=org, found_on=date(2025, 3, 1)) for org in "ab")
        )
        scanned = await p.notifier.day_scan.run(ON)
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
        await p.apply(delisted, ended)
        assert await p.flag_rows() == [
            ("a", "unreachable_at_address", False, "delisted", date(2025, 6, 20)),
            ("b", "unreachable_at_address", False, "ended", date(2025, 6, 21)),
        ]
        page = await p.notifier.queries.flags(
            flag="unreachable_at_address", place=DIVISION, active=None, after=None, limit=10
        )
        assert [(c.organization_id, c.cleared_reason) for c in page] == [
            ("a", "delisted"),
            ("b", "ended"),
        ]
