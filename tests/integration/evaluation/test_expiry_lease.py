"""The expiry scan runs in one replica at a time (SQLite and PostgreSQL): while another holds
its lease in the database a scan is refused (409 scan-running); once released it runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.evaluation.bootstrap import EXPIRY_LEASE
from services.evaluation.settings import EvaluationSettings
from shared.clock import FixedClock
from shared.db import make_async_engine
from shared.outbox.lease import Lease
from tests.conftest import NatsServer
from tests.integration.daily import run_daily_job
from tests.integration.evaluation import test_rounds_api
from tests.integration.evaluation.test_rounds_api import World, ok, problem

world = test_rounds_api.world  # the evaluation served on a fixed clock (the fixture)


async def test_a_scan_waits_for_the_replica_holding_the_lease(world: World) -> None:
    engine = make_async_engine(world.url)
    other = Lease(engine, EXPIRY_LEASE, "another-replica", timedelta(minutes=5))
    try:
        assert await other.try_acquire()
        running = await world.api.post("/v1/expiry-scans", json={"on": "2026-05-25"})
        problem(running, 409, "scan-running")
        await other.release()
        assert ok(await world.api.post("/v1/expiry-scans", json={"on": "2026-05-25"})) == {
            "on": "2026-05-25", "expired": 0,
        }  # fmt: skip
    finally:
        await engine.dispose()


async def test_the_daily_expiry_scan_runs_on_the_services_clock(
    evaluation_url: str, nats_server: NatsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.evaluation import main

    settings = EvaluationSettings(
        database_url=evaluation_url, nats_url=nats_server.url, registry_sender_enabled=False
    )
    done = await run_daily_job(monkeypatch, main, settings, FixedClock(date(2026, 5, 25)))
    assert done.expired == 0
