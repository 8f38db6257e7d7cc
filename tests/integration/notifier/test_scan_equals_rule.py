"""The scan's SQL equals the zombie rule: over a generated register, on many days around the
deadlines, with the national settings and a locality's, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from services.notifier.adapters import scan_sql
from services.notifier.bootstrap import projection
from services.notifier.domain.zombie import (
    NO_REPORT_SINCE_REGISTRATION,
    UNREACHABLE_AT_ADDRESS,
    ZombieConfig,
    assess,
    evidence_of,
)
from shared.db import make_async_engine
from shared.rules.reporting import ReportingConfig
from tests.integration.notifier.register import generate, stream

DAYS = [
    date(2017, 6, 1),
    date(2020, 3, 31),
    date(2020, 4, 1),
    date(2021, 5, 31),
    date(2021, 6, 1),
    date(2022, 1, 15),
    date(2023, 4, 1),
    date(2023, 11, 30),
    date(2024, 2, 29),
    date(2024, 6, 1),
    date(2025, 3, 31),
    date(2025, 4, 1),
    date(2025, 5, 31),
    date(2025, 6, 1),
    date(2026, 9, 1),
]
CONFIGS = {
    "national": ZombieConfig(),
    "locality": ZombieConfig(
        consecutive_years=3,
        community_deadline=(6, 30),
        reporting=ReportingConfig(
            social_group_exempt_after=(6, 30),
            agency_exempt_within_months=4,
            foundation_deadline=(4, 30),
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
async def test_the_sql_scan_finds_what_the_rule_says_on_every_day(
    notifier_url: str, name: str
) -> None:
    config = CONFIGS[name]
    register = generate(400)
    engine = make_async_engine(notifier_url)
    try:
        consumer = projection(config, 256 * 1024)
        async with engine.begin() as conn:
            await consumer.apply_batch(conn, stream(register), {t.name: t for t in consumer.tables})
        checked = unreached = 0
        for on in DAYS:
            expected = {g.organization_id: assess(g.record, on, config) for g in register}
            async with engine.connect() as conn:
                found = await scan_sql.candidates(conn, on, config)
                signal = await scan_sql.no_report_since_registration(conn, on, config)
                unreachable = await scan_sql.unreachable_at_address(conn, on, config)
            got = {}
            for c in found:
                missed, since = evidence_of(
                    kind=c.kind,
                    charity_since=c.charity_since,
                    first_missed=c.first_missed,
                    last_missed=c.last_missed,
                    supervised=c.supervised,
                    consecutive_years=config.consecutive_years,
                    config=config,
                )
                got[c.organization_id] = (missed, since)
            want = {org: (a.missed, a.since) for org, a in expected.items() if a.candidate}
            assert got == want, on
            holding = {o for o, a in expected.items() if NO_REPORT_SINCE_REGISTRATION in a.signals}
            assert set(signal) == holding, on
            holding = {o for o, a in expected.items() if UNREACHABLE_AT_ADDRESS in a.signals}
            assert set(unreachable) == holding, on
            checked += len(want)
            unreached += len(holding)
        assert checked > 100  # the register has candidates on many of the days
        assert unreached > 50  # and organizations found unreachable
    finally:
        await engine.dispose()
