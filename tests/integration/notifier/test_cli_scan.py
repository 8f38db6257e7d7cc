"""`socorg zombie-scan --on DAY` scans the notifier's database: flags as events, once."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from services.notifier.bootstrap import projection
from services.notifier.domain.zombie import ZombieConfig, assess
from shared.cli import app
from shared.clock import ShanghaiClock
from shared.db import make_async_engine
from shared.migrate import upgrade
from shared.tables import events
from tests.integration.notifier.register import generate, stream

DAY = "2025-06-01"


async def project(url: str) -> int:
    """The generated register applied to the notifier's projection; its candidates on DAY."""
    register = generate(120, seed=7)
    consumer = projection(ZombieConfig(), 256 * 1024)
    engine = make_async_engine(url)
    async with engine.begin() as conn:
        await consumer.apply_batch(conn, stream(register), {t.name: t for t in consumer.tables})
    await engine.dispose()
    return sum(assess(g.record, date.fromisoformat(DAY)).candidate for g in register)


def test_the_cli_scans_a_day_and_a_second_run_records_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'notifier.db'}"
    upgrade("notifier", url)
    expected = asyncio.run(project(url))
    monkeypatch.setenv("SOCORG_NOTIFIER_DATABASE_URL", url)
    runner = CliRunner()
    first = runner.invoke(app, ["zombie-scan", "--on", DAY])
    assert first.exit_code == 0, first.output
    assert f"{DAY}: {expected} candidates; flagged {expected}, cleared 0" in first.output
    assert expected > 5
    second = runner.invoke(app, ["zombie-scan", "--on", DAY])
    assert re.search(r"flagged 0, cleared 0; signals raised 0, cleared 0", second.output)
    engine = create_engine(url)
    with engine.connect() as conn:
        types = dict(
            conn.execute(select(events.c.type, func.count()).group_by(events.c.type)).all()
        )
    engine.dispose()
    assert types["zombie_flagged"] == expected
    bad = runner.invoke(app, ["zombie-scan", "--on", "2025-02-30"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    earlier = runner.invoke(app, ["zombie-scan", "--on", "2025-05-01"])
    assert earlier.exit_code == 0, earlier.output
    assert "nothing recorded" in earlier.output and "2025-06-01" in earlier.output


def test_the_cli_refuses_a_day_that_has_not_come(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'notifier.db'}"
    upgrade("notifier", url)
    asyncio.run(project(url))
    monkeypatch.setenv("SOCORG_NOTIFIER_DATABASE_URL", url)
    tomorrow = (ShanghaiClock().today() + timedelta(days=1)).isoformat()
    future = CliRunner().invoke(app, ["zombie-scan", "--on", tomorrow])
    assert future.exit_code == 2, future.output
    assert "has not come yet" in future.output
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar() == 0
    engine.dispose()
