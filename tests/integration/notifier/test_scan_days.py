"""Which days a scan records: the flags mean "as of the latest day that has come". A day after
the service clock's today is refused and writes nothing; a day before the latest scan is
answered and records nothing; today's scan still flags and clears (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from sqlalchemy import func, insert, select

from services.notifier.adapters.tables import (
    organizations,
    reminders,
    reports,
    scans,
    zombie_flags,
)
from services.notifier.bootstrap import bootstrap
from services.notifier.domain.zombie import Record, ZombieConfig, first_required_year
from services.notifier.main import create_app
from services.notifier.settings import NotifierSettings
from shared.clock import FixedClock
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore
from shared.settings import DEV_API_KEY
from shared.tables import events
from tests.conftest import NatsServer
from tests.integration.daily import run_daily_job
from tests.integration.servers import serve

TODAY = date(2025, 6, 15)


@dataclass
class Served:
    api: httpx.AsyncClient
    db: str
    clock: FixedClock


@pytest.fixture
async def served(notifier_url: str, nats_server: NatsServer) -> AsyncIterator[Served]:
    clock = FixedClock(TODAY)
    settings = NotifierSettings(
        database_url=notifier_url, nats_url=nats_server.url, scan_enabled=False
    )
    async with (
        serve(create_app(settings, clock=clock)) as base,
        httpx.AsyncClient(base_url=base, headers={"X-API-Key": DEV_API_KEY}) as api,
    ):
        yield Served(api, notifier_url, clock)


async def organization(db: str, oid: str, filed: dict[int, date]) -> None:
    """A social group registered on 1 April 2019 with `filed` reports on the projection."""
    registered = date(2019, 4, 1)
    engine = make_async_engine(db)
    async with engine.begin() as conn:
        await conn.execute(
            insert(organizations).values(
                organization_id=oid,
                name=f"协会 {oid}",
                kind="social_group",
                division="420106",
                domicile="420106001",
                registered_on=registered,
                registered_year=2019,
                first_year=first_required_year(Record("social_group", registered), ZombieConfig()),
                supervised=False,
            )
        )
        for year, day in filed.items():
            await conn.execute(
                insert(reports).values(organization_id=oid, year=year, submitted_on=day)
            )
    await engine.dispose()


async def written(db: str) -> dict[str, int]:
    """How many rows of the scan's tables there are: events, flags, reminders, scans."""
    engine = make_async_engine(db)
    async with engine.connect() as conn:
        out = {
            t.name: (await conn.execute(select(func.count()).select_from(t))).scalar_one()
            for t in (events, zombie_flags, reminders, scans)
        }
    await engine.dispose()
    return out


async def flagged(db: str) -> set[str]:
    engine = make_async_engine(db)
    async with engine.connect() as conn:
        q = select(zombie_flags.c.organization_id).where(
            zombie_flags.c.active, zombie_flags.c.flag == "zombie"
        )
        out = set((await conn.execute(q)).scalars())
    await engine.dispose()
    return out


async def test_a_day_after_today_is_refused_and_nothing_is_written(served: Served) -> None:
    await organization(served.db, "a", {})
    r = await served.api.post("/v1/scans", json={"on": "2025-06-16"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"] == "urn:socorg:problem:scan-day-in-future"
    assert r.json()["today"] == "2025-06-15"
    r = await served.api.post("/v1/scans", json={"on": "2030-06-01"})
    assert r.json()["type"] == "urn:socorg:problem:scan-day-in-future"
    assert await written(served.db) == {
        "events": 0,
        "zombie_flags": 0,
        "notifier_reminders": 0,
        "notifier_scans": 0,
    }
    assert (await served.api.post("/v1/scans", json={"on": "2025-06-15"})).status_code == 200


async def test_an_earlier_day_after_a_later_one_changes_nothing(served: Served) -> None:
    reported = {y: date(y + 1, 3, 1) for y in range(2019, 2023)}
    await organization(served.db, "a", {})  # never reported: a candidate on every day here
    await organization(served.db, "b", {})
    # c reported 2023 late, on 10 June 2025: a candidate on 1 June, not on the 15th.
    await organization(served.db, "c", reported | {2023: date(2025, 6, 10)})

    today = (await served.api.post("/v1/scans", json={"on": "2025-06-15"})).json()
    assert (today["candidates"], today["flagged"], today["recorded"]) == (2, 2, True)
    assert today["latest_scan"] == "2025-06-15"
    before = await written(served.db)

    earlier = await served.api.post("/v1/scans", json={"on": "2025-06-01"})
    assert earlier.status_code == 200, earlier.text
    body = earlier.json()
    assert (body["candidates"], body["recorded"], body["latest_scan"]) == (3, False, "2025-06-15")
    assert (body["flagged"], body["cleared"], sum(body["reminders"].values())) == (0, 0, 0)
    assert await written(served.db) == before
    assert await flagged(served.db) == {"a", "b"}

    # A later day comes: its scan flags c (2024 and 2025 missed) and clears b (reported both).
    served.clock.day = date(2026, 6, 15)
    await organization(served.db, "d", reported | {2023: date(2024, 3, 1)})
    engine = make_async_engine(served.db)
    async with engine.begin() as conn:
        for year in (2019, 2020, 2021, 2022, 2023, 2024, 2025):
            await conn.execute(
                insert(reports).values(
                    organization_id="b", year=year, submitted_on=date(2026, 6, 1)
                )
            )
    await engine.dispose()
    later = (await served.api.post("/v1/scans", json={"on": "2026-06-15"})).json()
    assert (later["flagged"], later["cleared"], later["recorded"]) == (2, 1, True)
    assert await flagged(served.db) == {"a", "c", "d"}


async def test_the_daily_scan_runs_on_the_services_clock(
    notifier_url: str, nats_server: NatsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.notifier import main

    settings = NotifierSettings(database_url=notifier_url, nats_url=nats_server.url)
    done = await run_daily_job(monkeypatch, main, settings, FixedClock(TODAY))
    assert done.recorded and done.latest == TODAY


async def test_a_flag_left_by_a_scan_of_a_future_day_is_judged_again_today(
    notifier_url: str,
) -> None:
    # Before future days were refused, a scan of 2030 flagged organizations that report on
    # time today; their flags, dated 2030, were out of reach of every scan until then.
    reported = {y: date(y + 1, 3, 1) for y in range(2019, 2025)}
    await organization(notifier_url, "x", reported)
    engine = make_async_engine(notifier_url)
    notifier = bootstrap(
        store=SqlEventStore(engine, max_event_bytes=256 * 1024),
        config=ZombieConfig(),
        clock=FixedClock(TODAY),
    )
    try:
        early = await notifier.scanner.scan(date(2030, 6, 1))  # as the old code let it
        assert early.flagged == 1 and await flagged(notifier_url) == {"x"}
        today = await notifier.day_scan.run(TODAY)
        assert (today.zombies.cleared, today.recorded) == (1, True)
        assert await flagged(notifier_url) == set()
    finally:
        await engine.dispose()
